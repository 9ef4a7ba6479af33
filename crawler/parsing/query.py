"""Selector queries: CSS or XPath strings compiled once into lxml `XPath` objects, and a page that runs each once.

A site parser names its selectors as strings (CSS, or XPath when they start with `/`, `(`, `./` or
`../`); `compiled` turns each into an `etree.XPath` (CSS translated as parsel translates it, so
`::text` and `::attr(name)` work), once per process. `PageTree` is one parsed page and its memo:
a query asked twice on the page is run once, and its results are those of running it on the
page's root, in the same order.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Union

import cssselect
from lxml import etree
from parsel import Selector
from parsel.csstranslator import HTMLTranslator, css2xpath

from crawler.compat import Element

if TYPE_CHECKING:
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


@functools.lru_cache(maxsize=2048)
def compiled(query: str) -> etree.XPath:
    """The query as a compiled XPath (CSS translated by `css_xpath`); raises on a bad selector."""
    return compiled_xpath(query if is_xpath(query) else css_xpath(query))


def css_xpath(query: str) -> str:
    """The XPath of a CSS query: parsel's translation, with its `#id` and `.class` tests made attribute
    steps when the query holds only element names, ids, classes, attribute tests and the descendant
    and child combinators (and parsel's `::text` / `::attr()`).

    `descendant-or-self::*/@id[. = 'x']/parent::*` selects what `descendant-or-self::*[@id = 'x']`
    does, in the same order, but libxml2 then tests the `id` attributes only instead of evaluating a
    predicate on every element: several times faster on a news page. Other queries (pseudo-classes,
    sibling combinators, `:not()`) keep parsel's translation, whose tests depend on the element step.
    """
    if all(_plain(selector.parsed_tree) for selector in cssselect.parse(query)):
        return _ATTRIBUTE_STEPS.css_to_xpath(query)
    return css2xpath(query)


def _plain(tree: Any) -> bool:
    """Whether a parsed CSS selector holds only element names, ids, classes, attribute tests and
    descendant or child combinators."""
    while True:
        if isinstance(tree, cssselect.parser.Element):
            return True
        if isinstance(tree, cssselect.parser.CombinedSelector):
            if tree.combinator not in (" ", ">") or not _plain(tree.subselector):
                return False
        elif not isinstance(tree, (cssselect.parser.Hash, cssselect.parser.Class, cssselect.parser.Attrib)):
            return False
        tree = tree.selector


class _AttributeStepTranslator(HTMLTranslator):
    """parsel's CSS translator, testing ids and classes on the attribute (see `css_xpath`)."""

    def xpath_class(self, class_selector: Any) -> Any:
        """`.name` as a step to the `class` attribute holding the word, then back to its element."""
        name = class_selector.class_name
        if name.split() != [name]:
            return super().xpath_class(class_selector)
        test = (f"contains(., {self.xpath_literal(name)}) and "
                f"contains(concat(' ', normalize-space(.), ' '), {self.xpath_literal(f' {name} ')})")
        return _attribute_step(self.xpath(class_selector.selector), "class", test)

    def xpath_hash(self, id_selector: Any) -> Any:
        """`#name` as a step to the `id` attribute of that value, then back to its element."""
        return _attribute_step(self.xpath(id_selector.selector), "id", f". = {self.xpath_literal(id_selector.id)}")


def _attribute_step(xpath: Any, attribute: str, test: str) -> Any:
    """`xpath` (an element step) continued to its `attribute` passing `test` and back to the element."""
    step = f"{xpath.element}[{xpath.condition}]" if xpath.condition else xpath.element
    xpath.path = f"{xpath.path}{step}/@{attribute}[{test}]/"
    xpath.element, xpath.condition = "parent::*", ""
    return xpath


_ATTRIBUTE_STEPS = _AttributeStepTranslator()


class _ScopedTranslator(_AttributeStepTranslator):
    """Translates a CSS selector with its first compound (`div.viewbox` of `div.viewbox div.info`) standing
    for the elements in `$scope`."""

    def __init__(self, first: Any) -> None:
        super().__init__()
        self.first = first

    def xpath(self, parsed_selector: Any) -> Any:
        """`$scope` for the first compound, else the usual translation."""
        if parsed_selector is self.first:
            return self.xpathexpr_cls(element="$scope")
        return super().xpath(parsed_selector)


@functools.lru_cache(maxsize=2048)
def canonical(query: str) -> str:
    """One spelling of a plain CSS query of one compound (`#zoom` and `*#zoom` are `*#zoom`); other queries as given."""
    if is_xpath(query):
        return query
    selectors = cssselect.parse(query)
    if len(selectors) != 1 or isinstance(tree := selectors[0].parsed_tree, cssselect.parser.CombinedSelector):
        return query
    return selectors[0].canonical() if _plain(tree) else query


@functools.lru_cache(maxsize=2048)
def first_and_rest(query: str) -> tuple[str, etree.XPath] | None:
    """For a CSS query of several steps (`.article-info .time`), its first compound as a query of its own
    and an XPath selecting the rest from `$scope`, the first compound's elements; None for other queries.

    Queries of one page often share their first compound: a page tree finds it once.
    """
    if is_xpath(query):
        return None
    selectors = cssselect.parse(query)
    if len(selectors) != 1 or not isinstance(tree := selectors[0].parsed_tree, cssselect.parser.CombinedSelector):
        return None
    if not _plain(tree):
        return None
    while isinstance(tree.selector, cssselect.parser.CombinedSelector):
        tree = tree.selector
    first = tree.selector
    rest = _ScopedTranslator(first).selector_to_xpath(selectors[0], prefix="", translate_pseudo_elements=True)
    return canonical(first.canonical()), compiled_xpath(rest)


@functools.lru_cache(maxsize=1024)
def compiled_xpath(xpath: str, smart_strings: bool = False) -> etree.XPath:
    """An XPath compiled with the EXSLT namespaces it names (lxml registers EXSLT's regular expression
    functions on every call unless told not to: only a query naming `re:` gets them)."""
    namespaces = {prefix: uri for prefix, uri in EXSLT_NAMESPACES.items() if f"{prefix}:" in xpath}
    return etree.XPath(xpath, namespaces=namespaces, smart_strings=smart_strings, regexp="re" in namespaces)


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
    return _listed(compiled(query)(root))


def evaluate(xpath: str, node: Any, smart_strings: bool = False, **variables: Any) -> list[Any]:
    """An XPath (compiled once) on an lxml node, with node-set `variables` (`$name`)."""
    return _listed(compiled_xpath(xpath, smart_strings)(node, **variables))


def root_of(node: Node) -> Any:
    """The lxml node (or string) behind a Selector or page tree."""
    return node.root if isinstance(node, (Selector, PageTree)) else node


def _listed(result: Any) -> list[Any]:
    return result if isinstance(result, list) else [result]


class PageTree:
    """One parsed page and the memo of its queries: each query runs once, on the page's root.

    The tree must not change while it is queried.
    """

    def __init__(self, selector: Selector) -> None:
        self.selector = selector
        self.root = selector.root
        self._found: dict[str, list[Any]] = {}

    def matches(self, query: str) -> list[Any]:
        """The results of `query` run on the page's root (see `matches`); a CSS query's first compound
        is looked up once for all the queries that start with it (see `first_and_rest`)."""
        found = self._found.get(query)
        if found is None:
            key = canonical(query)
            if key != query:
                found = self._found[query] = self.matches(key)
                return found
            split = first_and_rest(query)
            if split is None:
                found = _listed(compiled(query)(self.root))
            else:
                scope = self.matches(split[0])
                found = _listed(split[1](self.root, scope=scope)) if scope else []
            self._found[query] = found
        return found
