"""The index of every run's report: `REPORT_DIR/index.html`, newest run first, with status and counts.

Rebuilt from the runs' `report.json` files (`RUNS_DIR/*/report.json`) each time a report is written,
so it lists runs of every command (crawl, crawlall, replay, page) and never goes stale.
"""

from __future__ import annotations

import json
import logging
import os
from html import escape
from typing import TYPE_CHECKING, Any

from crawler.report.page import STYLE, plural, table
from crawler.runs import LATEST_NAME

if TYPE_CHECKING:
    from pathlib import Path

logger = logging.getLogger(__name__)

INDEX_NAME = "index.html"
COLUMNS = ("run", "sites", "status", "exported", "new", "changed", "unchanged", "dropped", "responses", "errors",
           "duration (s)")


def run_reports(runs_dir: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every run's report (its JSON path and content), newest first; unreadable ones are skipped with a warning."""
    reports = []
    for path in runs_dir.glob("*/report.json"):
        if path.parent.name == LATEST_NAME:
            continue
        try:
            reports.append((path, json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            logger.warning("Leaving the unreadable report %s out of the index", path)
    return sorted(reports, key=lambda pair: pair[1].get("started_at", ""), reverse=True)


def run_status(report: dict[str, Any]) -> str:
    """`ok`, or `FAILED` with each failed site and why."""
    failures = [f"{site['site']}: {site['failure']}" for site in report.get("sites", []) if site.get("failure")]
    return "FAILED: " + "; ".join(failures) if failures else "ok"


def index_row(report_path: Path, report: dict[str, Any], index_dir: Path) -> list[Any]:
    """One run's line: linked name, sites, status and counts."""
    link = os.path.relpath(report_path.with_suffix(".html"), index_dir)
    totals, status = report.get("totals", {}), run_status(report)
    css = "ok" if status == "ok" else "bad"
    return [
        f'<a href="{escape(link)}">{escape(report.get("run", report_path.parent.name))}</a>',
        escape(", ".join(site["site"] for site in report.get("sites", []))),
        f"<span class={css}>{escape(status)}</span>",
        *(totals.get(key, 0) for key in ("exported", "new", "changed", "unchanged", "dropped", "responses", "errors")),
        report.get("duration_seconds", 0),
    ]


def write_index(runs_dir: Path, index_dir: Path) -> Path:
    """Write `index_dir/index.html` listing every run under `runs_dir`; returns its path."""
    reports = run_reports(runs_dir)
    rows = [index_row(path, report, index_dir) for path, report in reports]
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Crawl reports</title><style>{STYLE}</style></head><body>"
        f"<h1>Crawl reports</h1><p class=meta>{plural(len(rows), 'run')}, newest first</p>"
        + table(COLUMNS, rows, numeric_from=3)
        + "</body></html>"
    )
    index_dir.mkdir(parents=True, exist_ok=True)
    target = index_dir / INDEX_NAME
    scratch = index_dir / f".{INDEX_NAME}-{os.getpid()}"
    scratch.write_text(page, encoding="utf-8")
    os.replace(scratch, target)
    return target
