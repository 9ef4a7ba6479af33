"""Marks reposts of already-known articles, with the index kept in the state store.

A repost is a page whose body is near-identical (MinHash over character 5-grams, Jaccard at
least `DEDUPE_REPOST_THRESHOLD`, found with LSH bands) to an article already exported at another
canonical URL, in this crawl or an earlier one, or whose `原文链接` names such an article. Its
`reposted_from` is the original's canonical URL. The bands live in the state store, so the
index costs no memory per page and survives between crawls.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import TYPE_CHECKING, Any

import numpy as np
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
SEED = 1
"""datasketch's default seed: it picks the permutations, so it must never change (the bands are stored)."""
LSH_THRESHOLD = 0.8
LSH_BANDS, LSH_ROWS = 9, 13
"""datasketch `MinHashLSH`'s optimum (equal false positive and negative weights) for `LSH_THRESHOLD` and
`NUM_PERM`, fixed here so that a process need not import scipy to integrate it again; a test checks it."""

_WHITESPACE = re.compile(r"\s+")


def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's `affine32` permutations for `SEED`: h -> a * h + b mod 2^32, `a` odd."""
    generator = np.random.RandomState(SEED)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


_A, _B = _permutations()


def _fmix32(values: np.ndarray) -> np.ndarray:
    """The MurmurHash3 32-bit finalizer, which datasketch applies to each input hash (uint32 wraps)."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def body_minhash(body: str) -> np.ndarray:
    """The MinHash signature of a body's character 5-grams, whitespace ignored: `NUM_PERM` uint32 values.

    The same values as datasketch 2.0's `MinHash(num_perm=128).update_batch(shingles)` (scheme `affine32`,
    the first 4 bytes of each shingle's SHA-1, little-endian), computed without a `MinHash` object: the
    digests are joined and read as one array, and the permutations are drawn once per process.
    """
    text = _WHITESPACE.sub("", body)
    shingles = {text[i:i + SHINGLE] for i in range(max(1, len(text) - SHINGLE + 1))}
    digests = b"".join([hashlib.sha1(shingle.encode("utf-8")).digest()[:4] for shingle in shingles])
    hashes = _fmix32(np.frombuffer(digests, dtype="<u4"))
    return (hashes[:, None] * _A + _B).min(axis=0)


def band_ranges(threshold: float) -> list[tuple[int, int]]:
    """The (start, end) slice of each LSH band of a signature, as datasketch's `MinHashLSH` bands it."""
    if threshold == LSH_THRESHOLD:
        bands, rows = LSH_BANDS, LSH_ROWS
    else:  # another threshold: datasketch integrates its optimum (and imports scipy, about a second)
        from datasketch import MinHashLSH

        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        bands, rows = lsh.b, lsh.r
    return [(band * rows, (band + 1) * rows) for band in range(bands)]


class Bands:
    """LSH banding of MinHash signatures tuned for a Jaccard threshold (datasketch's optimum)."""

    def __init__(self, threshold: float) -> None:
        self.ranges = band_ranges(threshold)

    def of(self, signature: np.ndarray) -> list[bytes]:
        """The band hashes of a signature: band i is the bytes of its i-th slice of hash values."""
        return [signature[start:end].tobytes() for start, end in self.ranges]


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
