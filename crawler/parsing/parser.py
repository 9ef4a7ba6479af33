"""The article parser base: one versioned class per site layout (the fundus way).

A site parser subclasses `ArticleParser`, names its selectors as class constants and, where a
field needs more than a selector, overrides that field's method with a one-line call to a shared
helper. A later layout subclasses the earlier parser, sets `valid_from` and overrides only what
changed. Parsing depends only on the response (URL, bytes, headers) and the capture date: it
makes no request and does no I/O, so live crawls and replay run the same code.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urljoin

from cssselect import SelectorError as CssSelectorError
from lxml import etree

from crawler.items import ArticleDraft, ImageRef
from crawler.normalize.labels import SOURCE_LABELS
from crawler.normalize.text import canonicalize_url
from crawler.parsing import extract
from crawler.parsing.query import PageTree, compiled
from crawler.parsing.selector import page_selector

if TYPE_CHECKING:
    from scrapy.http import TextResponse

    from crawler.parsing.site import Site


class ArticleParser:
    """Turns one article page into an `ArticleDraft`. Selectors are CSS, or XPath when they start with `/`."""

    site: ClassVar[Site]
    version: ClassVar[str]
    valid_from: ClassVar[date] = date.min
    """First capture date this layout applies to; the newest version valid at a capture date wins."""

    TITLE: ClassVar[str | None] = "h1"
    SUBTITLES: ClassVar[str | None] = None
    BODY: ClassVar[str] = "article"
    BODY_DROP: ClassVar[tuple[str, ...]] = ()
    """Nodes inside the body container that are not article text (captions, share bars, ...)."""
    DATES: ClassVar[tuple[str, ...]] = ()
    """Nodes holding publish-date candidates, best first."""
    SOURCE: ClassVar[str | None] = None
    SOURCE_LABELS: ClassVar[tuple[str, ...]] = SOURCE_LABELS
    """Labels stripped from the SOURCE node's text (it may hold a whole meta line)."""
    BYLINES: ClassVar[tuple[str, ...]] = ()
    """Nodes holding staff or credit lines outside the body."""
    IMAGES: ClassVar[str | None] = None
    IMAGE_CAPTION: ClassVar[str | None] = None
    """Caption query relative to each image node."""
    ORIGINAL_URL: ClassVar[str | None] = None
    selectors: ClassVar[dict[str, etree.XPath]] = {}
    """Every selector of the class's constants (upper-case names but `*_LABELS`, str or tuple of str), compiled
    when the class is made (`crawler.parsing.query.compiled`)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.selectors = compiled_selectors(cls)

    def __init__(self, response: TextResponse, captured_at: datetime) -> None:
        self.response = response
        self.sel = page_selector(response)
        self.tree = PageTree(self.sel)
        self.captured_at = captured_at

    @classmethod
    def label(cls) -> str:
        """The parser's name in items: `<site>@<version>`."""
        return f"{cls.site.name}@{cls.version}"

    def parse(self) -> ArticleDraft:
        """Extract every field of the draft."""
        return ArticleDraft(
            url=self.response.url,
            site=self.site.name,
            site_name=self.site.site_name,
            parser=self.label(),
            fetched_at=self.captured_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            title=self.title(),
            subtitles=self.subtitles(),
            body_paragraphs=self.body_paragraphs(),
            date_texts=self.date_texts(),
            source_text=self.source_text(),
            byline_texts=self.byline_texts(),
            images=self.images(),
            original_url=self.original_url(),
            canonical_url=self.canonical_url(),
            encoding=self.response.encoding,
        )

    def title(self) -> str:
        """The main headline."""
        return extract.first_text(self.tree, self.TITLE)

    def subtitles(self) -> list[str]:
        """Further headline lines (引题/副题)."""
        return extract.all_texts(self.tree, self.SUBTITLES)

    def body_container(self):  # type: ignore[no-untyped-def]
        """The node holding the article text, or None."""
        return extract.first_node(self.tree, self.BODY)

    def body_paragraphs(self) -> list[str]:
        """The body's text blocks, without the nodes in `BODY_DROP`."""
        container = self.body_container()
        return extract.block_texts(container, self.BODY_DROP) if container is not None else []

    def date_texts(self) -> list[str]:
        """Publish-date candidates as printed, best first."""
        return [text for query in self.DATES for text in extract.all_texts(self.tree, query)]

    def source_text(self) -> str | None:
        """The `来源` as printed, without its label (the node may hold a whole meta line)."""
        text = extract.first_text(self.tree, self.SOURCE, raw=True)
        return (extract.labelled(text, *self.SOURCE_LABELS) or text) or None

    def byline_texts(self) -> list[str]:
        """Staff and credit lines outside the body, spacing kept."""
        return [text for query in self.BYLINES for text in extract.all_texts(self.tree, query, raw=True)]

    def images(self) -> list[ImageRef]:
        """Article images with absolute URLs and captions."""
        return extract.images(self.tree, self.IMAGES, self.response.url, self.IMAGE_CAPTION)

    def original_url(self) -> str | None:
        """The `原文链接` of a repost."""
        link = extract.first_text(self.tree, self.ORIGINAL_URL)
        return urljoin(self.response.url, link) if link else None

    def canonical_url(self) -> str:
        """The URL on the site's canonical host, without fragment or tracking parameters."""
        return canonicalize_url(self.response.url, self.site.canonical_host)


class SelectorError(ValueError):
    """A parser's selector constant is neither CSS nor XPath that lxml compiles."""


def compiled_selectors(parser: type[ArticleParser]) -> dict[str, etree.XPath]:
    """Each selector of the parser's constants (str or tuple of str) and its compiled XPath (the one the
    page tree runs); `SelectorError` names a bad one."""
    found: dict[str, etree.XPath] = {}
    for name in dir(parser):
        value = getattr(parser, name)
        if not name.isupper() or name.endswith("_LABELS") or not isinstance(value, (str, tuple)):
            continue
        for query in _queries(value):
            try:
                found[query] = compiled(query)
            except (etree.XPathError, CssSelectorError) as exc:
                raise SelectorError(f"{parser.__qualname__}.{name}: {query!r} is no selector ({exc})") from exc
    return found



def _queries(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else value or ()
