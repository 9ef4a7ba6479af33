"""The parser base of Chinese government portals (TRS, Hanweb and their siblings).

Government article pages carry the standard `<meta>` tags of the 《政府网站发展指引》
(ArticleTitle, PubDate, ContentSource, Author, ...), often dirty: empty, lower-case, markup in
ArticleTitle. Each field reads the tags first and the visible page second; a site parser only
names its visible selectors as class constants.
"""

from __future__ import annotations

import copy
import re
from functools import cached_property
from typing import TYPE_CHECKING

from lxml import etree

from crawler.normalize.labels import SOURCE_LABELS
from crawler.normalize.text import clean_text
from crawler.parsing import extract
from crawler.parsing.parser import ArticleParser
from crawler.parsing.query import matches, root_of

if TYPE_CHECKING:
    from collections.abc import Iterable

    from crawler.compat import Element
    from crawler.parsing.query import Node


# Government portals (TRS, Hanweb and their siblings) carry the standard article <meta> tags of
# 国务院办公厅《政府网站发展指引》(2017): SiteName, SiteDomain, SiteIDCode, ColumnName, ArticleTitle,
# PubDate, ContentSource, Keywords, Author, Description, Image, Url. Real pages keep them dirty:
# names in any letter case, empty values, markup inside ArticleTitle, Url/Image relative. A gov
# parser reads them first and falls back to the visible page with these helpers.

_MARKUP = re.compile(r"<[^>]*>")
_SUBTITLE_MARK = re.compile(r"^\s*(?:——|――|--)\s*")

GOV_META = ("ArticleTitle", "PubDate", "ContentSource", "Author")
"""The article meta tags the gov parser reads."""

HANWEB_OUTSIDE = (
    ".//meta[@name='ContentStart']/preceding-sibling::*",
    ".//meta[@name='ContentEnd']/following-sibling::*",
)
"""BODY_DROP queries keeping only what a Hanweb page holds between its ContentStart and ContentEnd markers."""


def gov_meta_tags(sel: Node, names: tuple[str, ...] = GOV_META) -> dict[str, list[str]]:
    """The values of the meta tags `names` (any letter case) as text lines, by lower-case name: the
    first tag of a name whose value has text wins; markup inside a value is removed and breaks
    the lines (`标题<br/>副题` gives two). Names whose tags are all empty or missing are absent."""
    wanted = {name.lower() for name in names}
    lengths = {len(name) for name in wanted}
    tags: dict[str, list[str]] = {}
    for meta in _meta_elements(sel):
        name = meta.get("name")
        if name is None or len(name) not in lengths or (name := name.lower()) not in wanted or name in tags:
            continue
        content = meta.get("content")
        if content is not None and (lines := _lines(content)):
            tags[name] = lines
            if len(tags) == len(wanted):
                break
    return tags


def _meta_elements(sel: Node) -> Iterable[Element]:
    """The `<meta>` elements in document order, from an lxml walk that stops when the caller has what it
    wants (`//meta[@content]` would test every element, and their `content` itself)."""
    return root_of(sel).iter("meta")


def _lines(content: str) -> list[str]:
    return [line for part in _MARKUP.split(content) if (line := clean_text(part))]


def gov_meta(tags: dict[str, list[str]], name: str) -> str:
    """A government meta tag's value as one cleaned text (markup removed), or ``""``."""
    return " ".join(tags.get(name.lower(), ()))


def gov_headline(sel: Node, tags: dict[str, list[str]], title_query: str | None,
                 subtitles_query: str | None) -> tuple[str, list[str]]:
    """Title and subtitles: `ArticleTitle` first (its further lines, or a `——` part, are subtitles),
    else the visible headline; visible subtitle lines win over the tag's, their `——` mark dropped."""
    meta = tags.get("articletitle", [])
    title, rest = extract.dash_headline(meta[0]) if meta else (extract.first_text(sel, title_query), [])
    subtitles = extract.all_texts(sel, subtitles_query) or [*rest, *meta[1:]]
    return title, [line for text in subtitles if (line := _SUBTITLE_MARK.sub("", text))]


def gov_dates(sel: Node, tags: dict[str, list[str]], *queries: str) -> list[str]:
    """Publish-date candidates, best first: `PubDate`, then the visible nodes' texts."""
    visible = (text for query in queries for text in extract.all_texts(sel, query))
    return [text for text in (gov_meta(tags, "PubDate"), *visible) if text]


def gov_source(sel: Node, tags: dict[str, list[str]], query: str | None,
               labels: tuple[str, ...] = SOURCE_LABELS) -> str | None:
    """`ContentSource`, else the value after `来源:`/`信息来源:` in the visible node; None when both are empty."""
    if meta := gov_meta(tags, "ContentSource"):
        return meta
    text = extract.first_text(sel, query, raw=True)
    return (extract.labelled(text, *labels) if text else "") or None


def gov_bylines(sel: Node, tags: dict[str, list[str]], *queries: str) -> list[str]:
    """Staff lines: the `Author` tag as an `作者` line, then the visible nodes' texts (spacing kept)."""
    visible = (text for query in queries for text in extract.all_texts(sel, query, raw=True))
    return [*extract.credit_line("作者", gov_meta(tags, "Author")), *visible]


class GovArticleParser(ArticleParser):
    """Government meta tags first, the visible page (this class's selectors) second."""


    @cached_property
    def meta_tags(self) -> dict[str, list[str]]:
        """The page's meta tags, read once for every field (see `gov_meta_tags`)."""
        return gov_meta_tags(self.tree)

    @cached_property
    def headline(self) -> tuple[str, list[str]]:
        """Title and subtitles, read once for both fields."""
        return gov_headline(self.tree, self.meta_tags, self.TITLE, self.SUBTITLES)

    def title(self) -> str:
        """`ArticleTitle` (its first line when it holds markup), else the visible headline."""
        return self.headline[0]

    def subtitles(self) -> list[str]:
        """The stacked headline's further lines (a `——` mark dropped)."""
        return self.headline[1]

    def date_texts(self) -> list[str]:
        """`PubDate`, then the visible publish dates."""
        return gov_dates(self.tree, self.meta_tags, *self.DATES)

    def source_text(self) -> str | None:
        """`ContentSource`, else the visible 来源 / 信息来源 (None when both are empty)."""
        return gov_source(self.tree, self.meta_tags, self.SOURCE, self.SOURCE_LABELS)

    def byline_texts(self) -> list[str]:
        """The `Author` tag, then the visible 作者 and 责任编辑 lines."""
        return gov_bylines(self.tree, self.meta_tags, *self.BYLINES)


# The family signs of government CMSs (TRS WCM, Hanweb/大汉, the provincial 集约化 platforms, Founder),
# shared by the site parsers above and the `gov-portal` family parser (crawler.parsing.generic.govportal).
GOV_SIGN_META = ("ArticleTitle", "PubDate", "ContentSource")
"""Article meta tags of the 《政府网站发展指引》: a page carrying any of them with a value is a portal article."""
GOV_SIGN_MARKUP = (
    "//ucapcontent", "//*[@id='UCAP-CONTENT']", "//meta[@name='ContentStart']",
    "//comment()[contains(., 'ContentStart')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
)
"""CMS markup that only these platforms print: Hanweb's `<ucapcontent>` and UCAP container, its
ContentStart marker (a `<meta>` in the body or a comment), TRS WCM's editor class."""
GOV_CONTAINERS = (
    "#UCAP-CONTENT", "ucapcontent", ".TRS_Editor", "#zoom", ".pages-content", ".pages_content",
    ".article-content", ".detail_text",
)
"""Where the platforms put the article text, in the order public crawlers of gov portals try them."""
MIN_CONTAINER_TEXT = 30
"""Characters (without spaces) a container must hold to be the body: less is an empty template or a footer."""


def shows_gov_signs(sel: Node) -> bool:
    """Whether a page shows the signs of a government CMS (a gov meta tag with a value, or CMS markup)."""
    if gov_meta_tags(sel, GOV_SIGN_META):
        return True
    return any(matches(sel, query) for query in GOV_SIGN_MARKUP)


def gov_container(sel: Node) -> Element | None:
    """The body container: for the first of `GOV_CONTAINERS` that matches, its match holding the most
    text (a footer may carry the same class), when that holds at least `MIN_CONTAINER_TEXT` characters."""
    for query in GOV_CONTAINERS:
        found = [(len(_squeezed_text(node)), index, node) for index, node in enumerate(matches(sel, query))]
        if found:
            size, _, node = max(found, key=lambda entry: (entry[0], -entry[1]))
            if size >= MIN_CONTAINER_TEXT:
                return node
    return None


def between_markers(sel: Node) -> Element | None:
    """A copy of what stands between a page's ContentStart and ContentEnd markers (`<meta name=…>` or
    comments) when both share a parent, wrapped in one `<div>`; None without such a pair."""
    starts = matches(sel, "//meta[@name='ContentStart'] | //comment()[contains(., 'ContentStart')]")
    ends = matches(sel, "//meta[@name='ContentEnd'] | //comment()[contains(., 'ContentEnd')]")
    if not starts or not ends or starts[0].getparent() is None or starts[0].getparent() is not ends[-1].getparent():
        return None
    parent = starts[0].getparent()
    children = list(parent)
    wrapper = etree.Element("div")
    wrapper.text = starts[0].tail
    for child in children[children.index(starts[0]) + 1:children.index(ends[-1])]:
        wrapper.append(copy.deepcopy(child))
    return wrapper if len(_squeezed_text(wrapper)) >= MIN_CONTAINER_TEXT else None


def _squeezed_text(node: Element) -> str:
    return "".join("".join(node.itertext()).split())
