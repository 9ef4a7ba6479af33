"""Shared fixtures of the interop tests: one real crawl of every site through the mirror, helpers to read its output."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_scrapy
from tests.fixture_pages import read_items  # noqa: F401 (re-exported to the suite's modules)


def output_settings(out: Path) -> list[str]:
    """`-s` options sending a run's WARCs, rejects, run folder and report index into `out`."""
    return ["-s", f"WARC_DIR={out / 'warc'}", "-s", f"REJECTS_PATH={out / 'rejects.jsonl'}",
            "-s", f"REPORT_DIR={out / 'reports'}", "-s", f"RUNS_DIR={out / 'runs'}"]


def final_stats(stderr: str) -> dict[str, Any]:
    """The stats a scrapy process dumped at its (last) close."""
    dumps = re.findall(r"Dumping Scrapy stats:\n(\{.*?\})\n", stderr, re.DOTALL)
    assert dumps, stderr[-3000:]
    text = re.sub(r"datetime\.datetime\([^)]*\)", "None", dumps[-1])
    return ast.literal_eval(text)


def replay(inputs: list[str], out: Path, *extra: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`scrapy replay INPUTS -O out/items.jsonl`, no network, output into `out`."""
    args = ["replay", *inputs, "-O", str(out / "items.jsonl"), *output_settings(out), *extra]
    result = run_scrapy(args) if cwd is None else run_scrapy(args, cwd=cwd)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.fixture(scope="session")
def live_crawl(tmp_path_factory, mirror) -> Path:
    """`scrapy crawlall` of every fixture site through the mirror: out/warc, out/items.jsonl."""
    out = tmp_path_factory.mktemp("live")
    result = run_scrapy(["crawlall", "-O", str(out / "items.jsonl"), *output_settings(out)], mirror_url=mirror.url)
    assert result.returncode == 0, result.stderr[-3000:]
    return out
