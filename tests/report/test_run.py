"""One report per process: the last crawler to stop writes every site's section, then the run ends."""

from __future__ import annotations

import io
import json

from crawler.report.extension import ReportRun
from crawler.report.model import ItemTally, site_section


def section(name: str) -> dict:
    tally = ItemTally()
    tally.add(1, "2024-01-09T10:00:00+08:00")
    return site_section(name, {"item_scraped_count": 1, "finish_reason": "finished"}, tally, {}, min_items=5)


def test_the_last_crawler_to_stop_writes_the_report_and_prints_the_table(tmp_path):
    table = io.StringIO()
    run = ReportRun.for_process(tmp_path / "reports", table)
    assert ReportRun.for_process(tmp_path / "elsewhere", None) is run
    run.crawler_opened()
    run.crawler_opened()
    run.crawler_stopped(section("qianzhan"))
    assert not (tmp_path / "reports").exists() and table.getvalue() == ""
    run.crawler_stopped(section("dutenews"))
    (written,) = (tmp_path / "reports").glob("*.json")
    report = json.loads(written.read_text(encoding="utf-8"))
    assert [site["site"] for site in report["sites"]] == ["dutenews", "qianzhan"]
    assert "data:image/png;base64," in written.with_suffix(".html").read_text(encoding="utf-8")
    assert table.getvalue().splitlines()[-1] == f"Crawl report: {written.with_suffix('.html')}"
    assert ReportRun.current is None


def test_a_second_run_in_the_same_second_gets_its_own_name(tmp_path):
    names = []
    for _ in range(2):
        run = ReportRun.for_process(tmp_path, None)
        run.started = run.started.replace(microsecond=0, second=0)
        run.crawler_opened()
        run.crawler_stopped(section("dutenews"))
        names.append(run.name)
    assert names[1] == names[0] + "-2"
    assert sorted(path.name for path in tmp_path.glob("*.json")) == sorted(f"{name}.json" for name in names)
