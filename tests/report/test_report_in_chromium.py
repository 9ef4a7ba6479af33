"""A real crawlall writes the report; headless Chromium renders it and every site's numbers are on the page."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from collections import Counter

import pytest
from parsel import Selector

from spiders.registry import site_spiders
from tests.health.crawl import crawlall, the_report
from tests.report.test_chart import png_size

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (Debian package `chromium`)")


def chromium(profile, *args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium, offline, with a throwaway profile."""
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def crawl(tmp_path_factory, mirror):
    out = tmp_path_factory.mktemp("report")
    result = crawlall(out, mirror.url)
    assert result.returncode == 0, result.stderr[-3000:]
    report, html = the_report(out)
    rendered = chromium(tmp_path_factory.mktemp("profile"), "--dump-dom", html.as_uri())
    assert rendered.returncode == 0, rendered.stderr[-2000:]
    return out, result, report, Selector(text=rendered.stdout)


def summary_rows(page: Selector) -> dict[str, list[str]]:
    rows = {}
    for row in page.xpath("(//table)[1]/tbody/tr"):
        cells = [" ".join(cell.xpath(".//text()").getall()).strip() for cell in row.xpath("./td")]
        rows[cells[0]] = cells[1:]
    return rows


def test_the_report_holds_every_site_and_matches_the_export(crawl):
    out, _, report, _ = crawl
    lines = (out / "items.jsonl").read_text(encoding="utf-8").splitlines()
    exported = Counter(json.loads(line)["site"] for line in lines)
    sites = {section["site"]: section for section in report["sites"]}
    assert set(sites) == {spider.name for spider in site_spiders()}
    for name, section in sites.items():
        assert section["items"]["new"] == section["items"]["exported"] >= 4, name
        assert section["responses"]["by_status"]["200"] >= 6 and section["warc"]["files"] == 1, name
        assert section["alarms"] == 0 and section["finish_reason"] == "finished", name
    assert sum(section["items"]["new"] for section in sites.values()) == sum(exported.values())


def test_every_sites_numbers_are_on_the_rendered_page(crawl):
    _, _, report, page = crawl
    rows = summary_rows(page)
    for section in report["sites"]:
        cells = rows[section["site"]]
        items = section["items"]
        assert cells[:3] == [str(items["new"]), str(items["changed"]), str(items["unchanged"])], section["site"]
        assert cells[4] == str(section["responses"]["total"])
        assert cells[7:9] == [str(section["warc"]["files"]), f'{section["warc"]["bytes"]:,}']
        assert cells[-1] == "ok"
    assert rows["total"][0] == str(report["totals"]["new"])


def test_each_site_section_shows_statuses_and_coverage_against_floors(crawl):
    _, _, report, page = crawl
    for section in report["sites"]:
        block = page.xpath(f'//h2[@id="site-{section["site"]}"]/following-sibling::div[1]')
        text = " ".join(block.xpath(".//text()").getall())
        assert f'200 {section["responses"]["by_status"]["200"]}' in " ".join(text.split())
        rows = block.xpath('.//h3[starts-with(., "Field coverage")]/following-sibling::table[1]/tbody/tr')
        coverage = {row.xpath("./td[1]/text()").get(): row.xpath("./td/descendant-or-self::*/text()").getall()
                    for row in rows}
        assert coverage["published_at"] == ["published_at", "100%", "100%", "ok"], section["site"]


def test_the_chart_is_an_embedded_png_with_a_panel_per_site(crawl):
    _, _, report, page = crawl
    source = page.css("img.chart::attr(src)").get()
    assert source.startswith("data:image/png;base64,")
    width, height = png_size(base64.b64decode(source.split(",", 1)[1]))
    assert width > 1000 and height > 150 * len(report["sites"])


def test_crawlall_prints_the_compact_table(crawl):
    _, result, report, _ = crawl
    table = result.stdout[:result.stdout.index("Crawl report: ")]
    for section in report["sites"]:
        line = next(line for line in table.splitlines() if line.startswith(section["site"] + " "))
        assert line.split()[1] == str(section["items"]["new"])
    assert result.stdout.split("Crawl report: ", 1)[1].split()[0].endswith(f"{report['run']}/report.html")
