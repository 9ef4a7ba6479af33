"""Output paths from spider arguments and settings stay in their folders."""

from __future__ import annotations

import pytest

from crawler.paths import UnsafePath, feed_uri_params, file_component, inside
from tests.conftest import run_scrapy


@pytest.mark.parametrize("value", ["../escaped", "..", ".", "a/b", "a\\b", "", "x\x00y", "line\nbreak"])
def test_unsafe_file_components_are_refused(value):
    with pytest.raises(UnsafePath, match="WARC_PREFIX"):
        file_component(value, "WARC_PREFIX")


@pytest.mark.parametrize("value", ["nqi", "nqi-2024", "站点", "a.b", "..hidden"])
def test_plain_file_components_pass(value):
    assert file_component(value, "WARC_PREFIX") == value


def test_inside_refuses_paths_that_resolve_outside(tmp_path):
    assert inside(tmp_path, "a.warc.gz", "file") == tmp_path.resolve() / "a.warc.gz"
    with pytest.raises(UnsafePath, match="leads outside"):
        inside(tmp_path, "../a.warc.gz", "file")
    with pytest.raises(UnsafePath):
        inside(tmp_path, "/etc/passwd", "file")


def test_feed_uri_params_encode_what_would_escape():
    params = feed_uri_params({"name": "page", "tag": "../../etc/cron.d/x", "batch_id": 1}, None)
    assert params == {"name": "page", "tag": "..%2F..%2Fetc%2Fcron.d%2Fx", "batch_id": 1}


def test_crawl_with_an_escaping_warc_prefix_does_not_start(tmp_path):
    warc_dir = tmp_path / "warc" / "inner"
    result = run_scrapy(["crawl", "page", "-a", "urls=http://127.0.0.1:9/x", "-s", "WARC_PREFIX=../escaped",
                         "-s", f"WARC_DIR={warc_dir}", "-s", f"REJECTS_PATH={tmp_path / 'rejects.jsonl'}",
                         "-s", f"REPORT_DIR={tmp_path / 'reports'}", "-O", str(tmp_path / "items.jsonl")])
    assert result.returncode == 2
    assert "CRITICAL: WARC_PREFIX '../escaped' cannot be used in a file name" in result.stderr
    assert "scrapy crawl: error: WARC_PREFIX '../escaped' cannot be used in a file name" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.rglob("*.warc.gz*"))


def test_a_spider_argument_in_a_feed_uri_stays_in_the_folder(tmp_path):
    feeds = tmp_path / "feeds"
    result = run_scrapy(["crawl", "page", "-a", "urls=http://127.0.0.1:9/x", "-a", "tag=../../escaped",
                         "-O", f"{feeds}/%(tag)s.jsonl", "-s", f"WARC_DIR={tmp_path / 'warc'}",
                         "-s", f"REJECTS_PATH={tmp_path / 'rejects.jsonl'}", "-s", f"REPORT_DIR={tmp_path / 'reports'}",
                         "-s", "ALLOW_PRIVATE_NETWORKS=True", "-s", "RETRY_ENABLED=False",
                         "-s", "ROBOTSTXT_OBEY=False"])
    assert result.returncode == 1, result.stderr[-2000:]  # nothing listens on port 9: no successful response
    assert "FAILED: page: no successful response" in result.stderr and "Traceback" not in result.stderr
    assert [path.name for path in feeds.iterdir()] == ["..%2F..%2Fescaped.jsonl"]
    assert not (tmp_path.parent / "escaped.jsonl").exists()
