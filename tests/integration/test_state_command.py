"""`scrapy state stats|show|forget` on a real SQLite file and a real redis-server (issue 14, point 9)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import run_scrapy
from tests.distributed.redis_server import needs_redis, redis_server
from tests.integration.test_outputs import lines


@contextmanager
def sqlite_uri(folder: Path) -> Iterator[str]:
    yield f"sqlite:///{folder / 'state.sqlite3'}"


BACKENDS = {"sqlite": sqlite_uri, "redis": redis_server}


def options(root: Path, uri: str) -> list[str]:
    return ["-s", f"STATE_URI={uri}", "-s", f"RUNS_DIR={root / 'runs'}", "-s", f"REPORT_DIR={root / 'reports'}",
            "-s", f"WARC_DIR={root / 'warc'}", "-s", f"LOCK_DIR={root / 'locks'}"]


def crawl(root: Path, uri: str, mirror_url: str, name: str) -> list[dict]:
    """Crawl dutenews into root/<name>.jsonl; its items."""
    result = run_scrapy(["crawl", "dutenews", "-O", str(root / f"{name}.jsonl"), *options(root, uri)],
                        mirror_url=mirror_url)
    assert result.returncode == 0, result.stderr[-3000:]
    return lines(root / f"{name}.jsonl")


def state(root: Path, uri: str, *args: str):  # type: ignore[no-untyped-def]
    return run_scrapy(["state", *args, *options(root, uri)])


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("redis", marks=needs_redis)])
def test_stats_show_and_forget(backend, tmp_path, mirror):
    with BACKENDS[backend](tmp_path) as uri:
        first = crawl(tmp_path, uri, mirror.url, "first")
        assert len(first) == 5

        stats = state(tmp_path, uri, "stats")
        assert stats.returncode == 0, stats.stderr[-3000:]
        rows = {line.split()[0]: line.split() for line in stats.stdout.splitlines()[2:]}
        assert rows["dutenews"][1:3] == ["5", "5"]  # known, exported
        assert rows["dutenews"][3].startswith("20") and rows["dutenews"][4].startswith("20")  # last fetched, exported
        assert rows["dutenews"][-1] == "(finished)"
        assert rows["qianzhan"][1:3] == ["0", "0"]

        url = first[0]["url"]
        show = state(tmp_path, uri, "show", url)
        assert show.returncode == 0, show.stderr[-3000:]
        shown = json.loads(show.stdout)
        expected = (first[0]["canonical_url"], 1, first[0]["body_sha1"])
        assert (shown["url"], shown["version"], shown["body_sha1"]) == expected
        missing = state(tmp_path, uri, "show", "https://www.dutenews.com/n/article/0")
        assert missing.returncode == 1 and "is not in the state store" in missing.stdout

        assert crawl(tmp_path, uri, mirror.url, "unchanged") == []
        forget_one = state(tmp_path, uri, "forget", url)
        assert forget_one.returncode == 0 and "Forgot" in forget_one.stdout
        again = crawl(tmp_path, uri, mirror.url, "after_url")
        assert [(item["url"], item["version"]) for item in again] == [(url, 1)]

        forget_site = state(tmp_path, uri, "forget", "dutenews")
        assert forget_site.returncode == 0 and "Forgot 5 articles of dutenews" in forget_site.stdout
        assert state(tmp_path, uri, "stats").stdout.count("dutenews") == 1
        assert [item["version"] for item in crawl(tmp_path, uri, mirror.url, "after_site")] == [1] * 5


def test_usage_errors(tmp_path):
    uri = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    for args in ([], ["nosuch"], ["show"], ["forget"], ["stats", "x"], ["forget", "nosuchsite"]):
        result = state(tmp_path, uri, *args)
        assert result.returncode == 2, (args, result.stderr[-2000:])


def test_an_unreachable_store_is_one_line_without_traceback(tmp_path):
    from tests.distributed.redis_server import free_port

    result = state(tmp_path, f"redis://127.0.0.1:{free_port()}/0", "stats")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "scrapy state: error:" in result.stderr
