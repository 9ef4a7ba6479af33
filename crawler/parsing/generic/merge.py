"""Two extractors' article texts made into one, by evidence that holds on any page.

trafilatura (the main text) and readability-lxml (the best body on pages nobody tuned on) each miss
what the other finds: trafilatura leaves out paragraphs it judges boilerplate, readability keeps the
whole container it chose, footers included. The merge keeps trafilatura's paragraphs and adds the
paragraphs only readability found when they read as article prose: long enough, ending sentences
with CJK or Latin sentence punctuation, and standing among paragraphs both agree on. When the two
share no paragraph, the one with more prose wins; when one finds nothing, the other's text stands.
"""

from __future__ import annotations

import bisect
import logging
import re

from lxml import html as lxml_html
from readability import Document

from crawler.parsing import extract
from crawler.parsing.generic.markup import squeeze

logger = logging.getLogger(__name__)

MIN_PROSE = 20
"""Shorter paragraphs are labels, captions or page furniture, not prose to add."""
KEY = 16
"""How many characters (without spaces) identify a paragraph in the other extractor's text."""

_SENTENCE_END = re.compile(r"[。！？!?](?:[”’」』)）\"']?)")


def readability_paragraphs(html: str, url: str) -> list[str]:
    """readability-lxml's article as text paragraphs ([] when it finds nothing or fails). readability is
    not given the URL (only named in the log): with one it rewrites every link absolute, and only text is
    read here (on a page of 2,000 links that rewriting was an eighth of the extractor's time)."""
    try:
        summary = Document(html).summary(html_partial=True)
    except Exception:  # a third-party library at a component boundary: one bad page must not stop the crawl
        logger.warning("readability failed on %s", url, exc_info=True)
        return []
    if not summary.strip():
        return []
    return extract.block_texts(lxml_html.fromstring(summary))


def is_prose(paragraph: str) -> bool:
    """Whether a paragraph reads as article prose: long enough and holding a sentence end."""
    text = squeeze(paragraph)
    return len(text) >= MIN_PROSE and bool(_SENTENCE_END.search(text))


def prose_size(paragraphs: list[str]) -> int:
    """Characters in prose paragraphs: the evidence that a text is an article."""
    return sum(len(squeeze(paragraph)) for paragraph in paragraphs if is_prose(paragraph))


def merge(main: list[str], other: list[str]) -> list[str]:
    """`main` with the prose paragraphs only `other` has added where `other` places them: after the
    `main` paragraph holding the shared paragraph that precedes them (paragraph breaks may differ
    between the two), before the first shared one when none precedes. Without a shared paragraph,
    the text with more prose."""
    where = _Locator(main)
    found = [where.paragraph_of(paragraph) for paragraph in other]
    shared = [index for index, at in enumerate(found) if at is not None]
    if not shared:
        return list(other) if prose_size(other) > prose_size(main) else list(main)
    inserts: dict[int, list[str]] = {}
    leading: list[str] = []
    anchor: int | None = None
    for index, paragraph in enumerate(other[:shared[-1] + 1]):
        if found[index] is not None:
            anchor = found[index]
        elif is_prose(paragraph) and index >= shared[0] - 1:
            (inserts.setdefault(anchor, []) if anchor is not None else leading).append(paragraph)
    merged = list(leading)
    for index, paragraph in enumerate(main):
        merged.append(paragraph)
        merged += inserts.get(index, [])
    return merged


class _Locator:
    """Finds which paragraph of a text holds the beginning of another text's paragraph."""

    def __init__(self, paragraphs: list[str]) -> None:
        self.text = ""
        self.starts: list[int] = []
        for paragraph in paragraphs:
            self.starts.append(len(self.text))
            self.text += squeeze(paragraph)

    def paragraph_of(self, paragraph: str) -> int | None:
        """The index of the paragraph holding `paragraph`'s first characters, or None."""
        key = squeeze(paragraph)[:KEY]
        at = self.text.find(key) if key else -1
        return bisect.bisect_right(self.starts, at) - 1 if at >= 0 else None


def prose_lines(lines: list[str]) -> list[str]:
    """The prose lines of a page: the text of a page no extractor reads (a malformed page)."""
    return [line for line in lines if is_prose(line)]


