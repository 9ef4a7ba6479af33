"""The base of every site spider: list paging, article parsing, reposts of other known sites.

A site module declares its `Site` and its parser versions; this class does the rest:

    class DutenewsSpider(SiteSpider):
        site = SITE
        parsers = (DutenewsParser,)

Spider arguments: `-a since=YYYY-MM-DD` stops paging once a list page holds only older
articles (and skips the older entries); `-a max_pages=N` bounds list paging.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

import scrapy

from crawler.arguments import Argument, ArgumentSpider, iso_date, positive_int
from crawler.capture import capture_of, warc_location
from crawler.failures import account_failure
from crawler.normalize.dates import parse_date
from crawler.normalize.text import canonicalize_url
from crawler.parsing import extract
from crawler.parsing.generic.choose import fallback_draft, missing_fields
from crawler.state.extension import StateExtension
from crawler.state.skips import AlreadyDone

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from scrapy.http import Response, TextResponse
    from scrapy.statscollectors import StatsCollector
    from twisted.python.failure import Failure

    from crawler.items import ArticleDraft
    from crawler.parsing.parser import ArticleParser
    from crawler.parsing.site import Site

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ListEntry:
    """One article entry on a list page."""

    url: str
    published: date | None


def capture_time(response: Response) -> datetime:
    """When the response was captured: its WARC-Date when archived, else now (UTC)."""
    capture = capture_of(response)
    if capture is not None and capture.warc_date:
        return datetime.fromisoformat(capture.warc_date.replace("Z", "+00:00"))
    return datetime.now(UTC)


class SiteSpider(ArgumentSpider):
    """A spider for one source site, driven by its `Site` declaration and parser versions."""

    site: ClassVar[Site]
    parsers: ClassVar[tuple[type[ArticleParser], ...]]
    """Parser versions, oldest first."""
    arguments = (
        Argument("since", "YYYY-MM-DD", iso_date("since")),
        Argument("max_pages", "N", positive_int("max_pages")),
    )
    since: date | None
    max_pages: int | None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "site" in cls.__dict__:
            cls.name = cls.site.name
            cls.allowed_domains = list(cls.site.domains)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        """The site's list pages."""
        for url in self.site.start_urls:
            yield scrapy.Request(url, callback=self.parse_list, errback=self.request_failed, cb_kwargs={"page": 1})

    def parse_list(self, response: TextResponse, page: int = 1) -> Iterator[scrapy.Request]:
        """Follow the list's articles; page on while the list still holds articles newer than `since`."""
        entries = self.list_entries(response)
        fresh = [entry for entry in entries if not self._older_than_since(entry)]
        self.crawler.stats.inc_value("list/pages")
        self.crawler.stats.inc_value("list/entries", len(entries))
        if not entries:
            logger.warning("List page %s has no article entries: layout changed?", response.url)
            self.crawler.stats.inc_value("list/empty_pages")
        for entry in fresh:
            yield response.follow(entry.url, callback=self.parse_article, errback=self.request_failed)
        if entries and not fresh:
            logger.info("Stop paging at %s: every entry is older than since=%s", response.url, self.since)
            return
        if fresh and all(self.known(entry.url) for entry in fresh):
            logger.info("Stop paging at %s: every entry is known from an earlier crawl", response.url)
            self.crawler.stats.inc_value("list/stopped_at_known")
            return
        if self.max_pages is not None and page >= self.max_pages:
            logger.info("Stop paging at %s: max_pages=%d reached", response.url, self.max_pages)
            return
        next_page = extract.select(response.selector, self.site.next_page).get() if self.site.next_page else None
        if next_page:
            yield response.follow(next_page, callback=self.parse_list, errback=self.request_failed,
                                  cb_kwargs={"page": page + 1})

    def list_entries(self, response: TextResponse) -> list[ListEntry]:
        """The article entries of a list page, with their printed dates when the site shows them."""
        reference = capture_time(response)
        entries = []
        for node in extract.select(response.selector, self.site.list_entry):
            link = extract.select(node, self.site.list_link).get()
            if not link:
                continue
            printed = extract.first_text(node, self.site.list_date)
            parsed = parse_date(printed, reference=reference) if printed else None
            entries.append(ListEntry(response.urljoin(link.strip()), parsed.value.date() if parsed else None))
        return entries

    def known(self, url: str) -> bool:
        """Whether a finished earlier crawl exported the article at `url` (the state store knows; see crawler/state)."""
        state = self.crawler.get_extension(StateExtension)
        return state is not None and state.known(canonicalize_url(url, self.site.canonical_host))

    def _older_than_since(self, entry: ListEntry) -> bool:
        return self.since is not None and entry.published is not None and entry.published < self.since

    def parse_article(self, response: TextResponse) -> Iterator[ArticleDraft | scrapy.Request]:
        """Parse an article; a repost of another known site's article first fetches the original."""
        draft = self.extract(response)
        account_fallback(draft, self.crawler.stats)
        if repost_owner(draft, type(self)) is not None:
            yield response.follow(
                draft.original_url, callback=self.parse_original, errback=self.original_failed,
                cb_kwargs={"repost": draft}, meta={"allow_offsite": True},
            )
            return
        yield draft

    def parse_original(self, response: TextResponse, repost: ArticleDraft) -> Iterator[ArticleDraft]:
        """The original of a repost, parsed by its own site's spider, then the repost itself."""
        owner = _spider_for(response.url) or type(self)
        self.crawler.stats.inc_value("reposts/originals_fetched")
        original = owner.extract(response)
        account_fallback(original, self.crawler.stats)
        yield original
        yield repost

    def request_failed(self, failure: Failure) -> None:
        """A list or article page gave no response to parse: one log line and a stat, no traceback.

        Pages the state store skips on purpose (unchanged, done before a crash) are not failures;
        the state middleware has counted them.
        """
        if not failure.check(AlreadyDone):
            account_failure(failure, self.crawler.stats)

    def original_failed(self, failure: Failure) -> Iterator[ArticleDraft]:
        """The original was not fetched (unchanged since an earlier crawl, or an error): the repost is still
        exported."""
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(AlreadyDone):
            logger.info("The original %s of a repost needs no fetch: %s", request.url, failure.value)
            self.crawler.stats.inc_value("reposts/originals_unchanged")
        else:
            account_failure(failure, self.crawler.stats)
            self.crawler.stats.inc_value("reposts/originals_failed")
        yield request.cb_kwargs["repost"]

    @classmethod
    def parser_for(cls, captured_at: datetime) -> type[ArticleParser]:
        """The newest parser version whose layout was in force at the capture date."""
        day = captured_at.date()
        valid = [parser for parser in cls.parsers if parser.valid_from <= day]
        return valid[-1] if valid else cls.parsers[0]

    @classmethod
    def extract(cls, response: TextResponse, captured_at: datetime | None = None) -> ArticleDraft:
        """Parse one article response with the parser version matching its capture date; an article
        page it reads no title or body from goes to the gov-portal or generic parser instead
        (`crawler.parsing.generic.choose.fallback_draft`)."""
        moment = captured_at or capture_time(response)
        draft = cls.parser_for(moment)(response, moment).parse()
        if missing_fields(draft) and cls.site.is_article(response.url):
            return fallback_draft(draft, response, moment)
        draft.warc = warc_location(response)
        return draft


def account_fallback(draft: ArticleDraft, stats: StatsCollector) -> None:
    """Count a draft its site parser could not read (`parse/fallback/<site>`): the drift alarm counts these."""
    if draft.fallback_from:
        stats.inc_value(f"parse/fallback/{draft.site}")


def repost_owner(draft: ArticleDraft, spider: type[SiteSpider]) -> type[SiteSpider] | None:
    """The spider of the other known site whose article `draft` reposts (`原文链接`), or None."""
    owner = _spider_for(draft.original_url)
    return owner if owner is not None and owner is not spider else None


def _spider_for(url: str | None) -> type[SiteSpider] | None:
    if not url:
        return None
    from spiders.registry import spider_for_url

    return spider_for_url(url)

