"""`python -m crawler.bench [--quick] [--out data/bench.json]`: run every measurement, print the table,
write the JSON."""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from crawler.bench import children
from crawler.bench.extraction import parser_costs, sample_pages, trafilatura_speed
from crawler.bench.replaying import cores, parse_floor, record_count, repeated_archive
from crawler.bench.report import machine, table, verdicts
from crawler.bench.server import LeanMirror
from crawler.bench.synth import Manifest, generate
from crawler.mirror import MirrorServer

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Plan:
    """How big each measurement is: list pages per site (each with 20 articles) and sample sizes."""

    lists_per_site: int
    pair_lists: int
    pairs: int
    replay_pairs: int
    rss_small_lists: int
    rss_large_lists: int
    parser_pages_per_site: int
    trafilatura_pages_per_site: int
    compare_mirror: bool
    replay_rss_repeats: tuple[int, int] = (2, 20)
    """How many times the small RSS crawl's WARCs are repeated for the small and the large replay archive."""
    replay_scale_repeats: int = 10
    """`--only replay`: how many times the replayed WARCs are repeated for the larger archive."""


FULL = Plan(lists_per_site=159, pair_lists=8, pairs=6, replay_pairs=3, rss_small_lists=40, rss_large_lists=159,
            parser_pages_per_site=30, trafilatura_pages_per_site=50, compare_mirror=True)
"""20,034 pages; six rounds of 1,015-page crawls (bare Scrapy, WARC off, WARC on); three pairs of replay and
trafilatura (on 300 of the replayed pages); RSS of 5,047 and 20,041 pages."""
QUICK = Plan(lists_per_site=4, pair_lists=2, pairs=1, replay_pairs=1, rss_small_lists=1, rss_large_lists=4,
             parser_pages_per_site=5, trafilatura_pages_per_site=5, compare_mirror=False, replay_rss_repeats=(1, 10),
             replay_scale_repeats=3)


def crawl_pairs(server_url: str, manifest: Manifest, plan: Plan, scratch: Path) -> list[dict[str, Any]]:
    """`plan.pairs` rounds of a bare Scrapy crawl, a WARC-off and a WARC-on crawl of the same pages; the ratios
    round by round (WARC on / off, and WARC on / bare Scrapy)."""
    pairs = []
    for number in range(plan.pairs):
        bare = children.bare(server_url, manifest.root, plan.pair_lists, scratch / f"pair{number}-bare")
        off = children.crawl(server_url, False, plan.pair_lists, scratch / f"pair{number}-off")
        on = children.crawl(server_url, True, plan.pair_lists, scratch / f"pair{number}-on")
        if off["pages"] != on["pages"]:
            raise RuntimeError(
                f"pair {number + 1} crawled {off['pages']} pages with WARC off, {on['pages']} with WARC on")
        pairs.append({"bare": bare, "off": off, "on": on, "ratio": on["pages_per_s"] / off["pages_per_s"],
                      "bare_ratio": on["pages_per_s"] / bare["pages_per_s"]})
        logger.info("pair %d: bare Scrapy %.1f pages/s, WARC off %.1f, on %.1f; ratio on/off %.3f, on/bare %.3f",
                    number + 1, bare["pages_per_s"], off["pages_per_s"], on["pages_per_s"], pairs[-1]["ratio"],
                    pairs[-1]["bare_ratio"])
    return pairs


def replay_pairs(warc_dir: Path, manifest: Manifest, plan: Plan, scratch: Path) -> list[dict[str, Any]]:
    """`scrapy replay -j N` of `warc_dir` (N: the cores), then the parse floor of the same articles on N processes,
    then trafilatura on some of them, `plan.replay_pairs` times."""
    pairs, jobs = [], cores()
    for number in range(plan.replay_pairs):
        replay = children.replay(warc_dir, scratch / f"replay{number}", jobs)
        replayed = set(_replayed_urls(scratch / f"replay{number}" / "replay.jsonl"))
        floor = parse_floor(sample_pages(manifest, len(replayed), among=replayed), jobs)
        trafilatura = trafilatura_speed(sample_pages(manifest, plan.trafilatura_pages_per_site, among=replayed))
        pairs.append({"replay": replay, "parse_floor": floor, "trafilatura": trafilatura,
                      "ratio": replay["articles_per_s"] / trafilatura["pages_per_s"],
                      "floor_ratio": replay["articles_per_s"] / floor["articles_per_s"]})
        logger.info("replay pair %d: %.1f articles/s on %d processes, parse floor %.1f, trafilatura %.1f pages/s, "
                    "ratios %.2f and %.3f", number + 1, replay["articles_per_s"], jobs, floor["articles_per_s"],
                    trafilatura["pages_per_s"], pairs[-1]["ratio"], pairs[-1]["floor_ratio"])
    return pairs


def replay_rss(warc_dir: Path, plan: Plan, scratch: Path) -> dict[str, dict[str, Any]]:
    """Peak RSS of replays of `warc_dir`'s files repeated `plan.replay_rss_repeats` times (about 20,000 and 200,000
    records in the full plan)."""
    runs = {}
    for size, times in zip(("small", "large"), plan.replay_rss_repeats, strict=True):
        archive = repeated_archive(warc_dir, times, scratch / f"replay-rss-{size}" / "warc")
        runs[size] = {"records": record_count(archive), "repeats": times,
                      **children.replay(archive, scratch / f"replay-rss-{size}" / "out", cores())}
        shutil.rmtree(archive)
        logger.info("replay RSS %s: %d records, %.1f MiB", size, runs[size]["records"], runs[size]["max_rss_mib"])
    return runs


def replay_scale(warc_dir: Path, manifest: Manifest, times: int, scratch: Path) -> dict[str, Any]:
    """`scrapy replay -j N` of `warc_dir`'s files repeated `times` times (the same pages captured again: every
    capture is parsed, the repeats are found unchanged), in article captures/s, against the parse floor of as
    many pages: how the replay's fixed costs spread over a larger archive."""
    archive = repeated_archive(warc_dir, times, scratch / "replay-scale" / "warc")
    replay = children.replay(archive, scratch / "replay-scale" / "out", cores())
    shutil.rmtree(archive)
    replayed = _replayed_urls(scratch / "replay-scale" / "out" / "replay.jsonl")
    floor = parse_floor(sample_pages(manifest, len(replayed), among=set(replayed)) * times, cores())
    run = {"repeats": times, "replay": replay, "parse_floor": floor,
           "floor_ratio": replay["captures_per_s"] / floor["articles_per_s"]}
    logger.info("replay of the archive repeated %d times: %d article captures, %.1f captures/s, parse floor %.1f, "
                "ratio %.3f", times, replay["article_captures"], replay["captures_per_s"], floor["articles_per_s"],
                run["floor_ratio"])
    return run


def measure(plan: Plan, manifest: Manifest, scratch: Path, only: str | None = None) -> dict[str, Any]:
    """Every measurement of the plan against the generated mirror (`only`: the crawl rounds, or the replay rounds
    on the WARC files of one WARC-on crawl)."""
    results: dict[str, Any] = {}
    server = LeanMirror(manifest.root).start()
    try:
        if only == "replay":
            source = children.crawl(server.url, True, plan.pair_lists, scratch / "replay-source")
            logger.info("replay source: a WARC-on crawl of %d pages", source["pages"])
            results["replay_pairs"] = replay_pairs(scratch / "replay-source" / "warc", manifest, plan, scratch)
            results["replay_scale"] = replay_scale(scratch / "replay-source" / "warc", manifest,
                                                   plan.replay_scale_repeats, scratch)
            return results
        results["crawl_pairs"] = crawl_pairs(server.url, manifest, plan, scratch)
        if only == "crawl":
            return results
        results["replay_pairs"] = replay_pairs(scratch / f"pair{plan.pairs - 1}-on" / "warc", manifest, plan, scratch)
        results["rss"] = {
            "small": children.crawl(server.url, True, plan.rss_small_lists, scratch / "rss-small"),
            "large": children.crawl(server.url, True, plan.rss_large_lists, scratch / "rss-large"),
        }
        logger.info("RSS: %.1f and %.1f MiB",
                    results["rss"]["small"]["max_rss_mib"], results["rss"]["large"]["max_rss_mib"])
        results["replay_rss"] = replay_rss(scratch / "rss-small" / "warc", plan, scratch)
        results["mirror_servers"] = {"LeanMirror (crawler/bench/server.py)": results["crawl_pairs"][0]["off"]}
    finally:
        server.stop()
    if plan.compare_mirror:
        mirror = MirrorServer(manifest.root).start()
        try:
            results["mirror_servers"]["MirrorServer (crawler/mirror.py)"] = children.crawl(
                mirror.url, False, plan.pair_lists, scratch / "mirror-off")
        finally:
            mirror.stop()
    results["parsers"] = parser_costs(sample_pages(manifest, plan.parser_pages_per_site))
    return results


def _replayed_urls(items: Path) -> list[str]:
    return [json.loads(line)["url"] for line in items.open(encoding="utf-8") if line.strip()]


def main(argv: list[str] | None = None) -> int:
    """Generate the mirror, measure, print the table, write the JSON."""
    parser = argparse.ArgumentParser(prog="python -m crawler.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="small sizes: checks that everything runs (well under a minute)")
    parser.add_argument("--only", choices=["crawl", "replay"], default=None,
                        help="only the crawl rounds (bare Scrapy, WARC off, WARC on), or only the replay rounds (on "
                             "the WARC files of one WARC-on crawl, then on those files repeated), on a mirror of "
                             "their size")
    parser.add_argument("--out", type=Path, default=Path("data/bench.json"))
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the mirror, WARCs and logs here (default: a temporary folder)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s [bench] %(message)s")
    plan = QUICK if args.quick else FULL
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nqi-bench-") as temporary:
        scratch = args.workdir or Path(temporary)
        manifest = generate(scratch / "mirror", plan.pair_lists if args.only else plan.lists_per_site)
        logger.info("synthetic mirror: %d pages, %.1f KiB on average, sites %s",
                    manifest.pages, manifest.bytes / manifest.pages / 1024, ", ".join(manifest.sites))
        results = measure(plan, manifest, scratch, only=args.only)
    mode = ("quick" if args.quick else "full") + (f", only {args.only}" if args.only else "")
    results.update(mode=mode, machine=machine(), plan=asdict(plan),
                   mirror={"pages": manifest.pages, "average_kib": round(manifest.bytes / manifest.pages / 1024, 1),
                           "sites": manifest.sites},
                   total_s=round(time.perf_counter() - started, 1))
    if "crawl_pairs" in results:
        pairs = results["crawl_pairs"]
        results.update(crawl_ratio_median=statistics.median(pair["ratio"] for pair in pairs),
                       crawl_ratio_worst=min(pair["ratio"] for pair in pairs),
                       crawl_vs_bare_ratio_median=statistics.median(pair["bare_ratio"] for pair in pairs),
                       crawl_vs_bare_ratio_worst=min(pair["bare_ratio"] for pair in pairs))
    if "replay_pairs" in results:
        pairs = results["replay_pairs"]
        results["replay_ratio_median"] = statistics.median(pair["ratio"] for pair in pairs)
        results["replay_floor_ratio_median"] = statistics.median(pair["floor_ratio"] for pair in pairs)
    if "replay_rss" in results:
        results["replay_rss_ratio"] = (results["replay_rss"]["large"]["max_rss_mib"]
                                       / results["replay_rss"]["small"]["max_rss_mib"])
    results["targets"] = verdicts(results)
    print(table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out} ({results['total_s']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
