"""Marks reposts of already-known articles, with the index kept in the state store.

A repost is a page whose body is near-identical (MinHash over character 5-grams, Jaccard at
least `DEDUPE_REPOST_THRESHOLD`, found with LSH bands) to an article already exported at another
canonical URL, in this crawl or an earlier one, or whose `原文链接` names such an article. Its
`reposted_from` is the original's canonical URL. The bands live in the state store, so the
index costs no memory per page and survives between crawls. The store also records the
signature scheme that made its bands: bands of another scheme never match, so they are cleared.
With `STATE_READ_ONLY` (the `page` spider) the index is searched but neither cleared nor added to.
"""

from __future__ import annotations

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
"""Picks the permutations: part of the signature scheme."""
SIGNATURE_SCHEME = "code-point 5-grams packed, splitmix64 twice, upper 32 bits; affine32 seed 1; 128 permutations"
"""Names how `body_minhash` computes a signature; change it with any change of the values, so that a
state store's bands of the old scheme are cleared instead of silently never matching."""
SCHEME_META = "repost_signature_scheme"
"""The state store meta entry that records the scheme (and banding) of the stored bands."""
LSH_THRESHOLD = 0.8
LSH_BANDS, LSH_ROWS = 9, 13
"""datasketch `MinHashLSH`'s optimum (equal false positive and negative weights) for `LSH_THRESHOLD` and
`NUM_PERM`, fixed here so that a process need not import scipy to integrate it again; a test checks it."""

_WHITESPACE = re.compile(r"\s+")
_PAD = 0x1FFFFF
"""Fills a text shorter than `SHINGLE` to one shingle: 21 bits like a code point, but none is above 0x10FFFF."""
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """Affine permutations for `SEED` (datasketch's `affine32` draw): h -> a * h + b mod 2^32, `a` odd.

    Shaped as a column each, so `a * h + b` of a row of hashes is one (NUM_PERM, n) array."""
    generator = np.random.RandomState(SEED)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a[:, None], b[:, None]


_A, _B = _permutations()


def _splitmix64(values: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer, a bijection of uint64 (multiplications wrap)."""
    values = values ^ (values >> np.uint64(30))
    values = values * _MIX1
    values = values ^ (values >> np.uint64(27))
    values = values * _MIX2
    return values ^ (values >> np.uint64(31))


def shingle_hashes(body: str) -> np.ndarray:
    """A uint32 hash of each character 5-gram of the body, whitespace ignored (repeats kept).

    The 5 code points (21 bits each) are packed without loss into two words, `lo` (3) and `hi` (2),
    hashed as splitmix64(splitmix64(lo) ^ hi), of which the upper 32 bits are kept. A text shorter than
    5 code points is one shingle, padded with `_PAD`, so it never equals a 5-gram of real characters."""
    text = _WHITESPACE.sub("", body).encode("utf-32-le", "surrogatepass")
    points = np.frombuffer(text, dtype="<u4").astype(np.uint64)
    if len(points) < SHINGLE:
        points = np.concatenate([points, np.full(SHINGLE - len(points), _PAD, dtype=np.uint64)])
    count = len(points) - SHINGLE + 1
    lo = points[:count] | (points[1:count + 1] << np.uint64(21)) | (points[2:count + 2] << np.uint64(42))
    hi = points[3:count + 3] | (points[4:] << np.uint64(21))
    return (_splitmix64(_splitmix64(lo) ^ hi) >> np.uint64(32)).astype(np.uint32)


def body_minhash(body: str) -> np.ndarray:
    """The MinHash signature of the set of a body's character 5-grams, whitespace ignored: `NUM_PERM` uint32.

    Each value is the least `a * h + b mod 2^32` over the shingle hashes `h`. A repeated shingle cannot
    change a minimum, so the hashes are not made unique first (`np.unique` would cost more than it saves)."""
    products = _A * shingle_hashes(body)
    products += _B
    return products.min(axis=1)


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
    """LSH banding of MinHash signatures tuned for a Jaccard threshold (datasketch's optimum).

    `scheme` names the signature scheme and the banding together: what a store's bands must have been made by."""

    def __init__(self, threshold: float) -> None:
        self.ranges = band_ranges(threshold)
        self.scheme = f"{SIGNATURE_SCHEME}; {len(self.ranges)} bands of {self.ranges[0][1]} values"

    def of(self, signature: np.ndarray) -> list[bytes]:
        """The band hashes of a signature: band i is the bytes of its i-th slice of hash values."""
        return [signature[start:end].tobytes() for start, end in self.ranges]


class DedupePipeline:
    """Sets `reposted_from` on reposts and indexes every article's signature in the state store."""

    def __init__(self, store: StateStore, stats: StatsCollector, threshold: float, read_only: bool = False) -> None:
        self.store = store
        self.stats = stats
        self.bands = Bands(threshold)
        self.read_only = read_only
        if read_only:
            self.index_usable = store.get_meta(SCHEME_META) == self.bands.scheme
        else:
            adopt_index(store, stats, self.bands.scheme)
            self.index_usable = True

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        """Wire the pipeline to the crawl's state store."""
        state = crawler.get_extension(StateExtension)
        if state is None:
            raise NotConfigured
        return cls(state.store, crawler.stats, crawler.settings.getfloat("DEDUPE_REPOST_THRESHOLD"), state.read_only)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        """Mark reposts, remember the article's signature."""
        if not isinstance(item, Article):
            return item
        bands = self.bands.of(body_minhash(item.body))
        item.reposted_from = self._original_of(item, bands)
        if item.reposted_from:
            self.stats.inc_value("dedupe/reposts")
            logger.info("%s reposts %s", item.canonical_url, item.reposted_from)
        if not self.read_only:
            self.store.add_bands(item.canonical_url, bands)
        return item

    def _original_of(self, item: Article, bands: list[bytes]) -> str | None:
        if item.original_url:
            named = canonicalize_url(item.original_url)
            page = self.store.page(named)
            if page is not None and page.first_seen is not None:
                return named
        if not self.index_usable:
            return None
        matches = sorted(key for key in self.store.band_matches(bands) if key != item.canonical_url)
        return matches[0] if matches else None


def adopt_index(store: StateStore, stats: StatsCollector, scheme: str) -> None:
    """Make the store's repost index one of `scheme`: bands another (or an unrecorded) scheme made are
    cleared, with a warning and `dedupe/index_cleared`, as they could never match; then `scheme` is recorded."""
    recorded = store.get_meta(SCHEME_META)
    if recorded == scheme:
        return
    if store.clear_bands():
        logger.warning(
            "The repost index of earlier crawls was cleared: its signatures were made by another scheme (%s; now"
            " %s). Reposts of articles from those crawls are not recognised until those articles are crawled again.",
            recorded or "unrecorded: datasketch SHA-1 5-grams", scheme,
        )
        stats.inc_value("dedupe/index_cleared")
    store.set_meta(SCHEME_META, scheme)
