"""Crash resume: crawlall killed with SIGKILL at seeded random points and restarted with the same JOBDIR
finishes with every article exported exactly once, fetches no page again that was done before a kill,
and leaves only closed WARC files that pass `warcio check`."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.fixture_pages import fixture_pages
from tests.incremental.warcs import read_items, warc_records, warcio_check

SEED = 6
KILLS = 3
MARGIN = 10
# Slow enough that every kill lands while work remains: at most ~3 items are exported in the
# random delay after a kill's target, and the last target leaves 10 articles to go.
SLOW = ["-s", "DOWNLOAD_DELAY=0.5", "-s", "RANDOMIZE_DOWNLOAD_DELAY=False", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]


def crawlall(out: Path, mirror_url: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawlall", "-O", str(out / "items.jsonl"),
            "-s", f"WARC_DIR={out / 'warc'}", "-s", f"STATE_URI=sqlite:///{out / 'state.sqlite3'}",
            "-s", f"LOCK_DIR={out / 'locks'}", "-s", f"REJECTS_PATH={out / 'rejects.jsonl'}",
            "-s", f"JOBDIR={out / 'job'}", "-s", f"MIRROR_URL={mirror_url}", "-s", "ALLOW_PRIVATE_NETWORKS=True",
            "-s", "LOG_DUMPS_LEVEL=INFO", *SLOW]  # the stats dump, read by the tests


def exported_so_far(out: Path) -> set[str]:
    """URLs in the part files: exported (and so done) by the runs so far."""
    return {item["url"] for part in (out / "items.parts").glob("*.jsonl") for item in read_items(part)}


def kill_after(command: list[str], out: Path, items: int, extra_delay: float, log: Path) -> tuple[str, bool]:
    """Start the crawl, SIGKILL it and its WARC writer once `items` items are exported (plus a delay); (kill time,
    killed)."""
    with open(log, "w") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                   stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        deadline = time.monotonic() + 60
        while process.poll() is None and len(exported_so_far(out)) < items and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(extra_delay)
        killed = process.poll() is None
        if killed:  # the crawl and its WARC writer process at once, as a crash of the machine would
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), killed


@pytest.fixture(scope="module")
def resumed(tmp_path_factory, mirror):
    out = tmp_path_factory.mktemp("resume")
    command = crawlall(out, mirror.url)
    rng = random.Random(SEED)
    kills = []
    articles = len(fixture_pages("article"))
    for number in range(KILLS):
        done = len(exported_so_far(out))
        target = rng.randint(done + 1, max(done + 1, min(done + 8, articles - MARGIN)))
        moment, killed = kill_after(command, out, target, rng.uniform(0.0, 0.2), out / f"kill{number}.log")
        kills.append((moment, exported_so_far(out), killed))
    leftovers = sorted(path.name for path in (out / "warc").glob("*.open"))
    final = subprocess.run(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                           capture_output=True, text=True, timeout=120)
    return out, kills, leftovers, final


def test_the_kills_hit_a_running_crawl(resumed):
    _, kills, _, _ = resumed
    assert all(killed for _, _, killed in kills)
    done = [len(urls) for _, urls, _ in kills]
    assert done == sorted(done) and done[0] > 0 and done[-1] < len(fixture_pages("article"))


def test_the_restarted_crawl_finishes_and_exports_every_article_once(resumed):
    out, _, _, final = resumed
    assert final.returncode == 0, final.stdout[-2000:] + final.stderr[-3000:]
    assert "Resuming the killed job" in final.stderr
    items = read_items(out / "items.jsonl")
    urls = [item["url"] for item in items]
    assert len(urls) == len(set(urls))
    assert set(urls) == {page.url for page in fixture_pages("article")}
    assert {item["version"] for item in items} == {1}
    assert not (out / "items.parts").exists()


def test_pages_done_before_a_kill_are_not_fetched_again(resumed):
    out, kills, _, final = resumed
    records = warc_records(out / "warc")
    for moment, done, _ in kills:
        again = sorted({r.uri for r in records if r.uri in done and r.type == "request" and r.date > moment})
        assert again == [], f"fetched again after the kill at {moment}"
    assert "'state/resume_skipped'" in final.stderr


def test_leftover_open_files_are_closed_and_every_file_passes_warcio_check(resumed):
    out, _, leftovers, final = resumed
    assert leftovers, "the kills left no .open WARC file to recover"
    assert not list((out / "warc").glob("*.open"))
    recovered = sum(int(n) for n in __import__("re").findall(r"'warc/recovered_files': (\d+)", final.stderr))
    assert recovered >= 1
    result = warcio_check(out / "warc")
    assert result.returncode == 0, result.stdout + result.stderr
    files = {p.name for p in (out / "warc").glob("*.warc.gz")}
    with open(out / "items.jsonl", encoding="utf-8") as items:
        assert all(json.loads(line)["warc"]["file"] in files for line in items)
