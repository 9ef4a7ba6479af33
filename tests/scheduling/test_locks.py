"""One run per spider: crawlall and crawl refuse to start while another process holds the spider's lock."""

from __future__ import annotations

import subprocess
import sys

import pytest

from crawler import locks
from tests.conftest import ROOT, run_scrapy

HOLD = ("import sys, time; from crawler import locks; locks.acquire(sys.argv[1], 'dutenews');"
        " print('held', flush=True); time.sleep(60)")


@pytest.fixture
def held_lock(tmp_path):
    """Another process holding dutenews's lock in `tmp_path/locks`."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path / "locks")], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    yield tmp_path / "locks", holder.pid
    holder.kill()
    holder.wait(timeout=10)


def test_crawlall_refuses_to_start_while_a_spider_is_locked(held_lock, tmp_path, mirror):
    lock_dir, pid = held_lock
    result = run_scrapy(["crawlall", "-O", str(tmp_path / "items.jsonl"), "-s", f"LOCK_DIR={lock_dir}",
                         "-s", f"WARC_DIR={tmp_path / 'warc'}"], mirror_url=mirror.url, timeout=60)
    assert result.returncode == 75
    assert "scrapy crawlall: error: another run of 'dutenews' holds" in result.stderr and f"pid {pid}" in result.stderr
    assert "wait for that run to end" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "warc").exists() and not (tmp_path / "items.jsonl").exists()


def test_crawl_of_the_locked_spider_does_not_start(held_lock, tmp_path, mirror):
    lock_dir, pid = held_lock
    result = run_scrapy(["crawl", "dutenews", "-O", str(tmp_path / "items.jsonl"), "-s", f"LOCK_DIR={lock_dir}",
                         "-s", f"WARC_DIR={tmp_path / 'warc'}"], mirror_url=mirror.url, timeout=60)
    assert result.returncode == 75
    errors = [line for line in result.stderr.splitlines() if line.startswith("scrapy crawl: error: ")]
    assert len(errors) == 1 and "another run of 'dutenews' holds" in errors[0] and f"pid {pid}" in errors[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "warc").exists()


def test_a_lock_is_free_again_once_its_holder_died(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(locks.SpiderLocked):
        locks.acquire(tmp_path, "dutenews")
    holder.kill()
    holder.wait(timeout=10)
    path = locks.acquire(tmp_path, "dutenews")
    assert locks.acquire(tmp_path, "dutenews") == path  # re-entrant within a process
    locks.release(path)
