"""Repost signatures: the scheme's values (pinned, and against a plain-Python reference), how well they
estimate the 5-gram Jaccard, odd inputs, and the LSH bands (datasketch's optimum)."""

from __future__ import annotations

import hashlib
import random
import re
from itertools import pairwise

import numpy as np
import pytest
from datasketch import MinHashLSH
from hypothesis import given
from hypothesis import strategies as st
from scrapy.settings import Settings

from crawler.pipelines.dedupe import (
    LSH_BANDS,
    LSH_ROWS,
    LSH_THRESHOLD,
    NUM_PERM,
    SHINGLE,
    Bands,
    _permutations,
    body_minhash,
    shingle_hashes,
)
from tests.fixture_pages import expected_articles

BODIES = [page.expected()["body"] for page in expected_articles()]
EDGES = ["", " \n\u3000", "短", "一二三四五", "一二三四五六", "ASCII text only, with spaces",
         "é" * 40 + "\U0001f600" * 3, "\ud800 lone surrogate"]
MASK64, MASK32 = (1 << 64) - 1, (1 << 32) - 1


def splitmix64(value: int) -> int:
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & MASK64
    return value ^ (value >> 31)


def reference_hashes(body: str) -> list[int]:
    """The scheme written out shingle by shingle, in plain Python integers."""
    points = [ord(char) for char in re.sub(r"\s+", "", body)]
    points += [0x1FFFFF] * (SHINGLE - len(points))
    hashes = []
    for start in range(len(points) - SHINGLE + 1):
        c = points[start:start + SHINGLE]
        lo, hi = c[0] | c[1] << 21 | c[2] << 42, c[3] | c[4] << 21
        hashes.append(splitmix64(splitmix64(lo) ^ hi) >> 32)
    return hashes


def reference_minhash(body: str) -> list[int]:
    hashes = set(reference_hashes(body))
    a, b = (column.ravel().tolist() for column in _permutations())
    return [min((a_i * h + b_i) & MASK32 for h in hashes) for a_i, b_i in zip(a, b, strict=True)]


def grams(body: str) -> set[str]:
    text = re.sub(r"\s+", "", body)
    return {text[i:i + SHINGLE] for i in range(max(1, len(text) - SHINGLE + 1))}


def test_fixture_bodies_are_many():
    assert len(BODIES) >= 30


@pytest.mark.parametrize(("body", "sha1"), [
    ("", "b0d3952e552814613e0bc2659e1d1c48e4ac869d"),
    ("短", "6e2fedfb9e475dc8f42b2c757bf302e3b2f727ae"),
    ("国家市场监管总局批复同意筹建粤港澳大湾区计量区域中心。", "c850c60deaaf784321fdbfb09b77ebb652cfa1a2"),
    ("ASCII text, with \U0001f600 and spaces", "0862695e62db50db6e439b88d8adb6d023d9cd3b"),
])
def test_signatures_are_pinned(body, sha1):
    """Stored bands are made of these values: a change needs a new SIGNATURE_SCHEME (the store then clears them)."""
    signature = body_minhash(body)
    assert (signature.dtype, signature.shape) == (np.uint32, (NUM_PERM,))
    assert hashlib.sha1(signature.tobytes()).hexdigest() == sha1


def test_shingle_hashes_equal_the_plain_reference_on_every_fixture_body():
    for body in BODIES + EDGES:
        assert shingle_hashes(body).tolist() == reference_hashes(body)


@pytest.mark.parametrize("body", [BODIES[0], BODIES[1], *EDGES])
def test_signature_equals_the_plain_reference(body):
    assert body_minhash(body).tolist() == reference_minhash(body)


def test_signature_depends_on_the_set_of_shingles_only():
    assert (body_minhash("a" * 6) == body_minhash("a" * 50)).all()
    assert (body_minhash("一二 三四五\n六") == body_minhash("一二三四五六")).all()
    assert (body_minhash("ab") != body_minhash("ab\0\0\0")).any()  # a short text is padded with no code point


def edited(body: str, rng: random.Random, edits: int) -> str:
    chars = list(body)
    for _ in range(edits):
        chars[rng.randrange(len(chars))] = chr(0x4E00 + rng.randrange(20000))
    return "".join(chars)


def test_estimated_jaccard_is_close_to_the_exact_5_gram_jaccard():
    """Deterministic (fixed bodies and edits), so one check cannot flake; the error seen is below 0.1."""
    rng = random.Random(8)
    pairs = list(pairwise(BODIES))
    for body in BODIES:
        pairs += [(body, edited(body, rng, max(1, int(len(body) * share)))) for share in (0.002, 0.01, 0.03, 0.08)]
        pairs += [(body, body[:len(body) // 2]), (body, body + BODIES[0])]
    exact = np.array([len(grams(a) & grams(b)) / len(grams(a) | grams(b)) for a, b in pairs])
    estimated = np.array([np.mean(body_minhash(a) == body_minhash(b)) for a, b in pairs])
    assert np.quantile(exact, 0.25) < 0.5 < np.quantile(exact, 0.75) < 1  # the pairs span the range
    assert np.abs(estimated - exact).max() <= 0.15


@given(st.text(max_size=8) | st.text(st.characters(min_codepoint=0x10000), max_size=12) | st.text())
def test_any_text_has_a_signature_and_equal_texts_equal_ones(text):
    signature = body_minhash(text)
    assert (signature.dtype, signature.shape) == (np.uint32, (NUM_PERM,))
    assert (body_minhash((text + "x")[:-1]) == signature).all()  # an equal, distinct string


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


def test_bands_are_the_bytes_of_each_slice_and_name_their_scheme():
    signature = body_minhash(BODIES[0])
    bands = Bands(LSH_THRESHOLD)
    assert bands.of(signature) == [signature[i * LSH_ROWS:(i + 1) * LSH_ROWS].tobytes() for i in range(LSH_BANDS)]
    assert bands.scheme.endswith(f"; {LSH_BANDS} bands of {LSH_ROWS} values")
    assert Bands(0.5).scheme != bands.scheme
