"""Repost signatures: the same values and bands as datasketch, so bands already in a state store keep matching."""

from __future__ import annotations

import re

import pytest
from datasketch import MinHash, MinHashLSH
from scrapy.settings import Settings

from crawler.pipelines.dedupe import LSH_BANDS, LSH_ROWS, LSH_THRESHOLD, NUM_PERM, SHINGLE, Bands, body_minhash
from tests.fixture_pages import expected_articles

BODIES = [page.expected()["body"] for page in expected_articles()]
EDGES = ["", " \n\u3000", "短", "一二三四五", "一二三四五六", "ASCII text only, with spaces", "é" * 40 + "\U0001f600" * 3]


def datasketch_minhash(body: str) -> MinHash:
    """The signature as the pipeline computed it with datasketch before (kept as the reference)."""
    text = re.sub(r"\s+", "", body)
    shingles = {text[i:i + SHINGLE].encode("utf-8") for i in range(max(1, len(text) - SHINGLE + 1))}
    minhash = MinHash(num_perm=NUM_PERM)
    minhash.update_batch(list(shingles))
    return minhash


def test_fixture_bodies_are_many():
    assert len(BODIES) >= 30


@pytest.mark.parametrize("body", BODIES + EDGES)
def test_signature_equals_datasketch_minhash(body):
    reference = datasketch_minhash(body).hashvalues
    signature = body_minhash(body)
    assert signature.dtype == reference.dtype
    assert signature.tobytes() == reference.tobytes()


def test_lsh_parameters_are_datasketch_optimum():
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert (lsh.b, lsh.r) == (LSH_BANDS, LSH_ROWS)
    assert Bands(LSH_THRESHOLD).ranges == lsh.hashranges


def test_default_threshold_uses_the_fixed_parameters():
    settings = Settings()
    settings.setmodule("crawler.settings")
    assert settings.getfloat("DEDUPE_REPOST_THRESHOLD") == LSH_THRESHOLD


def test_another_threshold_is_banded_as_datasketch_bands_it():
    assert Bands(0.5).ranges == MinHashLSH(threshold=0.5, num_perm=NUM_PERM).hashranges


def test_bands_are_the_bytes_datasketch_hashes_band_by_band():
    body = BODIES[0]
    reference = datasketch_minhash(body).hashvalues
    assert Bands(LSH_THRESHOLD).of(body_minhash(body)) == [
        reference[start:end].tobytes() for start, end in MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM).hashranges
    ]
