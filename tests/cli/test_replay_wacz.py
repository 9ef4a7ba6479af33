"""`scrapy replay` of the WACZ that `scrapy warc pack` wrote gives the items of the WARCs it packed."""

from __future__ import annotations

from tests.cli.conftest import outputs
from tests.conftest import run_scrapy
from tests.fixture_pages import read_items


def test_a_packed_crawl_replays_to_the_same_items_as_its_warcs(crawled, tmp_path):
    out, _ = crawled
    package = tmp_path / "crawl.wacz"
    packed = run_scrapy(["warc", "pack", str(out / "warc"), "-o", str(package)])
    assert packed.returncode == 0, packed.stderr[-3000:]
    for name, source in (("from_warcs", out / "warc"), ("from_wacz", package)):
        result = run_scrapy(["replay", str(source), "-O", str(tmp_path / f"{name}.jsonl"), *outputs(tmp_path / name)])
        assert result.returncode == 0, result.stderr[-3000:]
        assert "damaged record" not in result.stderr and "Traceback" not in result.stderr
    from_warcs = {item["url"]: item for item in read_items(tmp_path / "from_warcs.jsonl")}
    from_wacz = {item["url"]: item for item in read_items(tmp_path / "from_wacz.jsonl")}
    assert from_wacz and set(from_wacz) == set(from_warcs) == {item["url"] for item in read_items(out / "items.jsonl")}
    for url, item in from_wacz.items():
        assert item["warc"]["file"].startswith(f"{package}#archive/nqi-dutenews-"), item["warc"]
        assert {**item, "warc": None} == {**from_warcs[url], "warc": None}, url
        assert item["warc"]["offset"] == from_warcs[url]["warc"]["offset"]


def test_a_packed_crawl_replays_on_several_processes_to_the_single_process_export(crawled, tmp_path):
    out, _ = crawled
    package = tmp_path / "crawl.wacz"
    assert run_scrapy(["warc", "pack", str(out / "warc"), "-o", str(package)]).returncode == 0
    lines = {}
    for name, source, jobs in (("from_warcs", out / "warc", "1"), ("from_wacz", package, "3")):
        result = run_scrapy(["replay", str(source), "-j", jobs, "-O", str(tmp_path / f"{name}.jsonl"),
                             *outputs(tmp_path / name)])
        assert result.returncode == 0, result.stderr[-3000:]
        assert f"'replay/jobs': {jobs}" in result.stderr
        lines[name] = [{**item, "warc": item["warc"]["offset"]} for item in read_items(tmp_path / f"{name}.jsonl")]
    assert lines["from_wacz"] and lines["from_wacz"] == lines["from_warcs"]
