"""A new user's walk through the README, top to bottom, on a copy of the checkout.

`WALK` lists the README's commands in the order the README gives them, each as the README writes
it (placeholders and all) and as the walk runs it: placeholders filled in, and every crawl routed
through the fixture mirror with `python -m crawler.mirror run --`, as the README says our machines
need. `test_the_walk_follows_the_readme` fails when the README drops, renames or reorders one of
them, so the two cannot drift apart. Commands the walk leaves out are in `NOT_WALKED`, with why.

Every step must show no traceback, exit with the code expected, and never print FAILED with exit
code 0; the pages asked for by name come back; no item is lost along the way.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.fixture_pages import fixture_pages

MIRROR = "python -m crawler.mirror run -- "
PAGE = "https://www.dutenews.com/n/article/7957291"


@dataclass(frozen=True)
class Step:
    """One README command: as the README writes it, as the walk runs it, and the exit code it must give."""

    readme: str
    run: str
    exit_code: int = 0


WALK = (
    Step("make run", "make run"),
    Step("make run", "make run"),  # "Run it twice": the second run is incremental
    Step("scrapy list", "scrapy list"),
    Step("scrapy crawl <site> -O items.jsonl", MIRROR + "scrapy crawl dutenews -O site.jsonl"),
    Step("scrapy crawl page -a urls=URL[,URL…] -O items.jsonl",
         MIRROR + f"scrapy crawl page -a urls={PAGE} -O page.jsonl"),
    Step("scrapy crawlall -O items.jsonl", MIRROR + "scrapy crawlall -O all.jsonl"),
    Step("scrapy replay FILE_OR_DIR… -O items.jsonl", "scrapy replay data/warc -O replayed.jsonl"),
    Step("scrapy diff ARCHIVE… --against old.jsonl", "scrapy diff data/warc --against FIRST_RUN_ITEMS"),
    Step("scrapy warc index DIR [-o X.cdxj]", "scrapy warc index data/warc"),
    Step("scrapy warc pack DIR -o X.wacz", "scrapy warc pack data/warc -o data/crawl.wacz"),
    Step("scrapy crawl: error: -a since must be a date", "scrapy crawl dutenews -a since=yesterday", exit_code=2),
)

NOT_WALKED = {
    "make test": "the suite itself",
    "python -m crawler.mirror [--root DIR] [--overlay DIR] [--port N] serve": "serves until stopped; `run` is walked",
    "make bench": "minutes of benchmark, tested in tests/bench",
    "python -m tests.generic.realpages": "needs ../shared/realpages, tested in tests/generic",
}

IGNORED_COPY = shutil.ignore_patterns(".git", ".venv*", "data", "__pycache__", ".pytest_cache", ".hypothesis",
                                      ".ruff_cache", "*.egg-info")


def test_the_walk_follows_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    position = 0
    for step in WALK:
        found = readme.find(step.readme, position)
        assert found >= 0, f"not in README (after position {position}), or out of order: {step.readme!r}"
        position = found + (0 if step.readme == "make run" else len(step.readme))
    for command in NOT_WALKED:
        assert command in readme, command


@pytest.fixture(scope="module")
def walk(tmp_path_factory) -> tuple[Path, list[tuple[Step, subprocess.CompletedProcess[str]]]]:
    """Every step run in order in a fresh copy of the checkout (without data/ or any virtual environment)."""
    home = tmp_path_factory.mktemp("walk") / "nqi-crawler"
    shutil.copytree(ROOT, home, ignore=IGNORED_COPY, symlinks=True)
    venv = Path(sys.prefix)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "PYTHONPATH": str(home)}
    done: list[tuple[Step, subprocess.CompletedProcess[str]]] = []
    for step in WALK:
        command = step.run.replace("FIRST_RUN_ITEMS", str(first_run(home) / "items.jsonl") if done else "")
        if command == "make run":  # the project's venv is this interpreter's: make installs nothing
            command = f"make run VENV={venv} -o {venv}/.installed"
        done.append((step, subprocess.run(command, shell=True, cwd=home, env=env, capture_output=True, text=True,
                                          timeout=600)))
    return home, done


def first_run(home: Path) -> Path:
    """The folder of the first run `make run` made."""
    return sorted(path for path in (home / "data" / "runs").iterdir() if path.name != "latest")[0]


def items(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("number", range(len(WALK)), ids=[f"{n}-{step.run}" for n, step in enumerate(WALK)])
def test_each_step_gives_its_exit_code_without_a_traceback(walk, number):
    _, done = walk
    step, result = done[number]
    output = result.stdout + result.stderr
    assert result.returncode == step.exit_code, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    if "FAILED" in output:
        assert result.returncode != 0, output[-3000:]


def test_make_run_exports_every_article_once_and_the_second_run_loses_none(walk):
    home, _ = walk
    first = items(first_run(home) / "items.jsonl")
    articles = {page.url for page in fixture_pages("article")}
    assert sorted(item["url"] for item in first) == sorted(articles)
    runs = sorted(path for path in (home / "data" / "runs").iterdir() if path.name != "latest")
    assert len(runs) >= 2 and items(runs[1] / "items.jsonl") == []  # the second, incremental run
    assert (home / "data" / "runs" / "latest").resolve() in {run.resolve() for run in runs}


def test_the_page_asked_for_by_name_comes_back(walk):
    home, _ = walk
    assert [item["url"] for item in items(home / "page.jsonl")] == [PAGE]


def test_replay_and_the_wacz_hold_every_article_of_the_first_run(walk):
    home, _ = walk
    first = {item["url"] for item in items(first_run(home) / "items.jsonl")}
    assert {item["url"] for item in items(home / "replayed.jsonl")} >= first
    assert (home / "data" / "crawl.wacz").stat().st_size > 0
    assert (home / "data" / "warc" / "index.cdxj").read_text(encoding="utf-8").strip()


def test_the_usage_error_is_one_line(walk):
    _, done = walk
    _, result = done[-1]
    lines = [line for line in result.stderr.splitlines() if line.startswith("scrapy crawl: error:")]
    assert len(lines) == 1 and re.search(r"since must be a date as YYYY-MM-DD .* not 'yesterday'", lines[0])
