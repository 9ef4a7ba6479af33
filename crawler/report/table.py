"""The compact terminal table of a run: one line per site, a total, and where the report lies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.report.model import dropped_count

if TYPE_CHECKING:
    from collections.abc import Mapping

HEADER = (
    f"{'site':<12} {'new':>5} {'changed':>7} {'unchanged':>9} {'dropped':>7} {'responses':>9} {'errors':>6} "
    f"{'alarms':>6} {'WARC files':>10} {'WARC KiB':>9} {'seconds':>7}  status"
)


def _line(name: str, figures: Mapping[str, Any]) -> str:
    return (
        f"{name:<12} {figures['new']:>5} {figures['changed']:>7} {figures['unchanged']:>9} {figures['dropped']:>7} "
        f"{figures['responses']:>9} {figures['errors']:>6} {figures['alarms']:>6} "
        f"{figures['warc_files']:>10} {figures['warc_bytes'] / 1024:>9.1f} {figures['seconds']:>7.1f}  "
        f"{figures['status']}"
    ).rstrip()


def site_figures(section: Mapping[str, Any]) -> dict[str, Any]:
    """The figures of one site's line."""
    return {
        **{key: section["items"][key] for key in ("new", "changed", "unchanged")},
        "dropped": dropped_count(section), "responses": section["responses"]["total"],
        "errors": section["errors"]["logged"], "alarms": section["alarms"],
        "warc_files": section["warc"]["files"], "warc_bytes": section["warc"]["bytes"],
        "seconds": section["duration_seconds"],
        "status": status(section),
    }


def status(section: Mapping[str, Any]) -> str:
    """`FAILED: why`, or `ok` followed by the run's note when it has one."""
    if section.get("failure"):
        return f"FAILED: {section['failure']}"
    return f"ok: {section['note']}" if section.get("note") else "ok"


def render_table(report: Mapping[str, Any], html_path: str, outputs: list[str] | None = None) -> str:
    """The table as text, ending with where the items went and the report's path."""
    totals = {**report["totals"], "seconds": report["duration_seconds"], "status": ""}
    lines = [HEADER, "-" * len(HEADER)]
    lines += [_line(section["site"], site_figures(section)) for section in report["sites"]]
    lines += [_line("total", totals)]
    lines += [f"Items: {', '.join(outputs)}"] if outputs else []
    lines += [f"Crawl report: {html_path}"]
    return "\n".join(lines)
