"""The halves of the real-page set: a split by page id, scored with the shared scorer's per-page rules."""

from __future__ import annotations

import pytest

from tests.generic.realpages import SHARED
from tests.generic.scoring import HALVES, figures, half_of, split_figures, truth


def test_half_of_splits_sorted_ids_into_two_near_equal_halves():
    ids = ["c", "a", "e", "b", "d"]
    assert [half_of(page_id, ids) for page_id in sorted(ids)] == ["first"] * 3 + ["second"] * 2


@pytest.fixture
def shared():
    if not (SHARED / "realpages" / "ground_truth.json").is_file():
        pytest.skip(f"no real pages beside the checkout ({SHARED}/realpages)")
    return SHARED


def test_labels_as_items_score_full_marks(shared):
    labels = truth(shared)
    items = {page_id: {"body": label["body"], "published_at": label["date"], "authors": label["author"].split()}
             for page_id, label in labels.items()}
    result = split_figures(items, shared)
    assert set(result) == {"all", *HALVES}
    for found in result.values():
        assert (found.body, found.date) == (1.0, 1.0)
    assert figures({}, labels, shared).items == 0
