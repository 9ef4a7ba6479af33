"""Exports each canonical URL once per crawl and marks reposts of already-known articles.

A repost is a page whose body is near-identical (MinHash over character 5-grams, Jaccard at
least `DEDUPE_REPOST_THRESHOLD`) to an article already seen at another canonical URL, or whose
`原文链接` names such an article. Its `reposted_from` is the original's canonical URL.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from datasketch import MinHash, MinHashLSH

from crawler.items import Article
from crawler.normalize.text import canonicalize_url
from crawler.pipelines import ItemRejected

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

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


class DedupePipeline:
    """Drops a second export of a canonical URL; sets `reposted_from` on reposts."""

    def __init__(self, stats: StatsCollector, threshold: float) -> None:
        self.stats = stats
        self.seen: set[str] = set()
        self.index = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        """Wire the pipeline from settings."""
        return cls(crawler.stats, crawler.settings.getfloat("DEDUPE_REPOST_THRESHOLD"))

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        """Drop duplicates, mark reposts, remember the article."""
        if not isinstance(item, Article):
            return item
        if item.canonical_url in self.seen:
            raise ItemRejected("duplicate", f"{item.canonical_url} was already exported in this crawl")
        minhash = body_minhash(item.body)
        item.reposted_from = self._original_of(item, minhash)
        if item.reposted_from:
            self.stats.inc_value("dedupe/reposts")
            logger.info("%s reposts %s", item.canonical_url, item.reposted_from)
        self.seen.add(item.canonical_url)
        self.index.insert(item.canonical_url, minhash)
        return item

    def _original_of(self, item: Article, minhash: MinHash) -> str | None:
        if item.original_url:
            named = canonicalize_url(item.original_url)
            if named in self.seen:
                return named
        matches = sorted(key for key in self.index.query(minhash) if key != item.canonical_url)
        return matches[0] if matches else None
