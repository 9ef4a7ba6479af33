"""Exports an article only when it is new or changed, numbering its versions; records it when exported.

An article whose body digest equals the one last exported for its canonical URL is dropped
(`items/dropped/unchanged`): a page whose bytes changed around an unchanged text (a new ad, a
view counter) is not a new version. A changed article gets the next `version` (1 for the first
export). The state store learns of the export only after the feed exporter has written the item
(on `item_scraped`), so a crash between the two re-exports rather than loses the article.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.items import Article
from crawler.pipelines import ItemRejected
from crawler.state.extension import StateExtension

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

    from crawler.state import StateStore


class VersionPipeline:
    """Drops unchanged articles, sets `version` on new and changed ones, commits exports to the store."""

    def __init__(self, store: StateStore, stats: StatsCollector) -> None:
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> VersionPipeline:
        """Wire the pipeline to the state store and to `item_scraped` (connected after the feed exporter)."""
        state = crawler.get_extension(StateExtension)
        if state is None:
            raise NotConfigured("versions need the state store (STATE_ENABLED)")
        pipeline = cls(state.store, crawler.stats)
        crawler.signals.connect(pipeline.item_scraped, signal=signals.item_scraped)
        return pipeline

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        """Number new and changed articles; drop unchanged ones (recording that they were seen)."""
        if not isinstance(item, Article):
            return item
        page = self.store.page(item.canonical_url)
        if page is not None and page.body_sha1 == item.body_sha1:
            self.store.commit(item.canonical_url, item.body_sha1, page.version)
            raise ItemRejected("unchanged", f"{item.canonical_url} is unchanged since version {page.version}")
        item.version = page.version + 1 if page is not None else 1
        self.stats.inc_value("state/new" if item.version == 1 else "state/changed")
        return item

    def item_scraped(self, item: Any, response: Response | None, spider: Spider) -> None:
        """The item is in the feed: the store now counts it as done."""
        if isinstance(item, Article):
            self.store.commit(item.canonical_url, item.body_sha1, item.version)
