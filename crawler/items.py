"""Items: what site parsers extract (`ArticleDraft`) and what the crawl exports (`Article`).

A parser fills an `ArticleDraft` with the page's pieces as printed (headline lines, body
paragraphs, date strings, staff lines). The normalization pipeline turns the draft into an
`Article`, the contract every exported JSON line follows (README "The Article item"; the JSON Schema
is `crawler/schema/article.schema.json`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.capture import WarcLocation


@dataclass
class ImageRef:
    """An image of the article: absolute URL and its caption (empty when none)."""

    url: str
    caption: str = ""


@dataclass
class ArticleDraft:
    """The raw extraction of one article page, before normalization.

    Every text is as the page prints it (whitespace may be dirty, text may be mirror-damaged);
    the normalization module cleans, repairs and interprets it.
    """

    url: str
    site: str
    site_name: str
    parser: str
    fetched_at: str
    title: str = ""
    subtitles: list[str] = field(default_factory=list)
    body_paragraphs: list[str] = field(default_factory=list)
    date_texts: list[str] = field(default_factory=list)
    """Candidate publish dates, best first (meta tags, visible meta line, ...)."""
    source_text: str | None = None
    """The `来源` value as printed, without its label."""
    byline_texts: list[str] = field(default_factory=list)
    """Staff and credit lines found outside the body (`作者:佚名`, `(文/… 图/…)`, `编辑 …`)."""
    images: list[ImageRef] = field(default_factory=list)
    original_url: str | None = None
    canonical_url: str | None = None
    """The canonical URL when the parser knows it (site canonical host); else derived from `url`."""
    encoding: str | None = None
    warc: WarcLocation | None = None
    """Where the page's response record lies (`archive.capture.Capture.location`)."""
    fallback_from: str | None = None
    """The site parser that read no title or body from the page, when another parser made this draft."""


@dataclass
class Article:
    """One exported article: the item contract (see `crawler/schema/article.schema.json`)."""

    url: str
    canonical_url: str
    site: str
    site_name: str
    title: str
    subtitles: list[str]
    published_at: str | None
    published_precision: str | None
    source: str | None
    original_url: str | None
    authors: list[str]
    photographers: list[str]
    editors: list[dict[str, str]]
    body: str
    images: list[dict[str, str]]
    repairs: list[str]
    fetched_at: str
    warc: WarcLocation | None
    body_sha1: str
    reposted_from: str | None
    parser: str
    encoding: str | None = None
    """The charset the page was decoded with (w3lib's names: `gbk`/`gb2312` are read as `gb18030`)."""
    version: int = 1
    """1 for the first export of a canonical URL; one more for each changed body exported later."""
    fallback_from: str | None = None
    """The site parser (`dutenews@2023`) that got no title or body from the page, when `parser` names the
    gov-portal or generic parser that read it instead; None when the site's own parser read it."""
