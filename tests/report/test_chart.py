"""The publish-date chart: a bin per day, month or year depending on the site's span; a real PNG."""

from __future__ import annotations

import struct
from datetime import date

from crawler.report.chart import bins, publish_chart


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_bins_follow_the_span():
    assert bins({"2024-01-09": 1, "2024-01-10": 2}) == ("day", {date(2024, 1, 9): 1, date(2024, 1, 10): 2})
    assert bins({"2024-05-03": 1, "2024-05-30": 1, "2024-09-01": 1}) == (
        "month", {date(2024, 5, 1): 2, date(2024, 9, 1): 1})
    assert bins({"2012-06-11": 1, "2024-03-01": 1, "2024-03-08": 1}) == (
        "year", {date(2012, 1, 1): 1, date(2024, 1, 1): 2})


def test_chart_is_a_png_with_one_panel_per_dated_site():
    sections = [{"site": "a", "published": {"2024-01-09": 1}}, {"site": "b", "published": {}},
                {"site": "c", "published": {"2012-06-11": 1, "2024-03-01": 4}}]
    two_width, two_height = png_size(publish_chart(sections))
    one_width, one_height = png_size(publish_chart(sections[:1]))
    assert two_width == one_width and two_height > 1.8 * one_height


def test_no_dated_items_no_chart():
    assert publish_chart([{"site": "a", "published": {}}]) is None
