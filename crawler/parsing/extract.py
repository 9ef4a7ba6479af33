"""Shared selector helpers: the DOM side of extraction, used by every site parser.

Site parsers name their selectors as class constants and call these helpers, so that the
walking of markup lives in one place. The text rules (dates, bylines, repair) live in
`crawler.normalize`.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from parsel import Selector

from crawler.compat import Element
from crawler.items import ImageRef
from crawler.normalize.labels import META_LINE_LABELS, SOURCE_LABELS, label_pattern
from crawler.normalize.text import clean_text
from crawler.parsing.query import Node, PageTree, evaluate, is_xpath, matches, select

# The query helpers lived here before `crawler.parsing.query`; callers still reach them through this module.
__all__ = ["Node", "PageTree", "is_xpath", "matches", "select"]

BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th",
    "br", "tr", "table", "ul", "ol", "dl", "dt", "dd", "center", "figure", "figcaption", "header", "footer",
    "aside", "nav", "pre", "hr",
})
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object", "select", "button"})


def first_node(sel: Node, query: str) -> Selector | None:
    """The first node matching `query`, as a Selector, or None."""
    found = matches(sel, query)
    return Selector(root=found[0]) if found else None


def first_text(sel: Node, query: str | None, raw: bool = False) -> str:
    """The text of the first node matching `query` that has any (see `node_text`), or ``""``."""
    if not query:
        return ""
    for node in matches(sel, query):
        text = node_text(node, raw)
        if text:
            return text
    return ""


def all_texts(sel: Node, query: str | None, raw: bool = False) -> list[str]:
    """The non-empty text of every node matching `query` (see `node_text`)."""
    if not query:
        return []
    return [text for node in matches(sel, query) if (text := node_text(node, raw))]


def node_text(node: Node, raw: bool = False) -> str:
    """All text below a node (or the string itself for text/attribute results).

    Cleaned by default; with `raw`, only line breaks are turned into spaces and the ends
    stripped, so that spacing which carries meaning (a name spread as `阳   健`) survives for
    the byline parser.
    """
    root = node.root if isinstance(node, Selector) else node
    text = root if isinstance(root, str) else "".join(matches(root, _TEXT_BELOW))
    return tidy(text) if raw else clean_text(text)


_TEXT_BELOW = ".//text()[not(ancestor::script) and not(ancestor::style)]"


def tidy(text: str) -> str:
    """Line breaks and tabs to spaces, ends stripped; inner spacing kept for the normalizer."""
    if "\n" in text or "\r" in text or "\t" in text:
        text = _LINE_BREAKS.sub(" ", text)
    return text.strip(_EDGE_SPACE)


_LINE_BREAKS = re.compile(r"[\r\n\t]+")
_EDGE_SPACE = " \u3000\xa0\u200b\u200c\u200d\ufeff"
_EDGE_AND_BREAKS = _EDGE_SPACE + "\r\n\t"
"""What `tidy` strips from the ends, line breaks included: `tidy(text.strip(_EDGE_AND_BREAKS)) == tidy(text)`."""


def first_word(text: str) -> str:
    """The first word of a text (`周伟航 • 2024-03-19` -> `周伟航`), or ``""``."""
    words = text.split()
    return words[0] if words else ""


def first_text_before(tree: PageTree, scope: str, marker: str) -> str:
    """The first text (cleaned) below the nodes of `scope` that stands before the last node of `marker`.

    What `first_text` gives for `<scope>//text()[following::<marker>]`, without testing every text
    node against the rest of the page: the first non-empty text below `scope` either precedes the
    last marker or no text does. ``""`` when there is none.
    """
    markers = matches(tree, marker)
    scope_nodes = matches(tree, scope)
    if not markers or not scope_nodes:
        return ""
    for text in evaluate("$scope//text()", tree.root, smart_strings=True, scope=scope_nodes):
        cleaned = clean_text(text)
        if cleaned:
            return cleaned if _precedes(text, markers[-1]) else ""
    return ""


def _precedes(text: Any, element: Element) -> bool:
    """Whether a text node (a smart string) comes before `element` in document order, outside it."""
    owner = text.getparent()
    if owner is element or evaluate("$a | $b", owner, a=owner, b=element)[0] is not owner:
        return False
    return not text.is_tail or owner not in element.iterancestors()


def strip_label(text: str) -> str:
    """A `label:value` node's value, the label in any script (`來源:前瞻網` -> `前瞻網`); other text as is."""
    return _LEADING_LABEL.sub("", text, count=1)


_LEADING_LABEL = re.compile(r"^[^:：\s]{1,16}[:：]\s*")


def credit_line(label: str, value: str) -> list[str]:
    """A staff line for a name the page prints without its label (`作者:周伟航`); ``[]`` when there is none."""
    return [f"{label}:{value}"] if value else []


def block_texts(container: Selector | Element, drop: tuple[str, ...] = ()) -> list[str]:
    """The text blocks (paragraphs) of a container in document order, minus the nodes in `drop`.

    Block elements and `<br>` end a paragraph; inline markup is flattened into its paragraph;
    scripts, styles and comments are skipped. The drop queries run in turn, each on what the
    earlier ones left, and look inside the container only (relative, without `ancestor::` or
    absolute paths). The page's tree is not modified: the walk passes over the dropped nodes, or,
    when a drop query must see an earlier one's drops, works on a copy.
    """
    root = container.root if isinstance(container, Selector) else container
    dropped, on_copy = _drops(root, drop)
    if on_copy:
        root = copy.deepcopy(root)
        for query in on_copy:
            for node in matches(root, query):
                Selector(root=node).drop()
    pieces: list[str] = []
    _walk(root, pieces, dropped)
    # Most chunks are the space between two block tags: stripping first spares them the regex
    # (a stripped chunk gives the same text, see `tidy`).
    return [tidy(text) for chunk in "".join(pieces).split(_BREAK) if (text := chunk.strip(_EDGE_AND_BREAKS))]


def _drops(root: Element, drop: tuple[str, ...]) -> tuple[frozenset[Element], tuple[str, ...]]:
    """How to leave out what `drop` removes: (elements below `root` to pass over, queries to run in
    turn on a copy). Passing over works when only the last query finds anything: the others then
    ran on the container as it is. Else the queries from the first that finds something on go to
    the copy."""
    for index, query in enumerate(drop):
        found = matches(root, query)
        if found:
            below = all(isinstance(node, Element) and node is not root for node in found)
            return (frozenset(found), ()) if below and index == len(drop) - 1 else (frozenset(), drop[index:])
    return frozenset(), ()


_BREAK = "\x00"


def _walk(root: Element, pieces: list[str], dropped: frozenset[Element]) -> None:
    """Collect the texts below `root` with a break around every block element, passing over the
    `dropped` elements but not their tails, as `drop_tree` leaves them (iteratively: pages nest
    thousands deep)."""
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, element in walker:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event in ("comment", "pi"):
            if element.tail and element is not root:
                pieces.append(element.tail)
            continue
        if event == "start":
            if not tag or tag in SKIP_TAGS or element in dropped:
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS:
                pieces.append(_BREAK)
            if element.text:
                pieces.append(element.text)
            continue
        if tag in BLOCK_TAGS and element not in dropped:
            pieces.append(_BREAK)
        if element.tail and element is not root:
            pieces.append(element.tail)


# Editors (UEditor, DedeCMS, TRS) caption a picture with a centred text paragraph right after the
# image's paragraph. A parser uses the first query as IMAGE_CAPTION and the second in BODY_DROP.
_CENTRED_TEXT = "[contains(@style, 'center')][not(.//img)]"
CAPTION_AFTER_IMAGE = f"../following-sibling::*[1]{_CENTRED_TEXT}"
CAPTION_PARAGRAPHS = f".//p{_CENTRED_TEXT}[preceding-sibling::*[1][.//img]]"


def images(sel: Node, query: str | None, base_url: str, caption_query: str | None = None) -> list[ImageRef]:
    """Images under `query` with absolute URLs; captions from `caption_query` relative to each image's parent."""
    if not query:
        return []
    found = []
    for img in matches(sel, query):
        src = img.attrib.get("src") or img.attrib.get("data-src") or ""
        if not src or src.startswith("data:"):
            continue
        caption = first_text(img, caption_query) if caption_query else ""
        found.append(ImageRef(url=urljoin(base_url, src.strip()), caption=caption))
    return found


_LABEL_SPLIT = re.compile(rf"({label_pattern(META_LINE_LABELS)})\s*[:：]")


def labelled(text: str, *labels: str) -> str:
    """The value after the first of `labels` in a meta line, up to the next known label.

    `labelled("时间:2024-05-02 来源:海南省市场监督管理局 作者:佚名", "来源")` is
    `海南省市场监督管理局`. A text without any label gives ``""``.
    """
    parts = _LABEL_SPLIT.split(text)
    # parts: [before, label1, value1, label2, value2, ...]
    for index in range(1, len(parts) - 1, 2):
        if parts[index] in labels:
            return parts[index + 1].strip(_EDGE_SPACE)
    return ""


_DASH_SUBTITLE = re.compile(r"\s*(?:——|――)\s*")


def dash_headline(text: str) -> tuple[str, list[str]]:
    """A headline that carries its subtitle after a double dash, as one-field CMSs print it.

    `坚持靠大做强 强基突破跨越 ——海南省市场监管局与…签署战略合作协议` gives
    (`坚持靠大做强 强基突破跨越`, [`海南省市场监管局与…签署战略合作协议`]). A headline without
    the dash, or one that starts or ends with it, is all title.
    """
    text = text.strip()
    parts = _DASH_SUBTITLE.split(text)
    if len(parts) < 2 or not all(part.strip() for part in parts):
        return text, []
    return parts[0], parts[1:]


@dataclass(frozen=True)
class PastedRepost:
    """A body whose top is another article pasted in: its headline lines, its own source line, the rest."""

    headline: list[str]
    source_line: str | None
    body: list[str]


def pasted_repost(
    paragraphs: list[str], title: str = "", labels: tuple[str, ...] = SOURCE_LABELS, within: int = 4
) -> PastedRepost:
    """Split a reposting site's body at the pasted original's own source line (`来源:湖南日报 / 看衡阳 09-25`).

    The line must start with one of `labels` and come among the first `within` paragraphs;
    the paragraphs before it are the original's headline (lines repeating `title` dropped).
    Without such a line the whole text is body.
    """
    for index, paragraph in enumerate(paragraphs[:within]):
        if re.match(rf"(?:{label_pattern(labels)})\s*[:：]", paragraph):
            headline = [line for line in paragraphs[:index] if clean_text(line) != clean_text(title)]
            return PastedRepost(headline, paragraph, paragraphs[index + 1:])
    return PastedRepost([], None, list(paragraphs))
