"""Each command writes to its own place, and the figures add up (issue 14, points 6 and 7): two `crawlall` runs,
then `replay`, `diff` and `page` against the same folders, as real processes over the mirror."""

from __future__ import annotations

import ast
import hashlib
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import run_scrapy
from tests.integration.test_outputs import lines, places, store_dump


def stat_dumps(stderr: str) -> list[dict]:
    """Every stats dump of a process (one per spider), datetimes left out."""
    dumps = re.findall(r"Dumping Scrapy stats:\n(\{.*?\})\n", stderr, re.DOTALL)
    return [ast.literal_eval(re.sub(r"datetime\.datetime\([^)]*\)", "None", dump)) for dump in dumps]


def run_folders(root: Path) -> list[Path]:
    """The run folders under root/runs (not the `latest` link), oldest first."""
    return sorted(path for path in (root / "runs").iterdir() if not path.is_symlink() and path.is_dir())


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the SHA-1 of its bytes."""
    return {str(path.relative_to(folder)): hashlib.sha1(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


class Links(HTMLParser):
    """The href of every link of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value for name, value in attrs if name == "href" and value]


def links(page: Path) -> list[str]:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.hrefs


@pytest.fixture(scope="module")
def session(tmp_path_factory, mirror):
    """Two crawlall runs, then replay of their WARCs, diff against the first export, and page of one URL."""
    root = tmp_path_factory.mktemp("runs")
    first = run_scrapy(["crawlall", *places(root)], mirror_url=mirror.url)
    second = run_scrapy(["crawlall", *places(root)], mirror_url=mirror.url)
    crawl_runs = run_folders(root)
    before = {"store": store_dump(root / "state.sqlite3"), "runs": {p.name: tree_digest(p) for p in crawl_runs}}
    first_items = crawl_runs[0] / "items.jsonl"
    runs_dir = ["-s", f"RUNS_DIR={root / 'runs'}", "-s", f"REPORT_DIR={root / 'reports'}"]
    replay = run_scrapy(["replay", str(root / "warc"), *runs_dir])
    diff = run_scrapy(["diff", str(root / "warc"), "--against", str(first_items), *runs_dir])
    url = lines(first_items)[0]["url"]
    page = run_scrapy(["crawl", "page", "-a", f"urls={url}", *places(root)], mirror_url=mirror.url)
    return root, (first, second, replay, diff, page), before


def test_every_command_ran(session):
    _, results, _ = session
    for result in results:
        assert result.returncode == 0, result.stderr[-3000:]


def test_replay_diff_and_page_leave_the_crawls_store_and_runs_alone(session):
    root, _, before = session
    assert store_dump(root / "state.sqlite3") == before["store"]
    for name, digest in before["runs"].items():
        assert tree_digest(root / "runs" / name) == digest, name


def test_each_run_has_its_own_folder_and_report(session):
    root, (_, _, replay, _, page), before = session
    folders = run_folders(root)
    assert len(folders) == 4  # two crawls, the replay, the page run; the diff writes no run folder
    new = [folder for folder in folders if folder.name not in before["runs"]]
    for folder in new:
        assert (folder / "report.html").is_file() and (folder / "report.json").is_file()
    sites = [[site["site"] for site in json.loads((folder / "report.json").read_text())["sites"]] for folder in new]
    assert sites == [["replay"], ["page"]]
    assert str(new[0] / "items.jsonl") in replay.stdout and str(new[1] / "items.jsonl") in page.stdout
    assert (root / "runs" / "latest").resolve() == new[1]


def test_the_index_lists_every_run_newest_first_linked_to_its_report(session):
    root, _, _ = session
    index = root / "reports" / "index.html"
    hrefs = links(index)
    folders = run_folders(root)
    reports = [folder / "report.html" for folder in reversed(folders)]
    assert [(index.parent / href).resolve() for href in hrefs] == reports
    text = index.read_text(encoding="utf-8")
    assert text.count("<span class=ok>ok</span>") == len(folders)


def test_first_run_counts_each_site_as_its_items_file_holds(session):
    root, _, _ = session
    report = json.loads((run_folders(root)[0] / "report.json").read_text(encoding="utf-8"))
    on_disk = Counter(item["site"] for item in lines(run_folders(root)[0] / "items.jsonl"))
    assert {site["site"]: site["items"]["new"] for site in report["sites"]} == dict(on_disk)
    assert {site["site"]: site["items"]["unchanged"] for site in report["sites"]} == dict.fromkeys(on_disk, 0)
    assert report["totals"]["exported"] == sum(on_disk.values())


def test_warnings_are_counted_under_the_spider_that_logged_them(session):
    _, (first, *_), _ = session
    logged = len(re.findall(r"^\S+ \S+ \[[^\]]+\] WARNING: ", first.stderr, re.MULTILINE))
    counted = [dump.get("log_count/WARNING", 0) for dump in stat_dumps(first.stderr)]
    assert len(counted) == 6
    assert sum(counted) == logged


def test_304s_count_as_responses(session):
    root, _, _ = session
    report = json.loads((run_folders(root)[1] / "report.json").read_text(encoding="utf-8"))
    for site in report["sites"]:
        assert site["items"]["new"] == 0 and site["items"]["unchanged"] > 0, site["site"]
        assert site["responses"]["by_status"].get("304", 0) == site["items"]["unchanged"], site["site"]
        assert site["responses"]["total"] > site["items"]["unchanged"]


def test_the_report_lists_the_runs_articles_newest_first(session):
    root, _, _ = session
    folder = run_folders(root)[0]
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    items = {item["url"]: item for item in lines(folder / "items.jsonl")}
    articles = report["articles"]
    assert {row["url"] for row in articles} == set(items)
    for row in articles:
        item = items[row["url"]]
        assert row == {"title": item["title"], "site": item["site"], "published_at": item["published_at"],
                       "url": item["url"], "version": item["version"]}
    dates = [row["published_at"] for row in articles if row["published_at"]]
    assert dates == sorted(dates, reverse=True)
    assert set(items) <= set(links(folder / "report.html"))
