"""`GenericParser`: trafilatura's body and headline, our date and byline rules around them."""

from __future__ import annotations

import logging
import re
from importlib.metadata import version
from typing import TYPE_CHECKING, Any, ClassVar

import trafilatura

from crawler.normalize.bylines import parse_credits
from crawler.normalize.dates import parse_date, reference_from_url
from crawler.normalize.guards import is_source_name, tidy_source
from crawler.normalize.labels import PUBLISHED_LABELS, label_pattern
from crawler.normalize.text import clean_text
from crawler.parsing import extract
from crawler.parsing.generic.credits import (
    author_line,
    blog_owner,
    bracketed_names,
    credit_in,
    is_author_line,
    personal_names,
    poster_in,
    traditional_source_line,
)
from crawler.parsing.generic.edges import promote_headline, split_edges
from crawler.parsing.generic.furniture import (
    heading_before_suffix,
    strip_site_suffix,
    title_tail,
    without_furniture,
    without_original_label,
)
from crawler.parsing.generic.layout import HEADER_LINES, PageLines, find_headline, locate, position
from crawler.parsing.generic.markup import (
    MAX_HEADING,
    headings,
    link_texts,
    meta_values,
    page_lines,
    squeeze,
    title_candidates,
    with_page_spacing,
)
from crawler.parsing.generic.merge import merge, prose_lines, readability_paragraphs
from crawler.parsing.generic.posts import first_post
from crawler.parsing.generic.tables import with_tables
from crawler.parsing.parser import ArticleParser
from crawler.parsing.site import Site

if TYPE_CHECKING:
    from datetime import datetime

    from lxml.html import HtmlElement
    from parsel import Selector
    from scrapy.http import TextResponse
    from trafilatura.settings import Document

    from crawler.items import ImageRef

logger = logging.getLogger(__name__)

SITE = Site(name="page", site_name="通用网页", domains=(), canonical_host="", start_urls=(), list_entry="")

META_DATES = (
    "article:published_time", "og:release_date", "og:article:published_time", "PubDate", "publishdate",
    "publish_date", "pubdate", "datePublished", "citation_publication_date", "citation_date", "dcterms.issued",
    "dc.date.issued", "dc.date", "dcterms.created", "sailthru.date", "parsely-pub-date",
)
"""Publish-date `<meta>` names or properties, best first."""
META_AUTHORS = (
    "author", "article:author", "og:article:author", "citation_author", "citation_authors", "dc.creator",
    "sailthru.author", "byl",
)
"""Author `<meta>` names; only values that are personal names count (`L_104485`, URLs, sites do not)."""
_BRACKETED_TAG = re.compile(r"[【\[〖][^】\]〗]{1,12}[】\]〗]")
"""A short bracketed line atop an article is its column's tag, not its headline."""
_LABELLED_DATE = re.compile(rf"(?:{label_pattern(PUBLISHED_LABELS)})\s*[:：]?\s*(?=\d)")


class GenericParser(ArticleParser):
    """Any page: trafilatura's body and headline, our date and byline rules around them."""

    site = SITE
    version = f"trafilatura-{trafilatura.__version__}_readability-{version('readability-lxml')}"

    EXTRACT_OPTIONS: ClassVar[dict[str, Any]] = {
        "include_tables": False,
        "include_comments": False,
        "date_extraction_params": {"extensive_search": False, "original_date": True},
    }
    """trafilatura's options. Old portals lay pages out in tables: with tables on, whole layout
    tables (menus, link boxes) land in the body. Reader comments are not the article. Its date
    guess (htmldate) skips the extensive search, whose guesses (a copyright year read as
    `YYYY-01-01`) are worse than no date."""

    def __init__(self, response: TextResponse, captured_at: datetime) -> None:
        super().__init__(response, captured_at)
        self.document: Document | None = None
        lines = page_lines(self.sel)
        keys = [squeeze(line) for line in lines]
        post = first_post(with_page_spacing(self.main_text(), lines, keys), lines, keys)
        several = post.end < len(lines)
        paragraphs, lines, keys = post.paragraphs, lines[:post.end], keys[:post.end]
        first = position(keys, paragraphs[0]) if paragraphs else None
        titles = title_candidates(self.sel, self.document)
        headline_at = find_headline(keys, titles, first)
        if paragraphs and ((headline_at is not None and headline_at == first) or squeeze(paragraphs[0]) in titles):
            paragraphs = paragraphs[1:]  # the headline, printed again as the body's first line
        self.edges = split_edges(paragraphs)
        if several:  # one post of several: a short line atop its text is its title
            promote_headline(self.edges, above_prose=True)
        self.layout = self._locate(lines, keys, headline_at, first)
        if not self.title():  # no headline anywhere: the body's first short line is one
            promote_headline(self.edges)
            self.layout = self._locate(lines, keys, headline_at, first)

    def main_text(self) -> list[str]:
        """The article text as paragraphs, before its edges are taken off: trafilatura's merged with
        readability's (`crawler.parsing.generic.merge`), without paragraphs that are only a link's text or
        page furniture; a page both find nothing on gives its prose lines."""
        self.document = run_trafilatura(self.sel.root, self.response.url, self.EXTRACT_OPTIONS)
        links = link_texts(self.sel)
        main = without_furniture(without_links(text_paragraphs(self.document), links))
        other = without_furniture(without_links(readability_paragraphs(self.response.text, self.response.url), links))
        return merge(main, other) or prose_lines(page_lines(self.sel))

    def _locate(self, lines: list[str], keys: list[str], headline_at: int | None, first: int | None) -> PageLines:
        """The page's layout around the body left by the edges. The header starts under the headline
        found on the page when it stands a few lines above a headline atop the body (that one is then a
        kicker, `【新春走基层】`), else under the headline atop the body."""
        if self.edges.headline:
            atop = position(keys, self.edges.headline[0], first or 0)
            near = headline_at is not None and atop is not None and 0 < atop - headline_at <= HEADER_LINES
            headline_at = headline_at if near else atop
        return locate(lines, keys, headline_at, self.edges.body)

    @classmethod
    def label(cls) -> str:
        """The parser's name in items: `generic@trafilatura-<version>`."""
        return f"generic@{cls.version}"

    def title(self) -> str:
        """The headline printed atop the body (unless it is a bracketed column tag, `【新春走基层】`), else
        the one found on the page, else trafilatura's title, else the first `<h1>`, else the `<title>`; never
        the site name or tagline the `<title>` ends with; without a repost's `原标题：` label; the `<h1>` when
        the choice is that `<h1>` with a suffix."""
        located = clean_text(self.layout.lines[self.layout.title_at]) if self.layout.title_at is not None else ""
        found = (self.document.title if self.document is not None else None) or ""
        atop = [line for line in self.edges.headline[:1] if not _BRACKETED_TAG.fullmatch(line.strip())]
        page_title = extract.first_text(self.sel, "title")
        tail = squeeze(title_tail(page_title))
        heading = next(iter(headings(self.sel)), "")
        candidates = (*atop, located, found, heading, page_title)
        chosen = next((text for text in candidates if text and len(text) <= MAX_HEADING and squeeze(text) != tail), "")
        return heading_before_suffix(strip_site_suffix(without_original_label(chosen)), heading)

    def subtitles(self) -> list[str]:
        """Further headline lines printed atop the body."""
        return self.edges.headline[1:]

    def body_paragraphs(self) -> list[str]:
        """The merged text, one paragraph a line, without the headline and credits at its edges, with the
        data tables among its paragraphs (`crawler.parsing.generic.tables`)."""
        return with_tables(self.sel.root, self.edges.body)

    def date_texts(self) -> list[str]:
        """Date candidates, best first: labelled dates under the headline, `<meta>` dates, other
        dated lines under the headline or atop the body, labelled dates after the body,
        trafilatura's own guess."""
        reference = reference_from_url(self.response.url) or self.captured_at
        header = [line for line in self.layout.header() if parse_date(line, reference)]
        labelled = [line for line in header if _LABELLED_DATE.search(line)]
        return most_precise_first(_unique([
            *labelled,
            *meta_values(self.sel, META_DATES),
            *(line for line in header if line not in labelled),
            *self.edges.date_lines,
            *(line for line in self.layout.tail() if _LABELLED_DATE.search(line) and parse_date(line)),
            *self.layout.footer(),
            *([self.document.date] if self.document is not None and self.document.date else []),
        ]))

    def source_text(self) -> str | None:
        """The `来源` printed under the headline (`2024-05-20 09:30 来源：中国质量报 记者 …`), else the one
        printed right after the body (`来源：新闻晨报`); a value that names no outlet (`转载文章`) does not count."""
        lines = [*self.layout.header(), *self.layout.tail()]
        return next((source for line in lines
                     if (source := parse_credits(line).source) and is_source_name(tidy_source(source))), None)

    def byline_texts(self) -> list[str]:
        """Staff lines: author `<meta>` tags, credits under the headline, at the body's edges and after it;
        without an author among them, a labelled author line elsewhere around the body (a byline printed
        away from the headline), else the blog owner a `<title>` names (`…_张三的博客`)."""
        lines = _unique([
            *meta_authors(self.sel, self.document),
            *header_credits(self.layout.header()),
            *(line for line in self.layout.header() if traditional_source_line(line)),
            *self.edges.credits,
            *(credit for line in self.layout.tail() if (credit := credit_in(line))),
            *(poster for line in self.layout.footer() if (poster := poster_in(line))),
        ])
        if any(parse_credits(line).authors for line in lines):
            return lines
        distant = next((line for line in self.layout.around() if is_author_line(line)), None)
        return [*lines, *([distant] if distant else author_line(blog_owner(extract.first_text(self.sel, "title"))))]

    def images(self) -> list[ImageRef]:
        """No images: trafilatura's text does not say where they stood."""
        return []


def run_trafilatura(root: HtmlElement, url: str, options: dict[str, Any]) -> Document | None:
    """trafilatura's extraction (with metadata) of the parsed page, or None when it finds nothing.

    It is given the response's own tree (trafilatura copies it), so the page is read exactly as
    the crawler decoded it.
    """
    try:
        return trafilatura.bare_extraction(root, url=url, with_metadata=True, **options)
    except Exception:  # a third-party library at a component boundary: one bad page must not stop the crawl
        logger.warning("trafilatura failed on %s", url, exc_info=True)
        return None


def most_precise_first(texts: list[str]) -> list[str]:
    """The candidates with, first, the most precise one printing the same day as the best candidate
    (`2024-05-20 09:30` under the headline beats a `publishdate` meta tag of `2024-05-20`)."""
    parsed = [parse_date(text) for text in texts]
    best = next((found for found in parsed if found is not None), None)
    if best is None:
        return texts
    same_day = [i for i, found in enumerate(parsed) if found is not None and found.value.date() == best.value.date()]
    top = max(same_day, key=lambda i: (PRECISION_RANK[parsed[i].precision], -i))  # type: ignore[union-attr]
    return [texts[top], *texts[:top], *texts[top + 1:]]


PRECISION_RANK = {"day": 0, "minute": 1, "second": 2}


def _unique(texts: list[str]) -> list[str]:
    """The texts without repeats, in order."""
    return list(dict.fromkeys(texts))


def text_paragraphs(document: Document | None) -> list[str]:
    """trafilatura's text as paragraphs (one a line)."""
    text = document.text if document is not None else ""
    return [line for line in (text or "").split("\n") if line.strip()]


def without_links(paragraphs: list[str], links: set[str]) -> list[str]:
    """The paragraphs that are more than one link's text (menus and link lists are not article text);
    separators (`|`, `·`, `>`) alone count as nothing."""
    return [text for text in paragraphs if (key := _SEPARATORS.sub("", squeeze(text))) and key not in links]


_SEPARATORS = re.compile(r"[|｜·•\-—_/\\>»]+")


def meta_authors(sel: Selector, document: Document | None) -> list[str]:
    """Staff lines for the personal names of author `<meta>` tags and of trafilatura's author."""
    values = meta_values(sel, META_AUTHORS)
    if document is not None and document.author:
        values.append(document.author)
    return [line for value in values for line in author_line(personal_names(value))]


def header_credits(header: list[str]) -> list[str]:
    """Staff lines under the headline, and names bracketed on its dateline (`…08:19 [ 黄宇 ]`)."""
    credits = []
    for line in header:
        credit = credit_in(line)
        if credit:
            credits.append(credit)
        elif parse_date(line):
            credits += author_line(bracketed_names(line))
    return credits
