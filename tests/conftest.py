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


@pytest.fixture(scope="session")
def mirror() -> Iterator[MirrorServer]:
    """The fixture mirror, serving tests/fixtures on a free 127.0.0.1 port."""
    server = MirrorServer().start()
    yield server
    server.stop()


def isolated_state(args: list[str]) -> list[str]:
    """`-s` options giving a crawl its own state store and lock folder (unless `args` set them)."""
    scratch = Path(tempfile.mkdtemp(prefix="nqi-state-"))
    defaults = {"STATE_URI": f"sqlite:///{scratch / 'state.sqlite3'}", "LOCK_DIR": str(scratch / "locks")}
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
