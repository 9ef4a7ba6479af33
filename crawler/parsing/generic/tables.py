"""Data tables inside the article: both extractors leave them out (trafilatura runs without tables, since
old portals lay whole pages out in tables; the merge adds prose only), so their rows are put back here.

The article's container is the innermost element holding every prose paragraph of the extracted body. A
table in it is a data table when it nests no table, holds none of the body's prose, has at least two rows
of two or more filled cells, and is not mostly link text (a box of links is navigation). Its cells become
lines of the body, as the gov-portal parser prints them, where the table stands among the paragraphs
(unless the body holds most of them already).
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from crawler.parsing import extract
from crawler.parsing.generic.markup import squeeze
from crawler.parsing.generic.merge import is_prose

if TYPE_CHECKING:
    from crawler.compat import Element

KEY = 12
"""How many characters (without spaces) at a paragraph's start find its element on the page."""
MIN_ROWS = 2
"""Fewer rows of two filled cells make a layout box (a dateline split in cells), not data."""
MAX_LINK_SHARE = 0.5
"""A table whose text is more than this share of link text is a box of links."""


def with_tables(root: Element, paragraphs: list[str]) -> list[str]:
    """`paragraphs` with the lines of the data tables in their container, each table after the paragraph
    that precedes it on the page (before the first one for a table above the text)."""
    found = _paragraph_elements(root, paragraphs)
    prose = [element for paragraph, element in zip(paragraphs, found, strict=True)
             if element is not None and is_prose(paragraph)]
    container = _common_ancestor(prose)
    if container is None or container.tag in ("body", "html"):
        return paragraphs
    body_keys = {squeeze(paragraph)[:KEY] for paragraph in paragraphs if is_prose(paragraph)}
    tables = [table for table in container.iter("table") if _is_data_table(table, body_keys)]
    if not tables:
        return paragraphs
    order = {element: index for index, element in enumerate(root.iter())}  # document order, only when needed
    at = [order[element] if element is not None else -1 for element in found]
    for index in range(1, len(at)):  # a paragraph not found on the page stands where the one before it does
        at[index] = max(at[index], at[index - 1])
    present = {squeeze(paragraph) for paragraph in paragraphs}
    merged = list(paragraphs)
    for table in reversed(tables):  # from the last, so earlier insertion points stay valid
        lines = extract.block_texts(table)
        if sum(squeeze(line) in present for line in lines) * 2 > len(lines):
            continue  # the extractor kept this table's text already
        where = bisect.bisect_left(at, order[table])
        merged[where:where] = lines
    return merged


def _paragraph_elements(root: Element, paragraphs: list[str]) -> list[Element | None]:
    """The element whose own text starts each paragraph (None when no text node starts it)."""
    starts: dict[str, Element] = {}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for text, owner in ((element.text, element), (element.tail, element.getparent())):
            key = squeeze(text or "")[:KEY]
            if len(key) == KEY and owner is not None:
                starts.setdefault(key, owner)
    return [starts.get(squeeze(paragraph)[:KEY]) for paragraph in paragraphs]


def _common_ancestor(elements: list[Element]) -> Element | None:
    """The innermost element holding all `elements` (None for none)."""
    if not elements:
        return None
    chain = [*reversed(list(elements[0].iterancestors())), elements[0]]
    depth = len(chain)
    for element in elements[1:]:
        ancestors = {id(node) for node in element.iterancestors()} | {id(element)}
        while depth and id(chain[depth - 1]) not in ancestors:
            depth -= 1
    return chain[depth - 1] if depth else None


def _is_data_table(table: Element, body_keys: set[str]) -> bool:
    """Whether a table holds data: no nested table, none of the body's prose, enough rows of two or more
    filled cells, mostly text that is not links."""
    if next(table.iterdescendants("table"), None) is not None:
        return False
    rows = [row for row in table.iter("tr")
            if sum(1 for cell in row if cell.tag in ("td", "th") and squeeze(cell.text_content())) >= 2]
    if len(rows) < MIN_ROWS:
        return False
    text = squeeze(table.text_content())
    if not text or any(key in text for key in body_keys):
        return False
    links = sum(len(squeeze(link.text_content())) for link in table.iter("a"))
    return links <= MAX_LINK_SHARE * len(text)
