"""A full WARC queue pauses the crawl without blocking the reactor thread (see tests/interop/warc_pause.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT
from tests.interop.warc_pause import QUEUE_SIZE, RESPONSES


def test_responses_wait_for_room_on_a_deferred_while_the_reactor_runs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tests.interop.warc_pause", str(tmp_path / "warc")], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["error"] is None, seen["error"]
    # While the writer was stopped: the reactor kept ticking (a blocked reactor thread ticks no more),
    # QUEUE_SIZE responses were queued for the writer and the rest waited for room; none went on unwritten.
    assert seen["ticks_while_stopped"] >= 10
    assert seen["tokens"] == 0 and seen["waiting"] == RESPONSES - QUEUE_SIZE
    assert seen["done_while_stopped"] == 0
    # Once it went on: every response passed on, each with its record, in the order they arrived.
    assert seen["passed_on"] == RESPONSES
    assert seen["offsets"] == sorted(seen["offsets"]) and len(set(seen["offsets"])) == RESPONSES
