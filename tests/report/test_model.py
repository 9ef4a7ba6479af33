"""The report's figures come from the stats: versions, revisits, statuses, errors, drops, coverage."""

from __future__ import annotations

from datetime import UTC

from crawler.report.model import ItemTally, run_report, site_section
from crawler.report.table import render_table

STATS = {
    "finish_reason": "finished",
    "elapsed_time_seconds": 2.345,
    "item_scraped_count": 3,
    "downloader/response_count": 7,
    "downloader/response_status_count/200": 5,
    "downloader/response_status_count/304": 1,
    "downloader/response_status_count/404": 1,
    "downloader/exception_type_count/twisted.internet.error.TimeoutError": 2,
    "downloader/exception_type_count/scrapy.exceptions.IgnoreRequest": 4,
    "spider_exceptions/count": 1,
    "spider_exceptions/KeyError": 1,
    "log_count/ERROR": 4,
    "items/dropped/invalid": 1,
    "items/dropped/unchanged": 2,
    "state/unchanged/not_modified": 1,
    "state/unchanged/identical_payload": 3,
    "health/alarms": 1,
    "warc/files": 2,
    "warc/bytes": 4096,
    "warc/file_names": ["a.warc.gz", "b.warc.gz"],
    "spidermon_item_scraped_count/Article": 3,
    "spidermon_field_coverage/Article/title": 1.0,
    "spidermon_field_coverage/Article/published_at": 2 / 3,
}


def section() -> dict:
    tally = ItemTally()
    for version, published in ((1, "2024-01-09T10:00:00+08:00"), (None, "2024-01-09T18:00:00+08:00"), (3, None)):
        tally.add(version, published)
    return site_section("dutenews", STATS, tally, {"title": 1.0, "published_at": 1.0}, min_items=5)


def test_items_new_changed_unchanged():
    assert section()["items"] == {"exported": 3, "new": 2, "changed": 1, "unchanged": 6}


def test_responses_errors_and_drops():
    result = section()
    assert result["responses"] == {"total": 7, "by_status": {"200": 5, "304": 1, "404": 1}}
    assert result["errors"] == {"logged": 4, "by_kind": {"spider: KeyError": 1, "download: TimeoutError": 2,
                                                         "layout-drift alarms": 1}}
    assert result["dropped"] == {"unchanged": 2, "invalid": 1}
    assert result["unusable_pages"] == {"dropped": 1, "parsed": 4}


def test_coverage_against_floors_and_publish_days():
    result = section()
    rows = {row["field"]: row for row in result["coverage"]["fields"]}
    assert rows["published_at"] == {"field": "published_at", "coverage": 0.667, "floor": 1.0, "status": "below floor"}
    assert rows["title"]["status"] == "ok" and rows["authors"]["status"] == "no floor"
    assert result["published"] == {"2024-01-09": 2}
    assert result["warc"] == {"files": 2, "bytes": 4096, "names": ["a.warc.gz", "b.warc.gz"]}


def test_missing_stats_read_as_zero():
    empty = site_section("page", {}, ItemTally(), {}, min_items=5)
    assert empty["items"] == {"exported": 0, "new": 0, "changed": 0, "unchanged": 0}
    assert empty["warc"]["files"] == 0 and empty["alarms"] == 0 and empty["errors"]["by_kind"] == {}


def test_run_totals_and_terminal_table():
    from datetime import datetime

    started = datetime(2024, 1, 26, 1, 0, tzinfo=UTC)
    report = run_report("r1", started, started.replace(minute=2), [section(), {**section(), "site": "aqsczx"}])
    assert [s["site"] for s in report["sites"]] == ["aqsczx", "dutenews"]
    assert report["duration_seconds"] == 120.0
    assert report["totals"]["new"] == 4 and report["totals"]["dropped"] == 2 and report["totals"]["warc_bytes"] == 8192
    lines = render_table(report, "data/reports/r1.html").splitlines()
    assert lines[2].split() == ["aqsczx", "2", "1", "6", "1", "7", "4", "1", "2", "4.0", "2.3",
                                "FAILED:", "1", "spider", "exceptions"]
    assert lines[-2].split()[:5] == ["total", "4", "2", "12", "2"] and lines[-1].endswith("data/reports/r1.html")
