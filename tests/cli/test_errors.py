"""Ordinary mistakes give one clear line on stderr (the problem and the fix), the right exit code, and no traceback.

Each case runs the real command in a subprocess; none of them reaches the network or starts a crawl.
"""

from __future__ import annotations

import socket
import zipfile

import pytest

from tests.conftest import run_scrapy


def error_line(result, command: str) -> str:
    """The one `scrapy <command>: error: ...` line of a run, after checking there is exactly one and no traceback."""
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = [line for line in result.stderr.splitlines() if line.startswith(f"scrapy {command}: error: ")]
    assert len(lines) == 1, result.stderr[-3000:]
    return lines[0]


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_date_that_is_not_iso_is_a_usage_error(tmp_path):
    result = run_scrapy(["crawl", "dutenews", "-a", "since=yesterday", "-s", f"WARC_DIR={tmp_path}"])
    assert result.returncode == 2
    line = error_line(result, "crawl")
    assert "-a since must be a date as YYYY-MM-DD" in line and "'yesterday'" in line
    assert not any(tmp_path.iterdir())


def test_max_pages_that_is_not_a_number_is_a_usage_error():
    result = run_scrapy(["crawl", "dutenews", "-a", "max_pages=abc"])
    assert result.returncode == 2
    assert "-a max_pages must be a whole number from 1 up" in error_line(result, "crawl")


def test_an_unknown_spider_argument_is_refused_with_the_accepted_names():
    result = run_scrapy(["crawl", "dutenews", "-a", "maxpages=1"])
    assert result.returncode == 2
    line = error_line(result, "crawl")
    assert "unknown spider argument -a maxpages" in line
    assert "-a since=YYYY-MM-DD" in line and "-a max_pages=N" in line


def test_page_without_urls_says_how_to_give_them():
    result = run_scrapy(["crawl", "page"])
    assert result.returncode == 2
    assert "scrapy crawl page -a urls=URL" in error_line(result, "crawl")


def test_page_with_something_that_is_not_a_url():
    result = run_scrapy(["crawl", "page", "-a", "urls=not-a-url"])
    assert result.returncode == 2
    line = error_line(result, "crawl")
    assert "'not-a-url' is not a URL" in line and "https://" in line


def test_an_unknown_spider_lists_the_spiders():
    result = run_scrapy(["crawl", "nosuch"])
    assert result.returncode == 2
    line = error_line(result, "crawl")
    assert "no spider named 'nosuch'" in line and "dutenews" in line and "page" in line


def test_a_state_uri_of_no_known_backend_is_a_usage_error():
    result = run_scrapy(["crawl", "dutenews", "-s", "STATE_URI=postgres://db/state"])
    assert result.returncode == 2
    line = error_line(result, "crawl")
    assert "STATE_URI must be sqlite:///PATH or redis://HOST:PORT/DB" in line and "postgres://db/state" in line


def test_an_unreachable_redis_names_it_and_exits_1():
    uri = f"redis://127.0.0.1:{closed_port()}/0"
    result = run_scrapy(["crawl", "dutenews", "-s", f"STATE_URI={uri}"])
    assert result.returncode == 1
    line = error_line(result, "crawl")
    assert f"cannot reach the Redis state store {uri}" in line and "start Redis" in line


def test_crawlall_with_a_bad_argument_gives_one_line_not_one_per_site():
    result = run_scrapy(["crawlall", "-a", "since=yesterday"])
    assert result.returncode == 2
    assert "-a since must be a date as YYYY-MM-DD" in error_line(result, "crawlall")
    assert "Crawler.stats" not in result.stderr


def test_warc_index_of_a_file_that_is_no_warc(tmp_path):
    garbage = tmp_path / "notes.warc.gz"
    garbage.write_text("these are my notes, not an archive\n")
    result = run_scrapy(["warc", "index", str(garbage), "-o", str(tmp_path / "index.cdxj")])
    assert result.returncode == 1
    line = error_line(result, "warc")
    assert f"{garbage} is not a WARC file" in line and "give WARC files" in line
    assert not (tmp_path / "index.cdxj").exists()


def test_replay_of_a_file_that_is_no_warc(tmp_path):
    garbage = tmp_path / "photo.warc"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    result = run_scrapy(["replay", str(garbage), "-O", str(tmp_path / "items.jsonl")])
    assert result.returncode == 1
    assert f"{garbage} is not a WARC file" in error_line(result, "replay")
    assert "damaged record" not in result.stderr


@pytest.mark.parametrize("entry", ["../escape.warc.gz", "/etc/escape.warc.gz", "archive/../../escape.warc.gz"])
def test_replay_refuses_a_wacz_whose_entry_escapes_it(tmp_path, entry):
    package = tmp_path / "evil.wacz"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("archive/good.warc", b"")
        archive.writestr(entry, b"WARC/1.1\r\n")
    result = run_scrapy(["replay", str(package), "-O", str(tmp_path / "items.jsonl")])
    assert result.returncode == 1
    line = error_line(result, "replay")
    assert f"{package}: its entry {entry!r} would escape the package" in line
    assert not (tmp_path.parent / "escape.warc.gz").exists()


def test_a_usage_error_of_replay_is_one_line_and_exit_2():
    result = run_scrapy(["replay"])
    assert result.returncode == 2
    assert "name at least one WARC file or folder" in error_line(result, "replay")


def test_a_name_a_feed_uri_uses_is_a_spider_argument(tmp_path):
    """Scrapy's feed URI parameters come from spider attributes: `-a batch=x` with `-O %(batch)s.jsonl` is used."""
    result = run_scrapy(["crawl", "page", "-a", "urls=http://127.0.0.1:9/x", "-a", "batch=b7",
                         "-O", f"{tmp_path}/%(batch)s.jsonl", "-s", f"WARC_DIR={tmp_path / 'warc'}",
                         "-s", f"REJECTS_PATH={tmp_path / 'rejects.jsonl'}", "-s", f"REPORT_DIR={tmp_path / 'reports'}",
                         "-s", "ALLOW_PRIVATE_NETWORKS=True", "-s", "RETRY_ENABLED=False",
                         "-s", "ROBOTSTXT_OBEY=False"])
    assert "unknown spider argument" not in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "b7.jsonl").exists()
    assert run_scrapy(["crawl", "page", "-a", "urls=http://127.0.0.1:9/x", "-a", "batch=b7"]).returncode == 2
