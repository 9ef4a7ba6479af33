"""`scrapy crawlall` through the mirror: every site in one process, one merged export, one summary."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from crawler.schema import schema_errors
from spiders.registry import site_spiders
from tests.conftest import ROOT, isolated_state
from tests.fixture_pages import fixture_pages, without_capture


@pytest.fixture(scope="module")
def crawlall_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("crawlall")
    command = [sys.executable, "-m", "crawler.mirror", "run", "--", sys.executable, "-m", "scrapy", "crawlall",
               "-O", str(out / "items.jsonl"), "-s", f"WARC_DIR={out / 'warc'}",
               "-s", f"REJECTS_PATH={out / 'rejects.jsonl'}", *isolated_state([])]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    return out, result


def test_crawlall_exits_zero_and_prints_the_summary(crawlall_run):
    _, result = crawlall_run
    assert result.returncode == 0, result.stderr[-3000:]
    for spider in site_spiders():
        assert any(line.split()[:1] == [spider.name] and line.rstrip().endswith("ok")
                   for line in result.stdout.splitlines()), spider.name
    assert "Traceback" not in result.stderr


def test_crawlall_exports_every_site_once_per_canonical_url(crawlall_run):
    out, _ = crawlall_run
    items = [json.loads(line) for line in (out / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    canonical = [item["canonical_url"] for item in items]
    assert len(canonical) == len(set(canonical))
    assert all(schema_errors(item) == [] for item in items)
    sites = {item["site"] for item in items}
    assert sites == {spider.name for spider in site_spiders()}
    listed = {page.url for page in fixture_pages("article")}
    assert {item["url"] for item in items} <= listed | {page.url for page in fixture_pages()}
    assert not (out / "items.parts").exists()


def test_crawlall_writes_one_warc_series_per_site(crawlall_run):
    out, _ = crawlall_run
    names = sorted(path.name for path in (out / "warc").glob("*.warc.gz"))
    for spider in site_spiders():
        assert any(name.startswith(f"nqi-{spider.name}-") for name in names), spider.name


def test_crawlall_gives_exactly_the_expected_items(crawlall_run):
    """Every fixture article is exported once and equals its expected item, reposts included."""
    out, _ = crawlall_run
    lines = (out / "items.jsonl").read_text(encoding="utf-8").splitlines()
    items = {item["url"]: item for item in map(json.loads, lines)}
    expected = {page.url: page.expected() for page in fixture_pages("article") if page.expected_path.exists()}
    assert set(items) == set(expected)
    for url, item in items.items():
        assert without_capture(item) == expected[url], url
