"""The project deploys to a real scrapyd on 127.0.0.1: an egg built with setuptools goes up through
addversion.json, a crawl of the mirror is scheduled through schedule.json and polled through
listjobs.json until it finishes, and its items are the site's articles."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT
from tests.distributed.redis_server import free_port
from tests.fixture_pages import fixture_pages

PROJECT = "nqi_crawler"
SCRAPYD = Path(sys.executable).parent / "scrapyd"
needs_scrapyd = pytest.mark.skipif(not SCRAPYD.exists(), reason="scrapyd not installed (pip install -e '.[test]')")


def build_egg(work: Path) -> Path:
    """The project as an egg, built with setuptools from a copy of the sources (the checkout stays clean)."""
    source = work / "source"
    for name in ("crawler", "spiders", "archive"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "scrapy.cfg"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "bdist_egg",
                    "--dist-dir", str(work / "dist")], cwd=source, check=True, capture_output=True, timeout=120)
    (egg,) = (work / "dist").glob("*.egg")
    return egg


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory):
    """scrapyd in a temporary folder on a free loopback port; yields (base URL, folder)."""
    folder = tmp_path_factory.mktemp("scrapyd")
    port = free_port()
    (folder / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {folder / 'eggs'}\n"
        f"logs_dir = {folder / 'logs'}\nitems_dir = {folder / 'items'}\ndbs_dir = {folder / 'dbs'}\n"
        "max_proc = 2\npoll_interval = 0.5\n"
    )
    process = subprocess.Popen([str(SCRAPYD)], cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until(lambda: _answers(url), 30, "scrapyd did not start")
        yield url, folder
    finally:
        process.terminate()
        process.wait(timeout=15)


def _answers(url: str) -> bool:
    try:
        return requests.get(url + "daemonstatus.json", timeout=2).json()["status"] == "ok"
    except requests.RequestException:
        return False


def wait_until(check, seconds: float, message: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.3)
    raise AssertionError(message)


@needs_scrapyd
def test_deploy_schedule_and_crawl_the_mirror_through_scrapyd(scrapyd, mirror, tmp_path):
    url, folder = scrapyd
    egg = build_egg(tmp_path)
    added = requests.post(url + "addversion.json", data={"project": PROJECT, "version": "1"},
                          files={"egg": egg.read_bytes()}, timeout=60).json()
    assert added["status"] == "ok" and added["spiders"] >= 6, added  # addversion.json counts the spiders
    spiders = requests.get(url + "listspiders.json", params={"project": PROJECT}, timeout=30).json()
    assert "dutenews" in spiders["spiders"], spiders
    settings = {"MIRROR_URL": mirror.url, "ALLOW_PRIVATE_NETWORKS": "True", "WARC_DIR": str(tmp_path / "warc"),
                "STATE_URI": f"sqlite:///{tmp_path / 'state.sqlite3'}", "LOCK_DIR": str(tmp_path / "locks"),
                "REJECTS_PATH": str(tmp_path / "rejects.jsonl")}
    scheduled = requests.post(url + "schedule.json", timeout=30, data={
        "project": PROJECT, "spider": "dutenews", "setting": [f"{key}={value}" for key, value in settings.items()],
    }).json()
    assert scheduled["status"] == "ok", scheduled
    job = scheduled["jobid"]

    def finished():  # type: ignore[no-untyped-def]
        jobs = requests.get(url + "listjobs.json", params={"project": PROJECT}, timeout=10).json()
        return next((entry for entry in jobs["finished"] if entry["id"] == job), None)

    wait_until(finished, 90, f"job {job} did not finish")
    log = (folder / "logs" / PROJECT / "dutenews" / f"{job}.log").read_text(encoding="utf-8")
    assert "Spider closed (finished)" in log, log[-3000:]
    feed = folder / "items" / PROJECT / "dutenews" / f"{job}.jl"
    items = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    expected = {page.url for page in fixture_pages("article") if page.host == "www.dutenews.com"}
    assert {item["url"] for item in items} == expected
    assert list((tmp_path / "warc").glob("nqi-dutenews-*.warc.gz"))
