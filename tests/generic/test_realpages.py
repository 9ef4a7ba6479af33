"""The `page` spider measured on the hand-labelled real pages of ../shared/realpages (tests/generic/realpages.py).

The figures are measurements of extraction quality (the shared scorer's), not of timing: they must
beat both anchors, trafilatura alone (body F1 0.82-0.85, date 0.615, author 0.037) and GNE (body
0.619, date 0.769, author 0.222).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.generic.realpages import ROOT, SHARED

BEST_ANCHOR = {"body": 0.85, "date": 0.769, "author": 0.222}
"""The better anchor on each figure (the top of trafilatura's body range, GNE's date and author)."""


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict:
    if not (SHARED / "realpages" / "original").is_dir() or not (SHARED / "tools" / "score_realpages.py").is_file():
        pytest.skip(f"no real pages beside the checkout ({SHARED}/realpages and {SHARED}/tools/score_realpages.py)")
    out = tmp_path_factory.mktemp("realpages")
    done = subprocess.run([sys.executable, "-m", "tests.generic.realpages", "--json", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("figure", sorted(BEST_ANCHOR))
def test_figure_beats_both_anchors(figures, figure):
    assert figures["pages"] == 35
    assert figures[figure] > BEST_ANCHOR[figure], figures



def test_halves_split_the_pages_by_id(figures):
    halves = figures["halves"]
    assert halves["first"]["pages"] + halves["second"]["pages"] == figures["pages"]
    assert abs(halves["first"]["pages"] - halves["second"]["pages"]) <= 1
