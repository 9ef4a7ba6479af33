"""The chart of items by publish date, one small panel per site, drawn with matplotlib (Agg, PNG).

Each site gets its own time axis and bin: days when its dates span two months at most, months up
to three years, years beyond (a site whose archive reaches back a decade stays readable).
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

if TYPE_CHECKING:
    from collections.abc import Mapping

    from matplotlib.axes import Axes

BAR_WIDTH_DAYS = {"day": 0.8, "month": 24, "year": 300}
PANEL_HEIGHT = 1.7
WIDTH = 10.0


def bins(published: Mapping[str, int]) -> tuple[str, dict[date, int]]:
    """The bin unit for a site's publish days (`YYYY-MM-DD` -> count) and the counts per bin start."""
    days = {date.fromisoformat(day): count for day, count in published.items()}
    span = (max(days) - min(days)).days
    unit = "day" if span <= 62 else "month" if span <= 3 * 366 else "year"
    binned: Counter[date] = Counter()
    for day, count in days.items():
        start = day if unit == "day" else day.replace(day=1) if unit == "month" else day.replace(month=1, day=1)
        binned[start] += count
    return unit, dict(sorted(binned.items()))


def _panel(axes: Axes, site: str, published: Mapping[str, int]) -> None:
    unit, counts = bins(published)
    width = BAR_WIDTH_DAYS[unit]
    bars = axes.bar(list(counts), list(counts.values()), width=width, align="edge", color="#3b6ea5")
    axes.bar_label(bars, fontsize=7, padding=1)
    axes.margins(y=0.25)
    pad = timedelta(days=max(width * 2, 7))
    axes.set_xlim(min(counts) - pad, max(counts) + timedelta(days=width) + pad)
    axes.set_title(f"{site}: {sum(counts.values())} items by publish {unit}", loc="left", fontsize=10)
    locator = AutoDateLocator(minticks=3, maxticks=8)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=3))
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=8)


def publish_chart(sections: list[dict[str, Any]]) -> bytes | None:
    """A PNG of items by publish date per site, or None when no item carries a date."""
    dated = [section for section in sections if section["published"]]
    if not dated:
        return None
    figure = Figure(figsize=(WIDTH, PANEL_HEIGHT * len(dated)), layout="constrained")
    panels = figure.subplots(len(dated), 1, squeeze=False)[:, 0]
    for axes, section in zip(panels, dated, strict=True):
        _panel(axes, section["site"], section["published"])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()
