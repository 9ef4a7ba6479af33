"""Marks reposts of already-known articles, with the index kept in the state store.

A repost is a page whose body is near-identical (MinHash over character 5-grams, Jaccard at
least `DEDUPE_REPOST_THRESHOLD`, found with LSH bands) to an article already exported at another
canonical URL, in this crawl or an earlier one, or whose `原文链接` names such an article. Its
`reposted_from` is the original's canonical URL. The bands live in the state store, so the
index costs no memory per page and survives between crawls.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from datasketch import MinHash, MinHashLSH
from scrapy.exceptions import NotConfigured

from crawler.items import Article
from crawler.normalize.text import canonicalize_url
from crawler.state.extension import StateExtension

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from crawler.state import StateStore

logger = logging.getLogger(__name__)

NUM_PERM = 128
SHINGLE = 5


def body_minhash(body: str) -> MinHash:
    """MinHash of a body's character 5-grams, whitespace ignored."""
    text = re.sub(r"\s+", "", body)
    shingles = {text[i:i + SHINGLE].encode("utf-8") for i in range(max(1, len(text) - SHINGLE + 1))}
    minhash = MinHash(num_perm=NUM_PERM)
    minhash.update_batch(list(shingles))
    return minhash


class Bands:
    """LSH banding of MinHash signatures tuned for a Jaccard threshold (datasketch's optimum)."""

    def __init__(self, threshold: float) -> None:
        self.ranges = MinHashLSH(threshold=threshold, num_perm=NUM_PERM).hashranges

    def of(self, minhash: MinHash) -> list[bytes]:
        """The band hashes of a signature: band i is the bytes of its i-th slice of hash values."""
        return [minhash.hashvalues[start:end].tobytes() for start, end in self.ranges]


class DedupePipeline:
    """Sets `reposted_from` on reposts and indexes every article's signature in the state store."""

    def __init__(self, store: StateStore, stats: StatsCollector, threshold: float) -> None:
        self.store = store
        self.stats = stats
        self.bands = Bands(threshold)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        """Wire the pipeline to the crawl's state store."""
        state = crawler.get_extension(StateExtension)
        if state is None:
            raise NotConfigured("repost detection needs the state store (STATE_ENABLED)")
        return cls(state.store, crawler.stats, crawler.settings.getfloat("DEDUPE_REPOST_THRESHOLD"))

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        """Mark reposts, remember the article's signature."""
        if not isinstance(item, Article):
            return item
        bands = self.bands.of(body_minhash(item.body))
        item.reposted_from = self._original_of(item, bands)
        if item.reposted_from:
            self.stats.inc_value("dedupe/reposts")
            logger.info("%s reposts %s", item.canonical_url, item.reposted_from)
        self.store.add_bands(item.canonical_url, bands)
        return item

    def _original_of(self, item: Article, bands: list[bytes]) -> str | None:
        if item.original_url:
            named = canonicalize_url(item.original_url)
            page = self.store.page(named)
            if page is not None and page.first_seen is not None:
                return named
        matches = sorted(key for key in self.store.band_matches(bands) if key != item.canonical_url)
        return matches[0] if matches else None
