"""A broken layout raises the alarm: dutenews articles lose their time and source nodes, crawlall fails."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from crawler.mirror import MirrorServer
from tests.fixture_pages import FIXTURES
from tests.health.crawl import crawlall, the_report

BREAKAGE = {'class="time"': 'class="pub-time"', 'class="source"': 'class="origin"'}
"""A redesign renames the info line's classes: no date, no source."""


@pytest.fixture(scope="module")
def broken_crawl(tmp_path_factory):
    base = tmp_path_factory.mktemp("drift")
    tree = base / "fixtures"
    shutil.copytree(FIXTURES, tree)
    for page in (tree / "www.dutenews.com" / "article").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for old, new in BREAKAGE.items():
            text = text.replace(old, new)
        page.write_text(text, encoding="utf-8")
    server = MirrorServer(root=tree).start()
    try:
        result = crawlall(base / "out", server.url)
    finally:
        server.stop()
    return base / "out", result


def test_crawlall_exits_non_zero_and_names_the_site(broken_crawl):
    _, result = broken_crawl
    assert result.returncode == 1, result.stderr[-3000:]
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert lines["dutenews"].rstrip().endswith("FAILED: 2 layout-drift alarms (see the log)")
    others = ("aqsczx", "bjhnqysh", "hainan_amr", "hunan_gov", "qianzhan")
    assert all(lines[site].rstrip().endswith("ok") for site in others)


def test_the_alarm_is_an_error_naming_site_and_field(broken_crawl):
    _, result = broken_crawl
    alarms = re.findall(r"ERROR: Layout drift on (\w+): field (\w+) on (\d+)% of items, floor (\d+)%", result.stderr)
    assert sorted(alarms) == [("dutenews", "published_at", "0", "100"), ("dutenews", "source", "0", "90")]


def test_the_items_are_still_exported_and_the_report_shows_the_alarm(broken_crawl):
    out, _ = broken_crawl
    items = [json.loads(line) for line in (out / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    dutenews = [item for item in items if item["site"] == "dutenews"]
    assert len(dutenews) == 5 and all(item["published_at"] is None and item["source"] is None for item in dutenews)
    report, _ = the_report(out)
    sites = {section["site"]: section for section in report["sites"]}
    assert sites["dutenews"]["alarms"] == 2 and report["totals"]["alarms"] == 2
    below = {row["field"] for row in sites["dutenews"]["coverage"]["fields"] if row["status"] == "below floor"}
    assert below == {"published_at", "source"}
