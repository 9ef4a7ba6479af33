"""Archived captures into items without Scrapy's engine: the part of a replay that runs in parallel.

For each capture, `CaptureParser` does what the crawl's components do to a downloaded page, by
calling those components: it builds the response the downloader middlewares would deliver
(`scrapy_response`, then `CharsetMiddleware`), stops what is no page (`UnusableResponseMiddleware`),
hands the page to its site spider's parser version (or, with no owner, the generic extractor),
reads a repost's original from the archive index (as `SiteSpider.parse_article` fetches it), and
normalizes each draft (`NormalizePipeline`). Nothing here keeps state between captures: versions,
reposts by similarity, rejects and the export stay with the coordinating process's item pipelines.

A draft that fails to normalize is passed on as a draft, so that the coordinator's
`NormalizePipeline` rejects it with its log line and reject entry, as in a crawl.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scrapy import Request

from archive.index import UnresolvedRevisit
from archive.reader import DamagedRecord
from crawler.capture import CAPTURE_META
from crawler.middlewares.charset import CharsetMiddleware
from crawler.middlewares.unusable import UnusableResponse, UnusableResponseMiddleware
from crawler.normalize import build_article
from crawler.pipelines.normalize import NormalizePipeline
from crawler.replay.response import scrapy_response
from crawler.sitespider import account_fallback, repost_owner
from spiders.page import page_draft
from spiders.registry import spider_for_url

if TYPE_CHECKING:
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

    from archive.index import ArchiveIndex, IndexEntry
    from crawler.items import ArticleDraft

logger = logging.getLogger(__name__)


class StatsTally:
    """The stats a parser counts, handed to the crawl's stats collector in batches (`take`)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        """Add `count` to a stat (the `StatsCollector` call the components make)."""
        self.counts[key] += count

    def take(self) -> dict[str, int]:
        """The counts since the last call."""
        counts, self.counts = dict(self.counts), Counter()
        return counts


@dataclass
class Parsed:
    """The output of a batch of captures: items in archive order (a repost's original before it), and stats."""

    items: list[Any] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)


class CaptureParser:
    """Turns captures of an archive index into normalized items, as a crawl's components would."""

    def __init__(self, index: ArchiveIndex, settings: BaseSettings) -> None:
        self.index = index
        self.stats = StatsTally()
        self.charset = CharsetMiddleware(self.stats, settings)  # type: ignore[arg-type]
        self.unusable = UnusableResponseMiddleware(self.stats, settings.getint("RESPONSE_MAX_DEPTH"))  # type: ignore[arg-type]
        self.normalize = NormalizePipeline(self.stats)  # type: ignore[arg-type]

    def parse_batch(self, captures: list[IndexEntry]) -> Parsed:
        """The items of `captures`, in order, and the stats they made."""
        items = [item for capture in captures for item in self.parse(capture)]
        return Parsed(items, self.stats.take())

    def parse(self, capture: IndexEntry) -> list[Any]:
        """The items of one capture: none, one, or a repost's original and the repost."""
        response = self.response(capture, capture.url)
        if response is None:
            return []
        try:
            drafts = self._drafts(response)
        except Exception as exc:  # a parser's bug on one page: counted and logged as Scrapy does a callback's
            self.stats.inc_value("spider_exceptions/count")
            self.stats.inc_value(f"spider_exceptions/{type(exc).__name__}")
            logger.error("Spider error processing %s", response.url, exc_info=True)
            return []
        return [self._normalized(draft) for draft in drafts]

    def response(self, capture: IndexEntry, url: str) -> Response | None:
        """The page a crawl's parser would get for `capture` requested as `url`, or None (logged and counted)."""
        try:
            archived = self.index.response(capture)
        except DamagedRecord as exc:
            self.stats.inc_value("replay/damaged_records")
            logger.warning("Cannot answer %s from a damaged record: %s", url, exc)
            return None
        except UnresolvedRevisit as exc:
            self.stats.inc_value("replay/unresolved_revisits")
            logger.warning("Cannot answer %s: %s", url, exc)
            return None
        self.stats.inc_value("replay/responses")
        request = Request(url, meta={CAPTURE_META: archived.capture}, dont_filter=True)
        response = self.charset.process_response(request, scrapy_response(request, archived))
        try:
            self.unusable.process_spider_input(response)
        except UnusableResponse as exc:
            self.unusable.process_spider_exception(response, exc)
            return None
        return response

    def _drafts(self, response: Response) -> list[ArticleDraft]:
        owner = spider_for_url(response.url)
        if owner is None:
            return [page_draft(response)]  # type: ignore[arg-type]
        draft = owner.extract(response)  # type: ignore[arg-type]
        account_fallback(draft, self.stats)  # type: ignore[arg-type]
        if repost_owner(draft, owner) is None:
            return [draft]
        return [*self._original(draft.original_url or ""), draft]

    def _original(self, url: str) -> list[ArticleDraft]:
        """The draft of a repost's original, read from the index as a crawl fetches it (none when missing)."""
        capture = self.index.lookup(url)
        if capture is None:
            self.stats.inc_value("replay/miss")
            logger.warning("Not in the archives: %s (no network fallback while replaying)", url)
        response = self.response(capture, url) if capture is not None else None
        if response is None:
            self.stats.inc_value("reposts/originals_failed")
            return []
        self.stats.inc_value("reposts/originals_fetched")
        owner = spider_for_url(response.url)
        if owner is None:
            return []
        original = owner.extract(response)  # type: ignore[arg-type]
        account_fallback(original, self.stats)  # type: ignore[arg-type]
        return [original]

    def _normalized(self, draft: ArticleDraft) -> Any:
        try:
            article = build_article(draft)
        except Exception:  # left for the coordinator's NormalizePipeline, which rejects it with its reason
            return draft
        self.normalize.account(article)
        return article
