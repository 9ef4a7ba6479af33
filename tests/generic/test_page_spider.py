"""`scrapy crawl page` for real, over loopback: the generic extractor for unknown hosts, the site parser for
known ones."""

from __future__ import annotations

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.schema import schema_errors
from tests.fixture_pages import fixture_pages, read_items, without_capture
from tests.generic.realpages import crawl, serve
from tests.generic.test_generic_parser import FIXTURES, fixture_bytes


@pytest.fixture(scope="module")
def generic_crawl(tmp_path_factory):
    """The hand-written pages served as bytes (the old portal as undeclared GB18030), crawled by `page`."""
    served = tmp_path_factory.mktemp("served")
    names = sorted(path.name for path in FIXTURES.glob("*.html"))
    for name in names:
        (served / name).write_bytes(fixture_bytes(name))
    out = tmp_path_factory.mktemp("crawl")
    with serve(served) as base:
        items = crawl([base + name for name in names], out)
    return {item["url"].rsplit("/", 1)[1]: item for item in read_items(items)}, out


def test_every_page_gives_a_valid_generic_item(generic_crawl):
    items, _ = generic_crawl
    assert sorted(items) == sorted(path.name for path in FIXTURES.glob("*.html"))
    for item in items.values():
        assert schema_errors(item) == []
        assert item["parser"].startswith("generic@trafilatura-")
        assert (item["site"], item["site_name"]) == ("page", "通用网页")


def test_undeclared_gbk_page_is_decoded_and_parsed(generic_crawl):
    item = generic_crawl[0]["old_portal.utf8.html"]
    assert item["encoding"] == "gb18030"
    assert item["title"] == "计量是工业生产的眼睛"
    assert item["authors"] == ["周建国"]
    assert item["published_at"] == "2004-09-17T17:54:13+08:00"
    assert "\ufffd" not in item["body"]


def test_portal_item_fields(generic_crawl):
    item = generic_crawl[0]["portal_article.html"]
    assert (item["published_at"], item["source"], item["authors"]) == (
        "2024-05-20T09:30:00+08:00", "中国质量报", ["张晓明", "李华"])
    assert item["editors"] == [{"role": "责任编辑", "name": "王晓燕"}]


def test_items_point_at_their_response_records(generic_crawl):
    items, out = generic_crawl
    records = {}
    for path in (out / "data" / "warc").glob("*.warc.gz"):
        with open(path, "rb") as stream:
            iterator = ArchiveIterator(stream)
            for record in iterator:
                uri = record.rec_headers.get_header("WARC-Target-URI")
                records[(path.name, iterator.get_record_offset())] = (record.rec_type, uri)
    for item in items.values():
        assert records[(item["warc"]["file"], item["warc"]["offset"])] == ("response", item["url"])


def test_known_host_goes_to_its_site_parser(tmp_path, mirror):
    page = next(page for page in fixture_pages("article") if page.host == "www.dutenews.com")
    items = read_items(crawl([page.url], tmp_path, {"MIRROR_URL": mirror.url}))
    assert len(items) == 1
    assert items[0]["parser"].startswith("dutenews@")
    assert without_capture(items[0]) == without_capture(page.expected())


def test_gov_portal_pages_on_an_unknown_host_give_gov_portal_items(tmp_path):
    layouts = FIXTURES / "govportal"
    names = sorted(path.name for path in layouts.glob("*.html"))
    with serve(layouts) as base:
        items = read_items(crawl([base + name for name in names], tmp_path))
    assert sorted(item["url"].rsplit("/", 1)[1] for item in items) == names
    assert {item["parser"] for item in items} == {"gov-portal@1"}
