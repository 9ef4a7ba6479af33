"""Exports an article only when it is new or changed, numbering its versions; records it once it is on disk.

An article whose body digest equals the one last exported for its canonical URL is dropped
(`items/dropped/unchanged`): a page whose bytes changed around an unchanged text (a new ad, a
view counter) is not a new version. A changed article gets the next `version` (1 for the first
export). With `STATE_DROP_UNCHANGED=False` (the `page` spider) an unchanged article is exported
again under its current version.

The state store learns of an export only once a feed has written the item (see
`crawler.state.feeds`): on `item_scraped`, after the feed exporter, for unbuffered line feeds; on
`feed_exporter_closed` for feeds stored when the spider closes; never without a feed. A crash
between the write and the commit re-exports the article on the next run rather than losing it.
With `STATE_READ_ONLY` the store is read for versions and never written.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.extensions.feedexport import FeedExporter

from crawler.items import Article
from crawler.pipelines import ItemRejected
from crawler.state.extension import StateExtension
from crawler.state.feeds import CommitPoint, commit_point

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from crawler.state import StateStore

logger = logging.getLogger(__name__)

FEED_FAILURE_STATS = "feedexport/failed_count/"


class VersionPipeline:
    """Drops unchanged articles, sets `version` on new and changed ones, commits exports to the store."""

    def __init__(self, store: StateStore, stats: StatsCollector, commit: CommitPoint, drop_unchanged: bool) -> None:
        self.store = store
        self.stats = stats
        self.commit_at = commit
        self.drop_unchanged = drop_unchanged
        self.unstored: dict[str, Article] = {}
        """Articles exported to feeds that are not stored yet (`CommitPoint.ON_STORE`), by canonical URL."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> VersionPipeline:
        """Wire the pipeline to the state store and to the signal that says the feed holds the item."""
        state = crawler.get_extension(StateExtension)
        if state is None:
            raise NotConfigured
        settings = crawler.settings
        commit = CommitPoint.NEVER if settings.getbool("STATE_READ_ONLY") else commit_point(settings)
        if commit is not CommitPoint.NEVER and crawler.get_extension(FeedExporter) is None:
            commit = CommitPoint.NEVER
        if commit is CommitPoint.NEVER and not settings.getbool("STATE_READ_ONLY"):
            logger.warning("No feed export: the items of this crawl are written nowhere, and the state store "
                           "does not count them as exported (the next crawl exports them again)")
        pipeline = cls(state.store, crawler.stats, commit, settings.getbool("STATE_DROP_UNCHANGED"))
        if commit is CommitPoint.ON_WRITE:
            crawler.signals.connect(pipeline.item_written, signal=signals.item_scraped)
        elif commit is CommitPoint.ON_STORE:
            crawler.signals.connect(pipeline.item_exported, signal=signals.item_scraped)
            crawler.signals.connect(pipeline.feeds_stored, signal=signals.feed_exporter_closed)
        return pipeline

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        """Number new and changed articles; drop unchanged ones (recording that they were seen)."""
        if not isinstance(item, Article):
            return item
        exported = self.unstored.get(item.canonical_url)
        page = self.store.page(item.canonical_url)
        last_sha1, last_version = (exported.body_sha1, exported.version) if exported else (
            (page.body_sha1, page.version) if page is not None else (None, 0))
        if last_sha1 == item.body_sha1:
            item.version = last_version
            if self.drop_unchanged:
                if self.commit_at is not CommitPoint.NEVER:
                    self.store.commit(item.canonical_url, item.body_sha1, last_version, exported=False)
                raise ItemRejected("unchanged", f"{item.canonical_url} is unchanged since version {last_version}")
            self.stats.inc_value("state/unchanged_exported")
            return item
        item.version = last_version + 1
        self.stats.inc_value("state/new" if item.version == 1 else "state/changed")
        return item

    def item_written(self, item: Any) -> None:
        """The item is in every feed file: the store now counts it as done."""
        if isinstance(item, Article):
            self.store.commit(item.canonical_url, item.body_sha1, item.version)

    def item_exported(self, item: Any) -> None:
        """The item is in a feed that is stored when the spider closes: commit it then."""
        if isinstance(item, Article):
            self.unstored[item.canonical_url] = item

    def feeds_stored(self) -> None:
        """Every feed is closed: commit the items, unless a feed failed to store them."""
        failed = sum(int(value) for key, value in self.stats.get_stats().items() if key.startswith(FEED_FAILURE_STATS))
        if failed:
            logger.error("%d feed(s) could not be stored: the state store does not count their %d articles as "
                         "exported, so the next crawl exports them again", failed, len(self.unstored))
            self.stats.set_value("state/uncommitted", len(self.unstored))
        else:
            sys.stdout.flush()  # a feed on stdout is "stored" once Python's buffer reaches the pipe
            for item in self.unstored.values():
                self.store.commit(item.canonical_url, item.body_sha1, item.version)
        self.unstored.clear()
