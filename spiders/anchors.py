"""Finding the elements a page marks with an `id` or a `class`, for many names at once.

A query's anchor (`#zoom`, `.article-info`, `div.viewbox`, or XPath's `//div[contains(@class, 'x')]`)
costs a walk of the whole page when XPath looks for it. Here all the ids wanted are looked up in
libxml2's own ID table when that table is known to answer exactly (see `IdTable`), and all the
classes wanted on one element name are found in one walk that only reads `class` attributes.
"""

from __future__ import annotations

import functools
import os
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from lxml import etree

if TYPE_CHECKING:
    from collections.abc import Iterable


class Anchor(NamedTuple):
    """Elements a query starts from: `kind` `id` (equal to `name`), `class` (`name` in the class
    list), `substring` (`name` in the class attribute) or `tag` (any element), on elements named
    `tag` (any, for `*`)."""

    kind: str
    name: str
    tag: str


@functools.lru_cache(maxsize=256)
def groups(anchors: frozenset[Anchor]) -> dict[Anchor, frozenset[Anchor]]:
    """The anchors found in one go with each anchor: every id (one table lookup), every tag (one
    walk), and the class and substring anchors of one element name (one walk), or all of them when
    one is on any element (a walk reading every `class` costs as much as one reading those of divs)."""
    anywhere = any(anchor.tag == "*" for anchor in anchors if anchor.kind in ("class", "substring"))

    def key(anchor: Anchor) -> tuple[str, ...]:
        if anchor.kind in ("id", "tag"):
            return (anchor.kind,)
        return ("class", "*" if anywhere else anchor.tag)

    together: dict[tuple[str, ...], set[Anchor]] = {}
    for anchor in anchors:
        together.setdefault(key(anchor), set()).add(anchor)
    return {anchor: frozenset(together[key(anchor)]) for anchor in anchors}


def find_marked(root: etree._Element, anchors: frozenset[Anchor]) -> dict[Anchor, list[Any]]:
    """The elements of every anchor, in document order; the anchors must be of one of `groups`."""
    kind = next(iter(anchors)).kind
    if kind == "id":
        return _find_ids(root, anchors)
    if kind == "tag":
        return _find_tags(root, anchors)
    return _find_classes(root, anchors)


def _find_ids(root: etree._Element, anchors: frozenset[Anchor]) -> dict[Anchor, list[Any]]:
    names = sorted({anchor.name for anchor in anchors})
    found: dict[str, list[Any]] = {name: [] for name in names}
    if IdTable.answers(root):
        for element in _compiled_id_lookup(" ".join(names))(root):
            if element.get("id") in found:  # not an `<a name=…>`, which the table holds too
                found[element.get("id")].append(element)
    else:
        for value in _attribute_walk("id", "*", tuple(names))(root):
            found[str(value)].append(value.getparent())
    return {anchor: _of_tag(found[anchor.name], anchor.tag) for anchor in anchors}


def _find_tags(root: etree._Element, anchors: frozenset[Anchor]) -> dict[Anchor, list[Any]]:
    found: dict[str, list[Any]] = {anchor.tag: [] for anchor in anchors}
    for element in root.iter(*found):  # lxml's own walk: far cheaper than XPath's per element
        found[element.tag].append(element)
    return {anchor: found[anchor.tag] for anchor in anchors}


def _find_classes(root: etree._Element, anchors: frozenset[Anchor]) -> dict[Anchor, list[Any]]:
    marked: dict[Anchor, list[Any]] = {anchor: [] for anchor in anchors}
    tags = {anchor.tag for anchor in anchors}
    walk = _attribute_walk("class", "*" if len(tags) > 1 else tags.pop(), tuple(sorted({a.name for a in anchors})))
    classes: dict[str, list[Anchor]] = {}
    for anchor in anchors:
        if anchor.kind == "class":
            classes.setdefault(anchor.name, []).append(anchor)
    substrings = [anchor for anchor in anchors if anchor.kind == "substring"]
    for value in walk(root):
        element = value.getparent()
        for name in classes.keys() & _XML_SPACE.split(value):
            for anchor in classes[name]:
                if anchor.tag in ("*", element.tag):
                    marked[anchor].append(element)
        for anchor in substrings:
            if anchor.name in value and anchor.tag in ("*", element.tag):
                marked[anchor].append(element)
    return marked


_XML_SPACE = re.compile(r"[ \t\n\r]+")
"""What XPath's normalize-space, and so cssselect's class test, splits a class list at."""


def _of_tag(elements: list[Any], tag: str) -> list[Any]:
    return elements if tag == "*" else [element for element in elements if element.tag == tag]


@functools.lru_cache(maxsize=256)
def _attribute_walk(attribute: str, tag: str, names: tuple[str, ...]) -> etree.XPath:
    """The `attribute` of `tag` elements equal to (`id`) or containing (`class`) any of `names`, as
    strings that know their element; for `class`, maybe others too (see `_covering`)."""
    if attribute == "id":
        test = " or ".join(f". = '{name}'" for name in names)
    else:
        test = " or ".join(f"contains(., '{part}')" for part in _covering(names))
    return etree.XPath(f"//{tag}/@{attribute}[{test}]", smart_strings=True, regexp=False)


def _covering(names: Iterable[str]) -> list[str]:
    """Fewer strings, one in each name: names sharing a start of 3 characters or more are tested by
    that start (`sp_title`, `sp_time` -> `sp_`). Each test costs libxml2 a string copy per attribute."""
    cover: list[str] = []
    for name in sorted(names):
        common = os.path.commonprefix([cover[-1], name]) if cover else ""
        if len(common) >= 3:
            cover[-1] = common
        else:
            cover.append(name)
    return cover


@functools.lru_cache(maxsize=256)
def _compiled_id_lookup(names: str) -> etree.XPath:
    return etree.XPath(f"id('{names}')", regexp=False)


class IdTable:
    """Whether libxml2's ID table of a parsed page gives exactly the elements whose `id` is a name.

    The HTML parser registers every `id` (and `<a name>`) in a table that XPath's `id()` reads in
    one step. The table keeps the first element of a name; a later one is reported in the parse's
    error log as `DTD_ID_REDEFINED`, and libxml2 stops logging after a number of errors. So the
    table is exact for a page whose log is not full and has no such entry. `probe` checks once per
    parser class that the parser behaves so; otherwise every id is found by a walk.
    """

    @staticmethod
    def answers(root: etree._Element) -> bool:
        """Whether the ID table of `root`'s document answers id lookups exactly."""
        parser = root.getroottree().parser
        if parser is None:
            return False
        full = IdTable.probe(type(parser))
        if not full:
            return False
        log = parser.error_log
        return len(log) < full and not any(entry.type == _REDEFINED for entry in log)

    @staticmethod
    @functools.cache
    def probe(parser_class: type[etree._FeedParser]) -> int:
        """How many entries make a full error log for `parser_class`, or 0 when its ID table cannot be used."""
        parser = parser_class()
        root = etree.fromstring(_PROBE_PAGE, parser)
        found = [element.text for element in root.xpath("id('d n u')")]
        redefined = sorted(entry.message for entry in parser.error_log if entry.type == _REDEFINED)
        if found != ["1", "3", "5"] or redefined != ["ID d already defined", "ID n already defined"]:
            return 0
        etree.fromstring(b"<html><body>" + b"</span>" * 1000 + b"</body></html>", parser)
        return len(parser.error_log)


_REDEFINED = etree.ErrorTypes.DTD_ID_REDEFINED
_PROBE_PAGE = (
    b"<html><body><a name='n'>1</a><div id='n'>2</div><p id='d'>3</p><p id='d'>4</p><b id='u'>5</b>"
    b"</body></html>"
)
