"""Pages that hold several posts (a blog's front page, a forum thread): the article is the first post.

Such a page prints a stamp beside every post: a short line with the post's date and time of day
(`由张三张贴 @ 2005-06-14 03:25:55`, `楼层： 第 2 楼 时间：2005-08-28 23:38:58`), laid out alike for each
post, so the stamps share one shape once their digits are masked. When the extracted text runs across
such stamps, it holds several posts; the item keeps the post holding the first prose paragraph and its
own lines (a forum post's poster fields, a signature), not the replies, later posts or sidebars.

A news page's dateline is one line of its shape, and a list of dated links elsewhere on the page does not
cut through the article's text, so articles are left whole.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from typing import NamedTuple

from crawler.normalize.dates import parse_date
from crawler.parsing.generic.layout import position
from crawler.parsing.generic.markup import squeeze
from crawler.parsing.generic.merge import is_prose

STAMP_MAX = 60
"""Longer lines are text that mentions a time, not a post's stamp."""

_DIGITS = re.compile(r"\d+")


def stamp_shape(line: str) -> str | None:
    """The shape of a post stamp (its text with digits masked), or None for any other line: a stamp is
    short and prints a date with a time of day."""
    key = squeeze(line)
    if not key or len(key) > STAMP_MAX:
        return None
    found = parse_date(line)
    if found is None or found.precision == "day":
        return None
    return _DIGITS.sub("#", key)


def stamp_lines(lines: list[str]) -> list[int]:
    """The indexes of the page lines that are stamps of a shape printed at least twice."""
    shapes = [stamp_shape(line) for line in lines]
    repeated = {shape for shape, count in Counter(shape for shape in shapes if shape).items() if count >= 2}
    return [index for index, shape in enumerate(shapes) if shape in repeated]


class Post(NamedTuple):
    """The article's paragraphs and where its lines end on the page (the stamp closing the first post
    is its last line; the page's end for a page of one article)."""

    paragraphs: list[str]
    end: int


def first_post(paragraphs: list[str], lines: list[str], keys: list[str]) -> Post:
    """The first post when the text runs across post stamps, else `paragraphs` as they are and the whole
    page. `keys` are the squeezed `lines`; a paragraph not found on the page stays with the one before it."""
    whole = Post(paragraphs, len(lines))
    stamps = stamp_lines(lines)
    if len(stamps) < 2:
        return whole
    segments = []
    at = 0
    for paragraph in paragraphs:
        found = position(keys, paragraph, at)
        at = found if found is not None else at
        segments.append(bisect.bisect_right(stamps, at))
    first = next((segment for paragraph, segment in zip(paragraphs, segments, strict=True) if is_prose(paragraph)),
                 None)
    if first is None or not any(segment > first for segment in segments):
        return whole
    kept = [paragraph for paragraph, segment in zip(paragraphs, segments, strict=True) if segment == first]
    return Post(kept, stamps[first] + 1)
