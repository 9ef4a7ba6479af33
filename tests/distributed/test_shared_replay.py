"""Two `scrapy replay` processes share one archive through a real redis-server: every item, none twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT, isolated_state, run_scrapy
from tests.distributed.redis_server import needs_redis, redis_server
from tests.interop.conftest import final_stats, output_settings, replay
from tests.interop.test_parallel_replay import synthetic_archive  # noqa: F401 (a fixture)

pytestmark = needs_redis
WORKERS = 2


def shared_replay(folder, out, number: int, redis_url: str) -> subprocess.Popen[str]:  # type: ignore[no-untyped-def]
    args = ["replay", str(folder), "-j", "1", "-O", str(out / f"items{number}.jsonl"),
            *output_settings(out / str(number)), "-s", f"REDIS_URL={redis_url}"]
    command = [sys.executable, "-m", "scrapy", *args, *isolated_state(args)]
    with open(out / f"worker{number}.log", "w") as log:
        return subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                stdout=subprocess.DEVNULL, stderr=log, text=True)


def items_of(path) -> list[dict]:  # type: ignore[no-untyped-def]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_two_workers_parse_every_record_once(synthetic_archive, tmp_path):  # noqa: F811 (the fixture)
    folder, articles = synthetic_archive
    replay([str(folder)], tmp_path / "alone", "-j", "1")
    alone = items_of(tmp_path / "alone" / "items.jsonl")
    with redis_server(tmp_path) as url:
        processes = [shared_replay(folder, tmp_path, number, url) for number in range(WORKERS)]
        codes = [process.wait(timeout=600) for process in processes]
    logs = [(tmp_path / f"worker{number}.log").read_text(encoding="utf-8") for number in range(WORKERS)]
    assert codes == [0] * WORKERS, "\n\n".join(log[-3000:] for log in logs)
    shares = [items_of(tmp_path / f"items{number}.jsonl") for number in range(WORKERS)]
    urls = [item["url"] for share in shares for item in share]
    assert len(urls) == len(set(urls)) == articles  # none twice, none missing
    assert sorted(urls) == sorted(item["url"] for item in alone)
    by_url = {item["url"]: item for item in alone}
    for share in shares:
        for item in share:
            assert {**item, "version": 1} == {**by_url[item["url"]], "version": 1}, item["url"]
    stats = [final_stats(log) for log in logs]
    assert sum(stat.get("replay/responses", 0) for stat in stats) == articles
    assert sum(stat["replay/shared_batches"] for stat in stats) == -(-articles // 32)


def test_two_workers_share_a_wacz_and_parse_every_record_once(synthetic_archive, tmp_path):  # noqa: F811 (the fixture)
    folder, articles = synthetic_archive
    package = tmp_path / "archive.wacz"
    packed = run_scrapy(["warc", "pack", str(folder), "-o", str(package)])
    assert packed.returncode == 0, packed.stderr[-3000:]
    replay([str(folder)], tmp_path / "alone", "-j", "1")
    alone = {item["url"]: item for item in items_of(tmp_path / "alone" / "items.jsonl")}
    with redis_server(tmp_path) as url:
        processes = [shared_replay(package, tmp_path, number, url) for number in range(WORKERS)]
        codes = [process.wait(timeout=600) for process in processes]
    logs = [(tmp_path / f"worker{number}.log").read_text(encoding="utf-8") for number in range(WORKERS)]
    assert codes == [0] * WORKERS, "\n\n".join(log[-3000:] for log in logs)
    shared = [item for number in range(WORKERS) for item in items_of(tmp_path / f"items{number}.jsonl")]
    assert len(shared) == len({item["url"] for item in shared}) == articles == len(alone)
    for item in shared:
        assert item["warc"]["file"].startswith(f"{package}#archive/"), item["warc"]
        expected = alone[item["url"]]
        assert {**item, "version": 1, "warc": None} == {**expected, "version": 1, "warc": None}, item["url"]
        assert item["warc"]["offset"] == expected["warc"]["offset"]
