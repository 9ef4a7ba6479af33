"""What the generic extractor reads from the page's tree: text lines, `<meta>` values, headline candidates."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crawler.normalize.text import clean_text
from crawler.parsing import extract

if TYPE_CHECKING:
    from parsel import Selector
    from trafilatura.settings import Document

MAX_HEADING = 100
"""A longer `<h1>` text is a headline with the article inside it."""
MIN_TITLE = 4
"""Shorter headline candidates (`首页`, `显示`) would match any menu line."""

_SITE_SUFFIX = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s|--)\s*")


def page_lines(sel: Selector) -> list[str]:
    """The text lines of the page's `<body>` (or whole document), block by block, spacing kept."""
    body = sel.xpath("//body")
    return extract.block_texts(body[0] if body else sel)


def meta_values(sel: Selector, names: tuple[str, ...]) -> list[str]:
    """The non-empty values of `<meta>` tags (by name, property or itemprop, any letter case),
    in the order of `names`; the first tag of each name counts."""
    found: dict[str, str] = {}
    for meta in sel.xpath("//meta[@content]"):
        attrib = meta.attrib
        key = (attrib.get("name") or attrib.get("property") or attrib.get("itemprop") or "").lower()
        value = clean_text(attrib["content"])
        if key and value and key not in found:
            found[key] = value
    return [found[name.lower()] for name in names if name.lower() in found]


def title_candidates(sel: Selector, document: Document | None) -> list[str]:
    """Headline texts to look for among the page's lines, without whitespace: trafilatura's title,
    the `<h1>`s, and the `<title>` and `og:title` with and without a site-name suffix (`…_搜狐财经`)."""
    found = [document.title] if document is not None and document.title else []
    found += headings(sel)
    for text in (extract.first_text(sel, "title"), *meta_values(sel, ("og:title",))):
        found += [text, _SITE_SUFFIX.split(text)[0]]
    return list(dict.fromkeys(key for text in found if MIN_TITLE <= len(key := squeeze(text)) <= MAX_HEADING))


def headings(sel: Selector) -> list[str]:
    """The texts of the page's `<h1>`s as headlines: an `<h1>` never closed holds the article after its
    headline (the parser puts the rest of the page inside it), and then only its first text is the headline."""
    found = []
    for heading in sel.xpath("//h1"):
        text = extract.node_text(heading)
        if len(text) > MAX_HEADING:
            text = next((line for piece in heading.xpath(".//text()").getall() if (line := clean_text(piece))), "")
        if text:
            found.append(text)
    return found


def link_texts(sel: Selector) -> set[str]:
    """The texts of the page's links, squeezed: a body line that is nothing but one is navigation."""
    return {key for link in sel.root.iter("a") if (key := squeeze("".join(link.itertext())))}


def with_page_spacing(paragraphs: list[str], lines: list[str], keys: list[str]) -> list[str]:
    """Extracted paragraphs with the spacing the page printed them with, where a page line holds
    exactly the same text: the extractor collapses spaces, and a name spread for justification
    (`阳   健`) must stay recognisable for the byline rules."""
    printed = dict(zip(keys, lines, strict=True))
    return [printed.get(squeeze(paragraph), paragraph) for paragraph in paragraphs]


def squeeze(text: str) -> str:
    """A text without any whitespace, to compare page lines with extracted text."""
    return re.sub(r"\s+", "", text)
