"""`scrapy replay` of a wget WARC of pages on a host no site spider owns: skipped with a note, or `--generic`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.generic.realpages import crawl, serve
from tests.generic.test_generic_parser import FIXTURES, fixture_bytes
from tests.interop.conftest import final_stats, read_items, replay
from tests.interop.test_wget import SKIP_NO_WGET, WGET

ARTICLES = sorted(path.name for path in FIXTURES.glob("*.html"))
INDEX = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>新闻中心</title></head><body><ul>{}</ul></body></html>"
CAPTURE_FIELDS = ("warc", "fetched_at")


def without_capture(item: dict) -> dict:
    return {key: value for key, value in item.items() if key not in CAPTURE_FIELDS}


@pytest.fixture(scope="module")
def foreign(tmp_path_factory):
    """wget's WARC of an index page and the generic fixture articles it links to, served on 127.0.0.1,
    and the items `scrapy crawl page` makes of the same articles."""
    served = tmp_path_factory.mktemp("served")
    for name in ARTICLES:
        (served / name).write_bytes(fixture_bytes(name))
    links = "".join(f"<li><a href='{name}'>第{number}条：质量工作动态</a></li>"
                    for number, name in enumerate(ARTICLES, 1))
    (served / "index.html").write_text(INDEX.format(links), encoding="utf-8")
    out = tmp_path_factory.mktemp("wget")
    with serve(served) as base:
        command = [WGET, "--quiet", "--warc-file=foreign", "--recursive", "--level=1", "--no-directories",
                   "--delete-after", base + "index.html"]
        result = subprocess.run(command, cwd=out, capture_output=True, text=True, timeout=120)
        assert result.returncode in (0, 8), result.stderr  # 8: robots.txt answered 404
        live = read_items(crawl([base + name for name in ARTICLES], tmp_path_factory.mktemp("page")))
    return out / "foreign.warc.gz", {item["url"].rsplit("/", 1)[1]: item for item in live}


@SKIP_NO_WGET
def test_without_generic_the_summary_says_what_was_skipped_and_the_run_is_ok(foreign, tmp_path):
    warc, _ = foreign
    result = replay([str(warc)], tmp_path)
    assert read_items(tmp_path / "items.jsonl") == []
    note = f"{len(ARTICLES) + 1} captures on 1 host no site spider owns: use --generic"  # the index page too
    assert f"WARNING: Skipped {note}" in result.stderr
    summary = next(line for line in result.stdout.splitlines() if line.startswith("replay "))
    assert summary.endswith(f"ok: skipped {note}") and "FAILED" not in result.stdout
    stats = final_stats(result.stderr)
    assert stats["replay/skipped/no_spider"] == len(ARTICLES) + 1 and stats["replay/no_spider_hosts"] == 1


@SKIP_NO_WGET
def test_with_generic_each_article_page_gives_the_page_spiders_item(foreign, tmp_path):
    warc, live = foreign
    result = replay([str(warc), "--generic"], tmp_path)
    items = {item["url"].rsplit("/", 1)[1]: item for item in read_items(tmp_path / "items.jsonl")}
    assert sorted(items) == ARTICLES
    for name, item in items.items():
        assert without_capture(item) == without_capture(live[name]), name
        assert item["warc"]["file"] == str(warc) and item["parser"].startswith("generic@")
    rejects = [line for line in (tmp_path / "rejects.jsonl").read_text(encoding="utf-8").splitlines() if line]
    assert len(rejects) == 1 and '"url": "http' in rejects[0] and "/index.html" in rejects[0]  # no article text
    stats = final_stats(result.stderr)
    assert "replay/skipped/no_spider" not in stats and "Skipped" not in result.stderr
    assert Path(warc).exists()
