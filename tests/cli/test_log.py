"""The INFO log says what a run did: Scrapy's and Spidermon's dumps at DEBUG, a drop logged once, no Scrapy warning."""

from __future__ import annotations

import re

from tests.cli.conftest import outputs
from tests.conftest import run_scrapy

DUMPS = ("Overridden settings:", "Dumping Scrapy stats:", "Enabled extensions:", "Enabled item pipelines:",
         "Enabled addons:", "Versions:")
SCRAPY_WARNING = re.compile(r"\[scrapy[\w.]*\] WARNING")


def info_lines(log: str) -> list[str]:
    """The log lines at INFO and above (continuation lines of a multi-line record included)."""
    return [line for line in log.splitlines() if " DEBUG: " not in line]


def test_a_default_crawl_logs_no_dumps_and_one_health_line(crawled):
    _, result = crawled
    assert result.returncode == 0, result.stderr[-3000:]
    for dump in DUMPS:
        assert dump not in result.stderr, dump
    assert "[Spidermon]" not in result.stderr
    health = [line for line in result.stderr.splitlines() if "Layout-drift monitors" in line]
    assert len(health) == 1 and health[0].endswith("INFO: Layout-drift monitors on dutenews: all 2 passed"), health
    assert not SCRAPY_WARNING.search(result.stderr), result.stderr
    assert len(result.stderr.splitlines()) < 60, result.stderr


def test_the_dumps_are_there_at_debug(mirror, tmp_path):
    result = run_scrapy(["crawl", "page", "-a", "urls=https://www.dutenews.com/n/article/7957291",
                         "-O", str(tmp_path / "items.jsonl"), *outputs(tmp_path), "-L", "DEBUG",
                         "-s", "LOG_DUMPS_LEVEL=DEBUG"], mirror_url=mirror.url)
    assert result.returncode == 0, result.stderr[-3000:]
    for dump in ("Overridden settings:", "Dumping Scrapy stats:", "Enabled extensions:"):
        assert re.search(rf"\] DEBUG: {dump}", result.stderr), dump


def test_a_clean_replay_gets_no_warning_from_scrapy(crawled, tmp_path):
    out, _ = crawled
    result = run_scrapy(["replay", str(out / "warc"), "-O", str(tmp_path / "items.jsonl"), *outputs(tmp_path),
                         "-s", "LOG_DUMPS_LEVEL=DEBUG"])
    assert result.returncode == 0, result.stderr[-3000:]
    assert not SCRAPY_WARNING.search(result.stderr), result.stderr
    assert "Referer" not in result.stderr


def test_an_unchanged_article_is_logged_once_without_its_repr(crawled, tmp_path):
    """Replayed against the crawl's own state store, every article is unchanged and dropped."""
    out, _ = crawled
    result = run_scrapy(["diff", str(out / "warc"), "--against", str(out / "items.jsonl"), *outputs(tmp_path),
                         "-s", f"STATE_URI=sqlite:///{out / 'state.sqlite3'}", "-s", "LOG_DUMPS_LEVEL=DEBUG"])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    drops = [line for line in result.stderr.splitlines() if "unchanged" in line and "Dropped" in line]
    urls = [re.search(r"https?://\S+", line).group(0) for line in drops]
    assert drops and len(urls) == len(set(urls)), drops
    assert "Dropped: " not in result.stderr
    assert "ArticleDraft(" not in result.stderr and "Article(" not in result.stderr
