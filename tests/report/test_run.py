"""One report per process: the last crawler to stop writes every site's section into the run's folder; the run ends."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from itemadapter import ItemAdapter
from scrapy.settings import Settings

from crawler.report.extension import ReportRun, SiteCrawl
from crawler.runs import Run, reserve


def crawl(name: str) -> SiteCrawl:
    return SiteCrawl(name, {"item_scraped_count": 1, "finish_reason": "finished"}, {}, min_items=5)


def item(url: str, version: int = 1) -> ItemAdapter:
    return ItemAdapter({"url": url, "title": url[-6:], "published_at": "2024-01-09T10:00:00+08:00", "version": version})


def settings_for(tmp_path) -> Settings:
    return Settings({"RUNS_DIR": str(tmp_path / "runs"), "REPORT_DIR": str(tmp_path / "reports")})


def test_the_last_crawler_to_stop_writes_the_report_and_prints_the_table(tmp_path):
    table = io.StringIO()
    run = ReportRun.for_process(settings_for(tmp_path), table)
    assert ReportRun.for_process(Settings({"RUNS_DIR": str(tmp_path / "elsewhere")}), None) is run
    run.crawler_opened()
    run.crawler_opened()
    run.add_feeds(["out/items.jsonl"])
    run.item_exported("qianzhan", item("https://www.qianzhan.com/analyst/detail/220/x.html"))
    run.item_exported("dutenews", item("https://www.dutenews.com/n/article/1"))
    run.crawler_stopped(crawl("qianzhan"))
    assert not list((tmp_path / "runs").glob("*/report.json")) and table.getvalue() == ""
    run.crawler_stopped(crawl("dutenews"))
    (written,) = [path for path in (tmp_path / "runs").glob("*/report.json") if path.parent.name != "latest"]
    report = json.loads(written.read_text(encoding="utf-8"))
    assert [site["site"] for site in report["sites"]] == ["dutenews", "qianzhan"]
    assert report["outputs"] == ["out/items.jsonl"]
    assert "data:image/png;base64," in written.with_suffix(".html").read_text(encoding="utf-8")
    assert table.getvalue().splitlines()[-2:] == ["Items: out/items.jsonl",
                                                  f"Crawl report: {written.with_suffix('.html')}"]
    assert ReportRun.current is None and Run.current is None
    assert (tmp_path / "runs" / "latest").resolve() == written.parent


def test_a_second_run_in_the_same_second_gets_its_own_folder(tmp_path):
    started = datetime(2026, 1, 7, 19, 45, tzinfo=UTC)
    first, second = Run(tmp_path, started), Run(tmp_path, started)
    assert (first.name, second.name) == ("20260107T194500Z", "20260107T194500Z-2")
    assert first.folder.is_dir() and second.folder.is_dir()
    assert reserve(tmp_path, "20260107T194500Z")[0] == "20260107T194500Z-3"


def test_an_item_counts_under_the_site_owning_it_when_that_site_is_in_the_run(tmp_path):
    """aqsczx's spider fetched a hainan_amr original: in a run with hainan_amr it counts there, else under aqsczx."""
    original = "https://amr.hainan.gov.cn/yw/gzdt/202404/t20240430_3656724.html"
    for sites, expected in ((("aqsczx", "hainan_amr"), {"aqsczx": 1, "hainan_amr": 1}), (("aqsczx",), {"aqsczx": 2})):
        run = ReportRun.for_process(Settings({"RUNS_DIR": str(tmp_path / "runs"), "REPORT_DIR": str(tmp_path)}), None)
        for _ in sites:
            run.crawler_opened()
        run.item_exported("aqsczx", item("http://aqsczx.org.cn/show-63836.html"))
        run.item_exported("aqsczx", item(original))
        for site in sites:
            run.crawler_stopped(crawl(site))
        report = json.loads((run.run.folder / "report.json").read_text(encoding="utf-8"))
        assert {site["site"]: site["items"]["new"] for site in report["sites"]} == expected
        assert {row["site"] for row in report["articles"]} == {"aqsczx", "hainan_amr"}
