"""Finding the elements a page marks with an `id` or a `class`, for many names at once.

A query's anchor (`#zoom`, `.article-info`, `div.viewbox`, or XPath's `//div[contains(@class, 'x')]`)
costs a walk of the whole page when XPath looks for it. Here all the ids wanted are looked up in
libxml2's own ID table when that table is known to answer exactly (see `_id_table_answers`), and all the
classes wanted on one element name are found in one walk that only reads `class` attributes.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from lxml import etree

from crawler.compat import Element
from spiders.libxml import REDEFINED_ID, complete_log, id_table_exact

if TYPE_CHECKING:
    from collections.abc import Iterable


class Anchor(NamedTuple):
    """Elements a query starts from: `kind` `id` (equal to `name`), `class` (`name` in the class
    list), `substring` (`name` in the class attribute) or `tag` (any element), on elements named
    `tag` (any, for `*`)."""

    kind: str
    name: str
    tag: str


Finder = Callable[[Element], dict[Anchor, list[Any]]]
"""Finds the elements of a group of anchors on a page, each anchor's in document order."""


@functools.lru_cache(maxsize=256)
def finders(anchors: frozenset[Anchor]) -> dict[Anchor, Finder]:
    """For each anchor, the finder of its group: every id (one table lookup), every tag (one walk),
    and the class and substring anchors of one element name (one walk), or all of them when one is
    on any element (a walk reading every `class` costs as much as one reading those of divs)."""
    anywhere = any(anchor.tag == "*" for anchor in anchors if anchor.kind in ("class", "substring"))
    together: dict[tuple[str, ...], list[Anchor]] = {}
    for anchor in sorted(anchors):
        key = (anchor.kind,) if anchor.kind in ("id", "tag") else ("class", "*" if anywhere else anchor.tag)
        together.setdefault(key, []).append(anchor)
    found: dict[Anchor, Finder] = {}
    for (kind, *_), group in together.items():
        finder = {"id": _id_finder, "tag": _tag_finder}.get(kind, _class_finder)(tuple(group))
        found.update(dict.fromkeys(group, finder))
    return found


def _id_finder(anchors: tuple[Anchor, ...]) -> Finder:
    names = sorted({anchor.name for anchor in anchors})
    lookup = etree.XPath(f"id('{' '.join(names)}')", regexp=False)
    walk = _attribute_walk("id", "*", tuple(names))

    def find(root: Element) -> dict[Anchor, list[Any]]:
        found: dict[str, list[Any]] = {name: [] for name in names}
        if _id_table_answers(root):
            for element in lookup(root):
                if element.get("id") in found:  # not an `<a name=…>`, which the table holds too
                    found[element.get("id")].append(element)
        else:
            for value in walk(root):
                found[str(value)].append(value.getparent())
        return {anchor: _of_tag(found[anchor.name], anchor.tag) for anchor in anchors}

    return find


def _tag_finder(anchors: tuple[Anchor, ...]) -> Finder:
    tags = tuple(sorted({anchor.tag for anchor in anchors}))

    def find(root: Element) -> dict[Anchor, list[Any]]:
        found: dict[str, list[Any]] = {tag: [] for tag in tags}
        for element in root.iter(*tags):  # lxml's own walk: far cheaper than XPath's per element
            found[element.tag].append(element)
        return {anchor: found[anchor.tag] for anchor in anchors}

    return find


def _class_finder(anchors: tuple[Anchor, ...]) -> Finder:
    tags = {anchor.tag for anchor in anchors}
    walk = _attribute_walk("class", "*" if len(tags) > 1 else tags.pop(), tuple(sorted({a.name for a in anchors})))
    classes = [(name, [a for a in anchors if a.kind == "class" and a.name == name])
               for name in sorted({anchor.name for anchor in anchors if anchor.kind == "class"})]
    substrings = [anchor for anchor in anchors if anchor.kind == "substring"]

    def find(root: Element) -> dict[Anchor, list[Any]]:
        marked: dict[Anchor, list[Any]] = {anchor: [] for anchor in anchors}
        for value in walk(root):
            named = [entry for entry in classes if entry[0] in value]  # a class of the list is in the string
            found = [anchor for anchor in substrings if anchor.name in value]
            if named:
                tokens = set(_XML_SPACE.split(value))
                found += [anchor for name, kin in named if name in tokens for anchor in kin]
            element = value.getparent() if found else None
            for anchor in found:
                if anchor.tag in ("*", element.tag):
                    marked[anchor].append(element)
        return marked

    return find


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
        # A character-wise common start of two attribute names, not of paths: what commonprefix does.
        common = os.path.commonprefix([cover[-1], name]) if cover else ""  # noqa: RUF071
        if len(common) >= 3:
            cover[-1] = common
        else:
            cover.append(name)
    return cover


def _id_table_answers(root: Element) -> bool:
    """Whether libxml2's ID table of `root`'s document gives exactly the elements of each id.

    The HTML parser registers every `id` (and `<a name>`) in a table that XPath's `id()` reads in
    one step. The table keeps the first element of a name and logs a later one as
    `DTD_ID_REDEFINED`: it is exact for a page whose complete error log has no such entry, when
    the parser behaves so (`id_table_exact`).
    """
    log = complete_log(root)
    return log is not None and id_table_exact(type(root.getroottree().parser)) and \
        not any(entry.type == REDEFINED_ID for entry in log)
