"""Which captures a replay parses, and its note about the ones no site spider owns."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.index import IndexEntry
from crawler.health.verdict import site_failed
from crawler.replay.choice import skip_reason, skipped_note
from crawler.report.table import status
from tests.fixture_pages import fixture_pages

ARTICLE = next(page.url for page in fixture_pages("article") if page.host == "www.dutenews.com")


def capture(url: str, rec_type: str = "response", status: int | None = 200,
            content_type: str | None = "text/html") -> IndexEntry:
    return IndexEntry(url=url, rec_type=rec_type, status=status, warc_date="2024-01-01T00:00:00Z", record_id="<urn:x>",
                   path=Path("a.warc.gz"), file="a.warc.gz", offset=0, content_type=content_type)


@pytest.mark.parametrize(("entry", "generic", "reason"), [
    (capture(ARTICLE), False, None),
    (capture(ARTICLE), True, None),
    (capture(ARTICLE, rec_type="revisit"), True, "revisit"),
    (capture(ARTICLE, status=404), True, "status"),
    (capture("https://www.dutenews.com/"), True, "not_article"),
    (capture("http://news.example.org/a.html"), False, "no_spider"),
    (capture("http://news.example.org/a.html"), True, None),
    (capture("http://news.example.org/a.html", content_type="application/xhtml+xml; charset=utf-8"), True, None),
    (capture("http://news.example.org/a.html", content_type=None), True, None),
    (capture("http://news.example.org/logo.png", content_type="image/png"), True, "not_html"),
    (capture("http://news.example.org/robots.txt", content_type="text/plain"), True, "not_html"),
])
def test_skip_reason(entry, generic, reason):
    assert skip_reason(entry, generic) == reason


def test_the_note_counts_captures_and_hosts():
    assert skipped_note({}) is None
    assert skipped_note({"replay/skipped/no_spider": 16, "replay/no_spider_hosts": 3}) == \
        "16 captures on 3 hosts no site spider owns: use --generic"
    assert skipped_note({"replay/skipped/no_spider": 1, "replay/no_spider_hosts": 1}) == \
        "1 capture on 1 host no site spider owns: use --generic"


def test_a_replay_with_nothing_to_parse_has_not_failed_and_says_why():
    stats = {"finish_reason": "finished", "replay/files": 1, "replay/article_captures": 0,
             "summary/note": "skipped 2 captures on 1 host no site spider owns: use --generic"}
    assert site_failed(stats) is None
    assert status({"failure": None, "note": stats["summary/note"]}) == f"ok: {stats['summary/note']}"
    assert site_failed({**stats, "replay/article_captures": 3}) == "no successful response"
    assert site_failed({"finish_reason": "finished"}) == "no successful response"  # a crawl still fails
