"""Incremental crawls: a second crawlall over the same state and WARC folder exports nothing and writes
revisit records; a changed page is exported again as version 2; a page whose bytes changed around
the same text is not; a server that ignores validators gets identical-payload revisits."""

from __future__ import annotations

import pytest

from tests.fixture_pages import FIXTURES, fixture_pages
from tests.incremental.warcs import crawl_command, read_items, run, warc_records, warcio_check

CHANGED = "https://www.dutenews.com/n/article/7970112"
RETOUCHED = "https://www.dutenews.com/n/article/7961034"
SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


def overlay_file(overlay, name: str, old: str, new: str) -> None:
    source = FIXTURES / "www.dutenews.com" / "article" / name
    target = overlay / "www.dutenews.com" / "article" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    text = source.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    """Four crawls sharing state and WARCs: first, unchanged, after two edits, ignoring validators."""
    out = tmp_path_factory.mktemp("incremental")
    overlay = out / "overlay"
    overlay.mkdir()
    results, files = {}, {}
    results["first"] = run(crawl_command(out, "first.jsonl", overlay=overlay))
    files["first"] = {path.name for path in (out / "warc").glob("*.warc.gz")}
    results["second"] = run(crawl_command(out, "second.jsonl", overlay=overlay))
    files["second"] = {path.name for path in (out / "warc").glob("*.warc.gz")} - files["first"]
    overlay_file(overlay, "7970112.html", "98.7%", "99.1%")
    overlay_file(overlay, "7961034.html", "</html>", "<!-- page regenerated -->\n</html>")
    results["third"] = run(crawl_command(out, "third.jsonl", overlay=overlay))
    results["fourth"] = run(crawl_command(out, "fourth.jsonl", "dutenews", "-s", "STATE_CONDITIONAL=False",
                                          overlay=overlay, command="crawl"))
    for name, result in results.items():
        assert result.returncode == 0, f"{name} crawl: {result.stdout[-1500:]}{result.stderr[-3000:]}"
    return out, results, files


def test_first_crawl_exports_every_article_as_version_1(crawls):
    out, _, _ = crawls
    items = read_items(out / "first.jsonl")
    assert {item["url"] for item in items} == {page.url for page in fixture_pages("article")}
    assert {item["version"] for item in items} == {1}


def test_second_crawl_exports_nothing_and_writes_revisits_instead_of_copies(crawls):
    out, results, files = crawls
    assert read_items(out / "second.jsonl") == []
    assert "every entry is known from an earlier crawl" in results["second"].stderr
    records = warc_records(out / "warc")
    first = {item["url"]: item for item in read_items(out / "first.jsonl")}
    responses = {r.headers["WARC-Record-ID"]: r for r in records if r.type == "response"}
    revisits = [r for r in records if r.type == "revisit" and r.headers["WARC-Profile"] == SERVER_NOT_MODIFIED]
    assert revisits, "no server-not-modified revisit records"
    for revisit in revisits:
        original = responses[revisit.headers["WARC-Refers-To"]]
        assert revisit.headers["WARC-Refers-To-Target-URI"] == revisit.uri == original.uri
        assert revisit.headers["WARC-Refers-To-Date"] == original.date < revisit.date
        assert revisit.headers["WARC-Payload-Digest"] == original.headers["WARC-Payload-Digest"]
        assert original.file == first[original.uri]["warc"]["file"]
    second = [r for r in records if r.file in files["second"]]
    assert {r.uri for r in second if r.type == "revisit"} >= {page.url for page in fixture_pages("article")} & {
        r.uri for r in second if r.type == "request"}
    assert not [r.uri for r in second if r.type == "response" and r.uri in first]


def test_changed_page_is_exported_again_as_version_2(crawls):
    out, _, _ = crawls
    items = read_items(out / "third.jsonl")
    assert [(item["url"], item["version"]) for item in items] == [(CHANGED, 2)]
    assert "99.1%" in items[0]["body"]
    before = next(item for item in read_items(out / "first.jsonl") if item["url"] == CHANGED)
    assert items[0]["body_sha1"] != before["body_sha1"] and items[0]["warc"]["file"] != before["warc"]["file"]


def test_new_bytes_around_the_same_text_are_not_a_new_version(crawls):
    out, _, _ = crawls
    rejects = read_items(out / "rejects.jsonl")
    assert [(line["url"], line["reason"]) for line in rejects] == [(RETOUCHED, "unchanged")]


def test_without_validators_an_identical_payload_is_a_revisit(crawls):
    out, results, _ = crawls
    assert read_items(out / "fourth.jsonl") == []
    fourth = [r for r in warc_records(out / "warc")
              if r.type == "revisit" and r.headers["WARC-Profile"] == IDENTICAL_PAYLOAD]
    assert {r.uri for r in fourth} == {CHANGED, RETOUCHED, "https://www.dutenews.com/n/article/7957291"}
    assert "'state/unchanged/identical_payload': 3" in results["fourth"].stderr


def test_every_warc_file_passes_warcio_check(crawls):
    out, _, _ = crawls
    assert not list((out / "warc").glob("*.open"))
    result = warcio_check(out / "warc")
    assert result.returncode == 0, result.stdout + result.stderr
