"""A real `scrapy crawlall` through a fixture mirror, every output in a temporary folder."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import run_scrapy


def isolated_settings(out: Path, state: bool = True) -> list[str]:
    """`-s` options that keep every file a crawl writes inside `out`.

    Without `state`, the state store is left to the command (`scrapy replay` and `scrapy diff` make
    a fresh one per run, so that replaying twice gives the same items twice).
    """
    settings: dict[str, object] = {
        "WARC_DIR": out / "warc", "REJECTS_PATH": out / "rejects.jsonl", "REPORT_DIR": out / "reports",
        "RUNS_DIR": out / "runs", "LOCK_DIR": out / "locks",
    }
    if state:
        settings["STATE_URI"] = f"sqlite:///{out / 'state.sqlite3'}"
    return [option for name, value in settings.items() for option in ("-s", f"{name}={value}")]


def crawlall(out: Path, mirror_url: str) -> subprocess.CompletedProcess[str]:
    """Crawl every site through the mirror into `out` (items in `out/items.jsonl`)."""
    return run_scrapy(["crawlall", "-O", str(out / "items.jsonl"), *isolated_settings(out)], mirror_url=mirror_url)


def the_report(out: Path) -> tuple[dict[str, Any], Path]:
    """The one report the crawl wrote: its JSON, and the path of its HTML."""
    (json_path,) = [path for path in (out / "runs").glob("*/report.json") if path.parent.name != "latest"]
    return json.loads(json_path.read_text(encoding="utf-8")), json_path.with_suffix(".html")
