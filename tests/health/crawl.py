"""A real `scrapy crawlall` through a fixture mirror, every output in a temporary folder."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import run_scrapy


def isolated_settings(out: Path) -> list[str]:
    """`-s` options that keep every file a crawl writes inside `out`."""
    settings = {
        "WARC_DIR": out / "warc", "REJECTS_PATH": out / "rejects.jsonl", "REPORT_DIR": out / "reports",
        "STATE_URI": f"sqlite:///{out / 'state.sqlite3'}", "LOCK_DIR": out / "locks",
    }
    return [option for name, value in settings.items() for option in ("-s", f"{name}={value}")]


def crawlall(out: Path, mirror_url: str) -> subprocess.CompletedProcess[str]:
    """Crawl every site through the mirror into `out` (items in `out/items.jsonl`)."""
    return run_scrapy(["crawlall", "-O", str(out / "items.jsonl"), *isolated_settings(out)], mirror_url=mirror_url)


def the_report(out: Path) -> tuple[dict[str, Any], Path]:
    """The one report the crawl wrote: its JSON, and the path of its HTML."""
    (json_path,) = sorted((out / "reports").glob("*.json"))
    return json.loads(json_path.read_text(encoding="utf-8")), json_path.with_suffix(".html")
