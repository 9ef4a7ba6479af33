"""Where the headline and the body lie among the page's text lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.normalize.dates import parse_date
from crawler.normalize.labels import ORIGINAL_HEADLINE_LABEL
from crawler.parsing.generic.credits import poster_in
from crawler.parsing.generic.markup import squeeze

HEADER_LINES = 12
"""How many lines under the headline, or just before the body, may hold its date/source/byline line."""
HEADLINE_REACH = 40
"""How far before the body the headline may stand (old portals put boxes of links between them)."""
TAIL_LINES = 6
"""How many lines after the body may hold its closing credits."""
AROUND_LINES = 30
"""How many lines after the body may hold a byline printed away from the headline."""
PREFIX = 20
"""How many characters of a paragraph identify its line on the page."""

_LIST_MARK = re.compile(r"^\s*(?:[-*•]|\d+\.)\s+")


@dataclass(frozen=True)
class PageLines:
    """The page's text lines and the indexes of the headline and of the body's first and last lines."""

    lines: list[str]
    title_at: int | None
    body_start: int | None
    body_end: int | None

    @property
    def under_headline(self) -> bool:
        """Whether the headline stands before the body, near enough for the header to start under it."""
        if self.title_at is None or self.body_start is None:
            return False
        return 0 < self.body_start - self.title_at <= HEADLINE_REACH

    def header(self) -> list[str]:
        """The lines between the headline and the body (the first and last `HEADER_LINES` of them
        when there are more); the lines just before the body when the headline is not found near it."""
        if self.body_start is None:
            return []
        if not self.under_headline:
            return self.lines[max(0, self.body_start - HEADER_LINES):self.body_start]
        between = self.lines[self.title_at + 1:self.body_start]  # type: ignore[operator]
        if len(between) <= 2 * HEADER_LINES:
            return between
        return between[:HEADER_LINES] + between[-HEADER_LINES:]

    def around(self) -> list[str]:
        """The page's lines before the body and its first `HEADER_LINES` (the extracted text may have split
        a line the page prints whole), then the `AROUND_LINES` after it: where a byline printed away from
        the headline stands."""
        if self.body_start is None or self.body_end is None:
            return []
        top = self.lines[:min(self.body_start + HEADER_LINES, self.body_end + 1)]
        return [*top, *self.lines[self.body_end + 1:self.body_end + 1 + AROUND_LINES]]

    def footer(self) -> list[str]:
        """The first line from the body's start to just after its end that names a poster beside a date
        (a blog or forum post's footer, `由张三张贴 @ 2005-06-14 03:25:55`): the first post's, as [line]."""
        if self.body_start is None or self.body_end is None:
            return []
        window = self.lines[self.body_start:self.body_end + 1 + TAIL_LINES]
        return next(([line] for line in window if poster_in(line) and parse_date(line)), [])

    def tail(self) -> list[str]:
        """The lines right after the body."""
        if self.body_end is None:
            return []
        return self.lines[self.body_end + 1:self.body_end + 1 + TAIL_LINES]


def find_headline(keys: list[str], titles: list[str], limit: int | None) -> int | None:
    """The last line up to `limit` (the body's first line) that is one of the headline texts; a repost's
    `原标题：…` line atop the text is not (the page's headline and dateline stand above it)."""
    if limit is None:
        return None
    found = [i for i in range(limit + 1) if not keys[i].startswith(ORIGINAL_HEADLINE_LABEL)
             and any(is_headline(title, keys[i]) for title in titles)]
    return found[-1] if found else None


def locate(lines: list[str], keys: list[str], title_at: int | None, paragraphs: list[str]) -> PageLines:
    """Where the body's first and last paragraphs lie among the page's lines (after the headline)."""
    start = position(keys, paragraphs[0], (title_at if title_at is not None else -1) + 1) if paragraphs else None
    end = None
    if start is not None:
        end = next((at for text in reversed(paragraphs) if (at := position(keys, text, start)) is not None), start)
    return PageLines(lines, title_at, start, end)


def position(keys: list[str], paragraph: str, start: int = 0) -> int | None:
    """The first line from `start` holding the beginning of `paragraph` (`keys` are squeezed lines)."""
    prefix = squeeze(_LIST_MARK.sub("", paragraph))[:PREFIX]
    if not prefix:
        return None
    return next((i for i in range(max(start, 0), len(keys)) if prefix in keys[i]), None)


def is_headline(title: str, line: str) -> bool:
    """Whether a (squeezed) line is the (squeezed) headline: equal, or one holds the other with little left over."""
    if not line:
        return False
    if title in line:
        return len(line) - len(title) <= max(4, len(title) // 3)
    return line in title and len(line) >= 0.7 * len(title)
