"""Shared test fixtures: the fixture mirror on loopback and a runner for real `scrapy` processes."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.mirror import MirrorServer

ROOT = Path(__file__).resolve().parent.parent

SLOW = (
    "tests/bench/", "tests/cli/", "tests/distributed/", "tests/integration/", "tests/interop/", "tests/scheduling/",
    "tests/badinput/", "tests/health/test_diff.py", "tests/health/test_drift_alarm.py",
    "tests/health/test_replay_old_layout.py", "tests/incremental/test_crash_resume.py",
    "tests/incremental/test_incremental_crawl.py", "tests/incremental/test_recover.py",
    "tests/generic/test_page_spider.py", "tests/generic/test_damaged_page.py", "tests/generic/test_realpages.py",
    "tests/archive/test_package.py", "tests/archive/test_process.py", "tests/report/test_report_in_chromium.py",
)
"""Test files and folders marked `slow`: each starts processes (scrapy crawls, scrapyd, pywb, redis-server,
Chromium, wget) or runs the bench. `make test-fast` leaves them out; `make test` and CI run them. A new test
that starts a process belongs here."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests of `SLOW` files, and the state-store tests on a real Redis, as `slow`."""
    for item in items:
        path = item.path.relative_to(ROOT).as_posix()
        on_redis = "redis" in item.keywords or "redis" in item.name
        if path.startswith(SLOW) or on_redis:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def mirror() -> Iterator[MirrorServer]:
    """The fixture mirror, serving tests/fixtures on a free 127.0.0.1 port."""
    server = MirrorServer().start()
    yield server
    server.stop()


def isolated_state(args: list[str]) -> list[str]:
    """`-s` options giving a crawl its own state store, lock folder, run folders and report index (unless `args`
    set them), and Scrapy's stats dump at INFO, where the tests read the stats (`LOG_DUMPS_LEVEL`; a user's log
    has it at DEBUG)."""
    scratch = Path(tempfile.mkdtemp(prefix="nqi-state-"))
    defaults = {"STATE_URI": f"sqlite:///{scratch / 'state.sqlite3'}", "LOCK_DIR": str(scratch / "locks"),
                "RUNS_DIR": str(scratch / "runs"), "REPORT_DIR": str(scratch / "reports"), "LOG_DUMPS_LEVEL": "INFO"}
    options: list[str] = []
    for name, value in defaults.items():
        if not any(arg.startswith(f"{name}=") for arg in args):
            options += ["-s", f"{name}={value}"]
    return options


def run_scrapy(args: list[str], *, mirror_url: str | None = None, timeout: int = 300,
               cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run `scrapy ARGS` as a real process from the project root; returns its output."""
    command = [sys.executable, "-m", "scrapy", *args, *isolated_state(args)]
    if mirror_url:
        command += ["-s", f"MIRROR_URL={mirror_url}", "-s", "ALLOW_PRIVATE_NETWORKS=True"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def scrapy_run():
    """The `run_scrapy` helper."""
    return run_scrapy
