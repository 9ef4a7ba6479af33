"""Selector queries: CSS or XPath strings compiled once, and a page tree that runs each query once.

A site parser reads a dozen fields from one page, and most of its queries start at an element
the page marks with an `id` or a `class` (`#zoom img`, `.article-info .time`). Each such query,
run on its own, walks the whole document to find that element again. `PageTree` finds the
anchors of all of a parser's queries together (`spiders.anchors`), runs only the rest of each
query below its anchor's elements, continues an XPath query from an earlier one it extends,
and keeps every result: a query asked twice is answered once. The results are those of running
the query on the page's root, in the same order.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, NamedTuple, Union

from lxml import etree
from parsel import Selector
from parsel.csstranslator import css2xpath

from crawler.compat import Element
from spiders.anchors import Anchor, finders

if TYPE_CHECKING:
    from collections.abc import Iterable

    from parsel import SelectorList


EXSLT_NAMESPACES = {"re": "http://exslt.org/regular-expressions", "set": "http://exslt.org/sets"}
"""The EXSLT extensions parsel registers for every query (`re:test`, `set:difference`)."""

Node = Union[Selector, Element, str, "PageTree"]
"""What queries run on: a parsel Selector, an lxml node or string a query gave, or a page tree."""


def select(sel: Selector, query: str) -> SelectorList:
    """Select by CSS, or by XPath when the query starts with `/`, `(`, `./` or `../`."""
    return sel.xpath(query) if is_xpath(query) else sel.css(query)


def is_xpath(query: str) -> bool:
    """Whether a selector string is XPath rather than CSS."""
    return query.startswith(("/", "(", "./", "../"))


def matches(node: Node, query: str) -> list[Any]:
    """The raw lxml results of `select` (elements, strings), without a Selector around each one.

    The same query over the same node gives the same results in the same order as `select`;
    the helpers use it because wrapping every result in a Selector costs more than evaluating
    the query. On a `PageTree` the results are shared: callers must not modify the list.
    """
    if isinstance(node, PageTree):
        return node.matches(query)
    root = root_of(node)
    if not hasattr(root, "xpath"):
        return [root] if query.strip() == "." else []
    return _listed(_evaluator(query)(root))


def evaluate(xpath: str, node: Any, smart_strings: bool = False, **variables: Any) -> list[Any]:
    """An XPath (compiled once) on an lxml node, with node-set `variables` (`$name`)."""
    return _listed(_compiled(xpath, smart_strings)(node, **variables))


def root_of(node: Node) -> Any:
    """The lxml node (or string) behind a Selector or page tree."""
    return node.root if isinstance(node, (Selector, PageTree)) else node


def _listed(result: Any) -> list[Any]:
    return result if isinstance(result, list) else [result]


@functools.lru_cache(maxsize=1024)
def _evaluator(query: str) -> etree.XPath:
    """The compiled XPath of a query (CSS translated as parsel translates it)."""
    return _compiled(query if is_xpath(query) else attribute_steps(css2xpath(query)))


@functools.lru_cache(maxsize=1024)
def _compiled(xpath: str, smart_strings: bool = False) -> etree.XPath:
    """An XPath compiled with the parsel namespaces it uses (lxml registers EXSLT's regular expression
    functions on every call unless told not to: only a query naming `re:` gets them)."""
    namespaces = {prefix: uri for prefix, uri in EXSLT_NAMESPACES.items() if f"{prefix}:" in xpath}
    return etree.XPath(xpath, namespaces=namespaces, smart_strings=smart_strings, regexp="re" in namespaces)


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
_CLASS_TEST = (
    r"@class and contains\(@class, '(?P<name>[^']+)'\) and "
    r"contains\(concat\(' ', normalize-space\(@class\), ' '\), ' (?P=name) '\)"
)
_ID_TEST = r"@id = '(?P<name>[^']+)'"
_CLASS_STEP = re.compile(_STEP + r"\[" + _CLASS_TEST + r"\](?!\[)")
_ID_STEP = re.compile(_STEP + r"\[" + _ID_TEST + r"\](?!\[)")


class Branch(NamedTuple):
    """One alternative of a query (`a, b` has two): its anchor, and what the query selects below it."""

    anchor: Anchor | None
    rest: str | None
    """XPath from `$scope`, the anchor's elements (None when the anchor is the whole branch)."""


_ANCHOR_ID = re.compile(r"descendant-or-self::(?P<tag>\*|[\w-]+)\[" + _ID_TEST + r"\](?P<rest>/.*)?", re.DOTALL)
_ANCHOR_CLASS = re.compile(r"descendant-or-self::(?P<tag>\*|[\w-]+)\[" + _CLASS_TEST + r"\](?P<rest>/.*)?", re.DOTALL)
_ANCHOR_TAG = re.compile(r"descendant-or-self::(?P<tag>[\w-]+)(?P<rest>)")
"""A bare element name: lxml's own walk finds those elements (only: XPath walks to what lies below as cheaply)."""
_ANCHOR_SUBSTRING = re.compile(
    r"//(?P<tag>\*|[\w-]+)\[contains\(@class, '(?P<name>[^']+)'\)\](?P<rest>/.*)?", re.DOTALL)


@functools.lru_cache(maxsize=1024)
def branches(query: str) -> tuple[Branch, ...]:
    """The alternatives of a query, each with its anchor if it has one.

    A CSS alternative's anchor is its first step when that is cssselect's id or one-class test
    (`#zoom`, `div.viewbox`), or a bare element name; an XPath query (one alternative) has one
    when it starts with `//tag[contains(@class, 'x')]`.
    """
    if not is_xpath(query):
        return tuple(_css_branch(part) for part in _top_level_split(css2xpath(query), " | "))
    found = _ANCHOR_SUBSTRING.fullmatch(query)
    if found and len(_top_level_split(query, "|")) == 1:
        rest = found["rest"]
        return (Branch(Anchor("substring", found["name"], found["tag"]), f"$scope{rest}" if rest else None),)
    return (Branch(None, None),)


def _css_branch(xpath: str) -> Branch:
    for kind, pattern in (("id", _ANCHOR_ID), ("class", _ANCHOR_CLASS), ("tag", _ANCHOR_TAG)):
        found = pattern.fullmatch(xpath)
        if found:
            anchor = Anchor(kind, found["tag"] if kind == "tag" else found["name"], found["tag"])
            rest = found["rest"]
            return Branch(anchor, attribute_steps(f"$scope{rest}") if rest else None)
    return Branch(None, None)


def _top_level_split(text: str, separator: str) -> list[str]:
    """`text` split at `separator` where it stands outside brackets, parentheses and quotes."""
    parts, depth, quote, start, index = [], 0, "", 0, 0
    while index < len(text):
        char = text[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif depth == 0 and text.startswith(separator, index):
            parts.append(text[start:index])
            start = index = index + len(separator)
            continue
        elif char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        index += 1
    return [*parts, text[start:]]


def anchors_of(queries: Iterable[str]) -> frozenset[Anchor]:
    """Every anchor of `queries` (see `branches`)."""
    return frozenset(branch.anchor for query in queries for branch in branches(query) if branch.anchor)


class PageTree:
    """A parsed page whose queries run once each, anchored queries below their anchors only.

    `anchors` are those to look for together (a parser's, see `anchors_of`): the first query
    that needs one of them finds all of its group (`spiders.anchors.finders`). A query with an
    anchor outside `anchors` finds it on its own. The tree must not change while it is queried.
    """

    def __init__(self, selector: Selector, anchors: frozenset[Anchor] = frozenset()) -> None:
        self.selector = selector
        self.root = selector.root
        self.anchors = anchors
        self._finders = finders(anchors)
        self._found: dict[str, list[Any]] = {}
        self._marked: dict[Anchor, list[Element]] = {}

    def matches(self, query: str) -> list[Any]:
        """The results of `query` run on the page's root (see `matches`)."""
        found = self._found.get(query)
        if found is None:
            found = self._found[query] = self._evaluate(query)
        return found

    def marked(self, anchor: Anchor) -> list[Element]:
        """The elements of `anchor`, in document order, found with the others of its group."""
        found = self._marked.get(anchor)
        if found is None:
            finder = self._finders.get(anchor) or finders(frozenset({anchor}))[anchor]
            self._marked.update(finder(self.root))
            found = self._marked[anchor]
        return found

    def _evaluate(self, query: str) -> list[Any]:
        earlier = self._earlier_prefix(query)
        if earlier is not None:
            scope = self._found[earlier]
            return _listed(_compiled(f"$scope{query[len(earlier):]}")(self.root, scope=scope)) if scope else []
        parts = branches(query)
        if not all(part.anchor for part in parts):
            return _listed(_evaluator(query)(self.root))
        results = [self._below_anchor(part) for part in parts]
        if len(results) == 1:
            return results[0]
        if not all(isinstance(node, Element) for result in results for node in result):
            return _listed(_evaluator(query)(self.root))
        names = [f"b{index}" for index in range(len(results))]
        union = _compiled(" | ".join(f"${name}" for name in names))
        return _listed(union(self.root, **dict(zip(names, results, strict=True))))

    def _earlier_prefix(self, query: str) -> str | None:
        """The longest XPath query answered before that `query` continues with a step (`P/…`, `P//…`),
        when its answer is elements and it is no union: `query` is then that answer's continuation."""
        if not is_xpath(query):
            return None
        prefixes = [
            earlier for earlier, found in self._found.items()
            if query.startswith(earlier) and query[len(earlier):len(earlier) + 1] == "/" and is_xpath(earlier)
            and len(_top_level_split(earlier, "|")) == 1 and all(isinstance(node, Element) for node in found)
        ]
        return max(prefixes, key=len, default=None)

    def _below_anchor(self, branch: Branch) -> list[Any]:
        assert branch.anchor is not None
        scope = self.marked(branch.anchor)
        if branch.rest is None or not scope:
            return scope
        return _listed(_compiled(branch.rest)(self.root, scope=scope))
