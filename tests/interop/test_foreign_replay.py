"""Replaying WARCs we did not write, and WARCs that are damaged."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

from archive.index import ArchiveIndex, warc_files
from crawler.mirror import MirrorPage
from tests.archive.builders import member_spans, write_foreign_warc
from tests.archive.test_reader import with_member
from tests.conftest import ROOT, isolated_state
from tests.fixture_pages import expected_articles, without_capture
from tests.interop.conftest import final_stats, output_settings, read_items, replay

DUTENEWS = [page for page in expected_articles() if page.host == "www.dutenews.com"]


def served_body(page) -> bytes:  # type: ignore[no-untyped-def]
    charset = page.entry.get("charset", "utf-8")
    return MirrorPage(url=page.url, path=page.folder / page.entry["file"], charset=charset).body()


def test_a_warcio_warc_with_gzip_chunked_payloads_replays_to_the_expected_items(tmp_path):
    captures = [(page.url, served_body(page), page.entry["captured"]) for page in DUTENEWS]
    write_foreign_warc(tmp_path / "foreign.warc.gz", captures)
    result = replay([str(tmp_path / "foreign.warc.gz")], tmp_path / "out")
    items = {item["url"]: item for item in read_items(tmp_path / "out" / "items.jsonl")}
    assert set(items) == {page.url for page in DUTENEWS}
    parsers = set()
    for page in DUTENEWS:  # the parser version follows the WARC-Date: a 2019 capture gets the 2019 layout
        assert without_capture(items[page.url]) == without_capture(page.expected()), page.url
        assert items[page.url]["fetched_at"] == page.entry["captured"]
        parsers.add(items[page.url]["parser"])
    assert parsers == {"dutenews@2019", "dutenews@2023"}
    assert "replay/damaged_records" not in final_stats(result.stderr)


def damaged_copies(live_warc: Path, folder: Path) -> dict[str, str]:
    """Three damaged copies of one WARC file; returns the article URL each one loses."""
    folder.mkdir()
    data = live_warc.read_bytes()
    index = ArchiveIndex.build(warc_files([live_warc]))
    articles = [c for c in index if c.status == 200 and "/n/article/" in c.url]
    spans = dict(member_spans(data))
    lost = {}
    first, middle, last = articles[0], articles[1], articles[-1]
    corrupt = bytearray(data)
    corrupt[first.offset + 30:first.offset + 60] = b"\xff" * 30
    (folder / "corrupt.warc.gz").write_bytes(bytes(corrupt))
    lost["corrupt.warc.gz"] = first.url
    member = list(spans).index(middle.offset)
    lie = with_member(data, member, lambda m: m.replace(b"Content-Length: ", b"Content-Length: 1", 1))
    (folder / "lying.warc.gz").write_bytes(lie)
    lost["lying.warc.gz"] = middle.url
    (folder / "truncated.warc.gz").write_bytes(data[:last.offset + spans[last.offset] // 2])
    lost["truncated.warc.gz"] = last.url
    return lost


def test_damaged_records_are_skipped_with_a_log_line_and_a_stat(live_crawl, tmp_path):
    live_warc = next((live_crawl / "warc").glob("nqi-dutenews-*.warc.gz"))
    lost = damaged_copies(live_warc, tmp_path / "damaged")
    result = replay([str(tmp_path / "damaged")], tmp_path / "out")
    live = {item["url"] for item in read_items(live_crawl / "items.jsonl") if "dutenews" in item["url"]}
    stats = final_stats(result.stderr)
    assert stats["replay/damaged_records"] == 3
    assert stats["replay/article_captures"] == 3 * len(live) - 3  # every other article of every copy
    assert {item["url"] for item in read_items(tmp_path / "out" / "items.jsonl")} == live
    for name in lost:
        assert f"Skipping a damaged record in {tmp_path / 'damaged' / name} at offset" in result.stderr


def run_on_a_terminal(args: list[str]) -> str:
    """Run `scrapy ARGS` with stderr on a pseudo-terminal; returns what it wrote there."""
    main, side = pty.openpty()
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a terminal 100 columns wide
    command = [sys.executable, "-m", "scrapy", *args, *isolated_state(args)]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=side)
    os.close(side)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bars_on_a_terminal(live_crawl, tmp_path):
    args = ["replay", str(live_crawl / "warc"), "-O", str(tmp_path / "tty.jsonl"), *output_settings(tmp_path)]
    on_terminal = run_on_a_terminal(args)
    assert "indexing WARCs" in on_terminal and "replaying" in on_terminal and "page/s" in on_terminal
