"""Shared selector helpers: the DOM side of extraction, used by every site parser.

Site parsers name their selectors as class constants and call these helpers, so that the
walking of markup lives in one place. The text rules (dates, bylines, repair) live in
`crawler.normalize`.
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union
from urllib.parse import urljoin

from lxml import etree
from parsel import Selector
from parsel.csstranslator import css2xpath

from crawler.items import ImageRef
from crawler.normalize.text import clean_text

if TYPE_CHECKING:
    from parsel import SelectorList

BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th",
    "br", "tr", "table", "ul", "ol", "dl", "dt", "dd", "center", "figure", "figcaption", "header", "footer",
    "aside", "nav", "pre", "hr",
})
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object", "select", "button"})


Node = Union[Selector, etree._Element, str]
"""What the helpers select from: a parsel Selector, or an lxml node or string a query gave."""


def select(sel: Selector, query: str) -> SelectorList:
    """Select by CSS, or by XPath when the query starts with `/`, `(`, `./` or `../`."""
    return sel.xpath(query) if is_xpath(query) else sel.css(query)


def is_xpath(query: str) -> bool:
    """Whether a selector string is XPath rather than CSS."""
    return query.startswith(("/", "(", "./", "../"))


def matches(node: Node, query: str) -> list[Any]:
    """The raw lxml results of `select` (elements, strings), without a Selector around each one.

    The same query over the same node gives the same results in the same order as `select`;
    the helpers below use it because wrapping every result in a Selector costs more than
    evaluating the query.
    """
    root = node.root if isinstance(node, Selector) else node
    if not hasattr(root, "xpath"):
        return [root] if query.strip() == "." else []
    result = _evaluator(query)(root)
    return result if isinstance(result, list) else [result]


@functools.lru_cache(maxsize=1024)
def _evaluator(query: str) -> etree.XPath:
    """The compiled XPath of a query (CSS translated as parsel translates it; parsel's namespaces)."""
    xpath = query if is_xpath(query) else attribute_steps(css2xpath(query))
    namespaces = {prefix: uri for prefix, uri in Selector._default_namespaces.items() if f"{prefix}:" in xpath}
    return etree.XPath(xpath, namespaces=namespaces, smart_strings=False)


def attribute_steps(xpath: str) -> str:
    """A translated CSS query with its `#id` and `.class` steps tested on the attribute instead.

    `descendant-or-self::*[@id = 'x']` selects the same nodes as `descendant-or-self::*/@id[. = 'x']/..`,
    but libxml2 evaluates a predicate on every element of the first and only on the `id`
    attributes in the second, about three times faster on a news page. Only a step with exactly
    cssselect's one-class or id predicate (and no further predicate) is rewritten.
    """
    xpath = _CLASS_STEP.sub(r"\g<step>/@class[contains(., '\g<name>') and "
                            r"contains(concat(' ', normalize-space(.), ' '), ' \g<name> ')]/..", xpath)
    return _ID_STEP.sub(r"\g<step>/@id[. = '\g<name>']/..", xpath)


_STEP = r"(?P<step>(?:descendant-or-self|descendant|child)::(?:\*|[\w-]+))"
_CLASS_STEP = re.compile(
    _STEP + r"\[@class and contains\(@class, '(?P<name>[^']+)'\) and "
    r"contains\(concat\(' ', normalize-space\(@class\), ' '\), ' (?P=name) '\)\](?!\[)"
)
_ID_STEP = re.compile(_STEP + r"\[@id = '(?P<name>[^']+)'\](?!\[)")


def first_node(sel: Selector, query: str) -> Selector | None:
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
    return _LINE_BREAKS.sub(" ", text).strip(_EDGE_SPACE)


_LINE_BREAKS = re.compile(r"[\r\n\t]+")
_EDGE_SPACE = " \u3000\xa0\u200b\u200c\u200d\ufeff"


def first_word(sel: Selector, query: str | None) -> str:
    """The first word of the first matching text (`周伟航 • 2024-03-19` -> `周伟航`), or ``""``."""
    words = first_text(sel, query).split()
    return words[0] if words else ""


def strip_label(text: str) -> str:
    """A `label:value` node's value, the label in any script (`來源:前瞻網` -> `前瞻網`); other text as is."""
    return _LEADING_LABEL.sub("", text, count=1)


_LEADING_LABEL = re.compile(r"^[^:：\s]{1,16}[:：]\s*")


def credit_line(label: str, value: str) -> list[str]:
    """A staff line for a name the page prints without its label (`作者:周伟航`); ``[]`` when there is none."""
    return [f"{label}:{value}"] if value else []


def meta_content(sel: Selector, *names: str) -> str:
    """The first non-empty `<meta name=…>` (or `property=`) content among `names`, case-insensitively."""
    wanted = {name.lower() for name in names}
    for meta in sel.xpath("//meta[@content]"):
        key = (meta.attrib.get("name") or meta.attrib.get("property") or "").lower()
        if key in wanted:
            value = clean_text(meta.attrib["content"])
            if value:
                return value
    return ""


def block_texts(container: Selector, drop: tuple[str, ...] = ()) -> list[str]:
    """The text blocks (paragraphs) of a container in document order, minus the nodes in `drop`.

    Block elements and `<br>` end a paragraph; inline markup is flattened into its paragraph;
    scripts, styles and comments are skipped. The page's tree is not modified.
    """
    root = copy.deepcopy(container.root)
    for query in drop:
        for node in matches(root, query):
            Selector(root=node).drop()
    pieces: list[str] = []
    _walk(root, pieces)
    return [text for chunk in "".join(pieces).split(_BREAK) if (text := tidy(chunk))]


_BREAK = "\x00"


def _walk(root: etree._Element, pieces: list[str]) -> None:
    """Collect the texts below `root` with a break around every block element (iteratively: pages
    nest thousands deep)."""
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, element in walker:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if event in ("comment", "pi"):
            if element.tail and element is not root:
                pieces.append(element.tail)
            continue
        if event == "start":
            if not tag or tag in SKIP_TAGS:
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS:
                pieces.append(_BREAK)
            if element.text:
                pieces.append(element.text)
            continue
        if tag in BLOCK_TAGS:
            pieces.append(_BREAK)
        if element.tail and element is not root:
            pieces.append(element.tail)


# Editors (UEditor, DedeCMS, TRS) caption a picture with a centred text paragraph right after the
# image's paragraph. A parser uses the first query as IMAGE_CAPTION and the second in BODY_DROP.
_CENTRED_TEXT = "[contains(@style, 'center')][not(.//img)]"
CAPTION_AFTER_IMAGE = f"../following-sibling::*[1]{_CENTRED_TEXT}"
CAPTION_PARAGRAPHS = f".//p{_CENTRED_TEXT}[preceding-sibling::*[1][.//img]]"


def images(sel: Selector, query: str | None, base_url: str, caption_query: str | None = None) -> list[ImageRef]:
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


META_LABELS = (
    "信息来源", "来源", "作者", "发布时间", "发布日期", "时间", "日期", "记者", "通讯员", "责任编辑", "编辑",
    "浏览次数", "点击数", "阅读", "字号", "原文链接",
)
_LABEL_SPLIT = re.compile(r"(%s)\s*[:：]" % "|".join(META_LABELS))


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
    paragraphs: list[str], title: str = "", labels: tuple[str, ...] = ("来源", "信息来源"), within: int = 4
) -> PastedRepost:
    """Split a reposting site's body at the pasted original's own source line (`来源:湖南日报 / 看衡阳 09-25`).

    The line must start with one of `labels` and come among the first `within` paragraphs;
    the paragraphs before it are the original's headline (lines repeating `title` dropped).
    Without such a line the whole text is body.
    """
    for index, paragraph in enumerate(paragraphs[:within]):
        if re.match(r"(?:%s)\s*[:：]" % "|".join(map(re.escape, labels)), paragraph):
            headline = [line for line in paragraphs[:index] if clean_text(line) != clean_text(title)]
            return PastedRepost(headline, paragraph, paragraphs[index + 1:])
    return PastedRepost([], None, list(paragraphs))
