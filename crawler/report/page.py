"""The report as one self-contained HTML page: summary table, chart, then every site's details."""

from __future__ import annotations

import base64
from html import escape
from typing import TYPE_CHECKING, Any

from crawler.report.model import dropped_count

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; color: #1d2430; margin: 24px auto; max-width: 1100px; padding: 0 16px; }
h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 19px; margin-top: 32px; border-bottom: 1px solid #d5dae1; }
h3 { font-size: 15px; margin: 14px 0 4px; } .meta { color: #5b6573; margin-top: 0; }
table { border-collapse: collapse; margin: 6px 0 10px; } th, td { padding: 3px 10px; border-bottom: 1px solid #e4e7eb; }
th { text-align: left; background: #f3f5f8; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.bad { color: #b3261e; font-weight: 600; } .ok { color: #1f7a3a; } .muted { color: #7a8491; }
.grid { display: flex; flex-wrap: wrap; gap: 8px 40px; align-items: flex-start; }
img.chart { max-width: 100%; border: 1px solid #e4e7eb; }
"""

SUMMARY_COLUMNS = ("site", "new", "changed", "unchanged", "dropped", "responses", "errors", "alarms",
                   "WARC files", "WARC bytes", "duration (s)", "status")


def plural(count: int, noun: str) -> str:
    """`1 site`, `6 sites`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def table(headers: Iterable[str], rows: Iterable[Iterable[Any]], numeric_from: int = 1) -> str:
    """An HTML table; columns from `numeric_from` on are right-aligned, cells already escaped when str."""
    def css(column: int) -> str:
        return " class=n" if column >= numeric_from else ""

    head = "".join(f"<th{css(i)}>{escape(h)}</th>" for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f"<td{css(i)}>{cell}</td>" for i, cell in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def counts_table(title: str, counts: Mapping[str, int], empty: str) -> str:
    """A two-column table of named counts, or a line saying there are none."""
    if not counts:
        return f"<div><h3>{escape(title)}</h3><p class=muted>{escape(empty)}</p></div>"
    return f"<div><h3>{escape(title)}</h3>{table(('', 'count'), ((escape(k), v) for k, v in counts.items()))}</div>"


def status_cell(section: Mapping[str, Any]) -> str:
    """`ok`, or why the site needs a look (drift alarms, an unusual finish)."""
    problems = []
    if section["finish_reason"] not in ("finished", ""):
        problems.append(f"finished: {section['finish_reason']}")
    if section["alarms"]:
        problems.append(plural(section["alarms"], "drift alarm"))
    return f"<span class=bad>{escape('; '.join(problems))}</span>" if problems else "<span class=ok>ok</span>"


def summary_row(section: Mapping[str, Any]) -> list[Any]:
    """One site's line in the summary table."""
    items, alarms = section["items"], section["alarms"]
    return [
        f'<a href="#site-{escape(section["site"])}">{escape(section["site"])}</a>', items["new"], items["changed"],
        items["unchanged"], dropped_count(section), section["responses"]["total"], section["errors"]["logged"],
        f"<span class=bad>{alarms}</span>" if alarms else alarms, section["warc"]["files"],
        f'{section["warc"]["bytes"]:,}', section["duration_seconds"], status_cell(section),
    ]


def coverage_table(coverage: Mapping[str, Any]) -> str:
    """Field coverage beside the floors; fields below their floor stand out."""
    rows = []
    for row in coverage["fields"]:
        status = row["status"]
        css = "bad" if status == "below floor" else "ok" if status == "ok" else "muted"
        floor = f'{row["floor"]:.0%}' if row["floor"] is not None else "—"
        verdict = f"<span class={css}>{escape(status)}</span>"
        rows.append((escape(row["field"]), f'{row["coverage"]:.0%}', floor, verdict))
    title = f'<h3>Field coverage over {coverage["items"]} items</h3>'
    return f"<div>{title}{table(('field', 'coverage', 'floor', 'status'), rows)}</div>"


def site_details(section: Mapping[str, Any]) -> str:
    """The details of one site: responses, errors, drops, coverage, WARC files."""
    name = escape(section["site"])
    unusable = section["unusable_pages"]
    warc = section["warc"]
    files = "".join(f"<li>{escape(file)}</li>" for file in warc["names"]) or "<li class=muted>none</li>"
    return (
        f'<h2 id="site-{name}">{name}</h2>'
        f'<p class=meta>{plural(section["items"]["exported"], "item")} exported, '
        f'{unusable["dropped"]} of {unusable["parsed"]} parsed pages unusable, {section["duration_seconds"]} s, '
        f'finished: {escape(str(section["finish_reason"]))}</p>'
        '<div class=grid>'
        + counts_table("Responses by status", section["responses"]["by_status"], "no responses")
        + counts_table("Errors by kind", section["errors"]["by_kind"], "no errors")
        + counts_table("Items dropped by reason", section["dropped"], "nothing dropped")
        + coverage_table(section["coverage"])
        + f'<div><h3>WARC: {plural(warc["files"], "file")}, {warc["bytes"]:,} bytes</h3><ul>{files}</ul></div>'
        + "</div>"
    )


def articles_table(articles: list[Mapping[str, Any]]) -> str:
    """Every exported article, newest publish date first: date, site, title linked to its URL, version."""
    if not articles:
        return "<h2>Articles</h2><p class=muted>No article was exported in this run.</p>"
    rows = [(escape(str(row["published_at"] or "—")), escape(row["site"]),
             f'<a href="{escape(row["url"])}">{escape(row["title"] or row["url"])}</a>',
             row["version"] if row["version"] is not None else "—")
            for row in articles]
    headers = ("published", "site", "title", "version")
    return f"<h2>Articles ({len(articles)})</h2>" + table(headers, rows, numeric_from=3)


def render(report: Mapping[str, Any], chart_png: bytes | None) -> str:
    """The whole page."""
    totals = report["totals"]
    total_row = ["<b>total</b>", totals["new"], totals["changed"], totals["unchanged"], totals["dropped"],
                 totals["responses"], totals["errors"], totals["alarms"], totals["warc_files"],
                 f'{totals["warc_bytes"]:,}', report["duration_seconds"], ""]
    summary = table(SUMMARY_COLUMNS, [*(summary_row(s) for s in report["sites"]), total_row])
    chart = "<p class=muted>No item of this run carries a publish date.</p>"
    if chart_png:
        data = base64.b64encode(chart_png).decode("ascii")
        chart = f'<img class=chart alt="items by publish date per site" src="data:image/png;base64,{data}">'
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<title>Crawl report {escape(report["run"])}</title><style>{STYLE}</style></head><body>'
        f'<h1>Crawl report {escape(report["run"])}</h1>'
        f'<p class=meta>{escape(report["started_at"])} to {escape(report["finished_at"])}, '
        f'{report["duration_seconds"]} s, {plural(len(report["sites"]), "site")}, '
        f'{plural(totals["exported"], "item")} exported</p>'
        f"{summary}<h2>Items by publish date</h2>{chart}"
        + articles_table(report.get("articles", []))
        + "".join(site_details(section) for section in report["sites"])
        + "</body></html>"
    )
