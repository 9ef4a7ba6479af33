"""Every command exits 0 when it did its job, 1 when it failed, 2 on a usage error (75: a held lock, tests/scheduling).

Each case runs the real command in a subprocess, over loopback: the fixture mirror for runs that
work, a closed port or a server that never answers for runs that fail.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

from tests.cli.conftest import outputs
from tests.conftest import ROOT, isolated_state, run_scrapy

ARTICLE = "https://www.dutenews.com/n/article/7957291"


def closed_port_url() -> str:
    """A loopback URL nothing listens on: every request to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def no_network(*extra: str) -> list[str]:
    """Settings that send every request to a closed loopback port, retrying nothing."""
    return ["-s", f"MIRROR_URL={closed_port_url()}", "-s", "ALLOW_PRIVATE_NETWORKS=True", "-s", "RETRY_ENABLED=False",
            "-s", "DOWNLOAD_DELAY=0", *extra]


def test_crawl_0_when_it_did_its_job(crawled):
    out, result = crawled
    assert result.returncode == 0, result.stderr[-3000:]
    assert (out / "items.jsonl").read_text(encoding="utf-8").strip()


def test_crawl_1_without_a_successful_response(tmp_path):
    result = run_scrapy(["crawl", "dutenews", "-O", str(tmp_path / "items.jsonl"), *outputs(tmp_path), *no_network()])
    assert result.returncode == 1
    assert "scrapy crawl: FAILED: dutenews: no successful response" in result.stderr
    assert "Traceback" not in result.stderr


def test_crawl_2_on_a_usage_error():
    assert run_scrapy(["crawl", "dutenews", "-a", "max_pages=0"]).returncode == 2


class SilentServer:
    """A loopback server that accepts connections and never answers."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.socket.getsockname()[1]}"

    def _accept(self) -> None:
        while True:
            try:
                self.held.append(self.socket.accept()[0])
            except OSError:
                return

    def close(self) -> None:
        self.socket.close()
        for connection in self.held:
            connection.close()


def test_crawl_1_when_interrupted_with_ctrl_c(tmp_path):
    server = SilentServer()
    command = [sys.executable, "-m", "scrapy", "crawl", "dutenews", "-O", str(tmp_path / "items.jsonl"),
               *outputs(tmp_path), *isolated_state([]), "-s", f"MIRROR_URL={server.url}",
               "-s", "ALLOW_PRIVATE_NETWORKS=True", "-s", "DOWNLOAD_TIMEOUT=10"]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not server.held and time.monotonic() < deadline:
            time.sleep(0.1)
        assert server.held, "the crawl never connected"
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=120)  # the graceful stop waits for the request in flight
    finally:
        process.kill()
        server.close()
    assert process.returncode == 1, stderr[-3000:]
    assert "scrapy crawl: FAILED: dutenews: finished with 'shutdown'" in stderr


def test_page_0_1_and_2(tmp_path, mirror):
    good = run_scrapy(["crawl", "page", "-a", f"urls={ARTICLE}", "-O", str(tmp_path / "good.jsonl"),
                       *outputs(tmp_path)], mirror_url=mirror.url)
    assert good.returncode == 0, good.stderr[-3000:]
    failed = run_scrapy(["crawl", "page", "-a", f"urls={ARTICLE}", "-O", str(tmp_path / "failed.jsonl"),
                         *outputs(tmp_path), *no_network()])
    assert failed.returncode == 1 and "scrapy crawl: FAILED: page: no successful response" in failed.stderr
    assert run_scrapy(["crawl", "page", "-a", "urls=www.dutenews.com"]).returncode == 2


def test_crawlall_1_without_a_successful_response(tmp_path):
    result = run_scrapy(["crawlall", "-O", str(tmp_path / "items.jsonl"), *outputs(tmp_path), *no_network()])
    assert result.returncode == 1
    verdict = [line for line in result.stdout.splitlines() if line.startswith("crawlall: FAILED: ")]
    assert len(verdict) == 1 and "dutenews: no successful response" in verdict[0]
    assert "Traceback" not in result.stderr


def test_crawlall_2_on_a_usage_error():
    assert run_scrapy(["crawlall", "-a", "maxpages=1"]).returncode == 2


def test_replay_0_1_and_2(crawled, tmp_path):
    out, _ = crawled
    good = run_scrapy(["replay", str(out / "warc"), "-O", str(tmp_path / "items.jsonl"), *outputs(tmp_path)])
    assert good.returncode == 0, good.stderr[-3000:]
    assert len((tmp_path / "items.jsonl").read_text(encoding="utf-8").splitlines()) == \
        len((out / "items.jsonl").read_text(encoding="utf-8").splitlines())
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    failed = run_scrapy(["replay", str(empty), "-O", str(tmp_path / "none.jsonl"), *outputs(tmp_path)])
    assert failed.returncode == 1 and "scrapy replay: FAILED: no HTTP capture could be read" in failed.stderr
    assert run_scrapy(["replay", str(out / "warc"), "-a", "since=2024-01-01"]).returncode == 2


def test_diff_0_1_and_2(crawled, tmp_path):
    out, _ = crawled
    same = run_scrapy(["diff", str(out / "warc"), "--against", str(out / "items.jsonl"), "--exit-code",
                       *outputs(tmp_path)])
    assert same.returncode == 0, same.stderr[-3000:]
    changed = tmp_path / "changed.jsonl"
    lines = (out / "items.jsonl").read_text(encoding="utf-8").splitlines()
    changed.write_text("\n".join(line.replace('"title": "', '"title": "x', 1) for line in lines) + "\n", "utf-8")
    differs = run_scrapy(["diff", str(out / "items.jsonl"), "--against", str(changed), "--exit-code"])
    assert differs.returncode == 1, differs.stderr[-3000:]
    assert run_scrapy(["diff", str(out / "warc")]).returncode == 2


def test_warc_index_and_pack_0_1_and_2(crawled, tmp_path):
    out, _ = crawled
    index = run_scrapy(["warc", "index", str(out / "warc"), "-o", str(tmp_path / "index.cdxj")])
    assert index.returncode == 0, index.stderr[-3000:]
    pack = run_scrapy(["warc", "pack", str(out / "warc"), "-o", str(tmp_path / "crawl.wacz")])
    assert pack.returncode == 0, pack.stderr[-3000:]
    garbage = tmp_path / "garbage.warc"
    garbage.write_text("no archive here")
    assert run_scrapy(["warc", "index", str(garbage)]).returncode == 1
    assert run_scrapy(["warc", "pack", str(out / "warc")]).returncode == 2
    assert run_scrapy(["warc", "index"]).returncode == 2
