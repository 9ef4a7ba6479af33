"""Benchmark runs in child processes: crawls and replays, with each child's own peak RSS and CPU time.

Each run is a fresh Python process, so one run's memory, caches and threads never leak into the
next; `os.wait4` gives the child's own `ru_maxrss`. The parent's CPU time during a crawl is the
mirror server's cost (the parent does nothing else meanwhile).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent.parent
_STAT = re.compile(r"'(elapsed_time_seconds|item_scraped_count|replay/article_captures)': ([\d.]+)")


@dataclass
class ChildRun:
    """What a child process reported, and what the operating system measured of it."""

    output: str
    log: Path
    returncode: int
    wall_s: float
    max_rss_mib: float
    cpu_s: float
    parent_cpu_s: float


def run_child(command: list[str], log: Path) -> ChildRun:
    """Run `command` with the project on the path; stderr goes to `log`."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")])),
           "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w", encoding="utf-8") as errors:
        started, parent_cpu = time.perf_counter(), time.process_time()
        process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=errors, text=True)
        assert process.stdout is not None
        output = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        wall, parent_cpu = time.perf_counter() - started, time.process_time() - parent_cpu
    return ChildRun(output, log, os.waitstatus_to_exitcode(status), wall, usage.ru_maxrss / 1024,
                    usage.ru_utime + usage.ru_stime, parent_cpu)


def crawl(mirror_url: str, warc: bool, max_lists: int, workdir: Path,
          extra: dict[str, str] | None = None) -> dict[str, Any]:
    """One benchmark crawl (`crawler.bench.crawl`) in a child process: its figures, RSS and CPU."""
    command = [sys.executable, "-m", "crawler.bench.crawl", "--mirror-url", mirror_url,
               "--warc", "on" if warc else "off", "--max-lists", str(max_lists), "--workdir", str(workdir)]
    command += [arg for name, value in (extra or {}).items() for arg in ("--set", f"{name}={value}")]
    shutil.rmtree(workdir, ignore_errors=True)  # a fresh state store: nothing is known from an earlier run
    run = run_child(command, workdir / "crawl.log")
    if run.returncode != 0 or not run.output.strip():
        raise RuntimeError(f"benchmark crawl failed ({run.returncode}); see {run.log}")
    figures = json.loads(run.output.strip().splitlines()[-1])
    pages = max(figures["pages"], 1)
    return {**figures, "warc": warc, "max_rss_mib": round(run.max_rss_mib, 1), "cpu_s": round(run.cpu_s, 2),
            "cpu_ms_per_page": round(1000 * run.cpu_s / pages, 3), "load_average": load_average(),
            "server_cpu_ms_per_page": round(1000 * run.parent_cpu_s / pages, 3)}


def bare(mirror_url: str, mirror_root: Path, max_lists: int, workdir: Path) -> dict[str, Any]:
    """The bare Scrapy crawl of the same pages (`crawler.bench.bare`) in a child process: its figures, RSS and CPU."""
    command = [sys.executable, "-m", "crawler.bench.bare", "--mirror-url", mirror_url,
               "--mirror-root", str(mirror_root), "--max-lists", str(max_lists)]
    shutil.rmtree(workdir, ignore_errors=True)
    run = run_child(command, workdir / "bare.log")
    if run.returncode != 0 or not run.output.strip():
        raise RuntimeError(f"bare Scrapy crawl failed ({run.returncode}); see {run.log}")
    figures = json.loads(run.output.strip().splitlines()[-1])
    return {**figures, "max_rss_mib": round(run.max_rss_mib, 1), "cpu_s": round(run.cpu_s, 2),
            "cpu_ms_per_page": round(1000 * run.cpu_s / max(figures["pages"], 1), 3), "load_average": load_average()}


def load_average() -> float:
    """The machine's one-minute load average (other processes compete for the cores)."""
    with open("/proc/loadavg", encoding="utf-8") as loadavg:
        return float(loadavg.read().split()[0])


def replay(warc_dir: Path, workdir: Path, jobs: int) -> dict[str, Any]:
    """`scrapy replay WARC_DIR -j JOBS -O items.jsonl` in a child process: articles, elapsed (Scrapy's stats), wall time
    and the peak RSS of the replay's processes (its workers are its children)."""
    shutil.rmtree(workdir, ignore_errors=True)
    output = workdir / "replay.jsonl"
    command = [sys.executable, "-m", "scrapy", "replay", str(warc_dir), "-j", str(jobs), "-O", str(output),
               # The stats dump (elapsed_time_seconds) is logged at LOG_DUMPS_LEVEL, DEBUG by default.
               "-s", "LOG_LEVEL=INFO", "-s", "LOG_DUMPS_LEVEL=INFO", "-s", "REPLAY_PROGRESS=False",
               "-s", "REPORT_ENABLED=False",
               "-s", f"REJECTS_PATH={workdir / 'rejects.jsonl'}", "-s", f"LOCK_DIR={workdir / 'locks'}"]
    run = run_child(command, workdir / "replay.log")
    if run.returncode != 0:
        raise RuntimeError(f"scrapy replay failed ({run.returncode}); see {run.log}")
    stats = {name: float(value) for name, value in _STAT.findall(run.log.read_text(encoding="utf-8"))}
    items = sum(1 for line in output.open(encoding="utf-8") if line.strip())
    if "elapsed_time_seconds" not in stats:
        raise RuntimeError(f"scrapy replay logged no elapsed_time_seconds; see {run.log}")
    elapsed = stats["elapsed_time_seconds"]
    captures = int(stats.get("replay/article_captures", 0))
    return {"articles": items, "article_captures": captures, "jobs": jobs,
            "elapsed_s": elapsed, "wall_s": round(run.wall_s, 2), "articles_per_s": items / elapsed if elapsed else 0.0,
            "captures_per_s": captures / elapsed if elapsed else 0.0,
            "max_rss_mib": round(run.max_rss_mib, 1), "load_average": load_average()}
