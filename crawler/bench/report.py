"""The benchmark's verdicts against its targets, the printed table, and the machine it ran on."""

from __future__ import annotations

import os
import platform
import statistics
from typing import Any

TARGETS = {
    "crawl_warc_ratio": (">=", 0.95, "crawl pages/s, WARC on / WARC off (median of the pairs)"),
    "crawl_warc_ratio_worst": (">=", 0.90, "crawl pages/s, WARC on / WARC off (worst pair)"),
    "crawl_vs_bare_ratio": (">=", 0.6, "crawl pages/s with everything on / bare Scrapy on the same pages (median)"),
    "replay_vs_trafilatura": (">=", 25.0, "replay articles/s on N processes / trafilatura.extract pages/s (median)"),
    "replay_vs_parse_floor": (">=", 0.6, "replay articles/s / parser + normalize alone, both on N processes (median)"),
    "replay_rss_ratio": ("<=", 1.2, "peak RSS, replay of ~200,000 records / of ~20,000 records"),
    "rss_ratio": ("<=", 1.2, "peak RSS, large crawl / small crawl"),
    "parser_vs_lxml": ("<=", 2.0, "site parser / lxml parse, per page (worst site)"),
}


def machine() -> dict[str, Any]:
    """nproc, CPU model, memory, Python and platform of this machine."""
    model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "")
    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        kib = next((int(line.split()[1]) for line in meminfo if line.startswith("MemTotal")), 0)
    return {"nproc": os.cpu_count(), "cpu_model": model, "memory_gib": round(kib / 1024 / 1024, 1),
            "python": platform.python_version(), "platform": platform.platform()}


def verdicts(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each target with the measured value and whether it is met (the targets of the parts that ran)."""
    values = {}
    if "crawl_pairs" in results:
        values["crawl_warc_ratio"] = statistics.median(pair["ratio"] for pair in results["crawl_pairs"])
        values["crawl_warc_ratio_worst"] = min(pair["ratio"] for pair in results["crawl_pairs"])
        values["crawl_vs_bare_ratio"] = statistics.median(pair["bare_ratio"] for pair in results["crawl_pairs"])
    if "replay_pairs" in results:
        values["replay_vs_trafilatura"] = statistics.median(pair["ratio"] for pair in results["replay_pairs"])
        values["replay_vs_parse_floor"] = statistics.median(pair["floor_ratio"] for pair in results["replay_pairs"])
    if "replay_rss" in results:
        values["replay_rss_ratio"] = results["replay_rss_ratio"]
    if "rss" in results:
        values["rss_ratio"] = results["rss"]["large"]["max_rss_mib"] / results["rss"]["small"]["max_rss_mib"]
    if "parsers" in results:
        values["parser_vs_lxml"] = max(site["parser_ratio"] for site in results["parsers"].values())
    out = {}
    for name, (op, target, meaning) in TARGETS.items():
        if name not in values:
            continue
        value = values[name]
        met = value >= target if op == ">=" else value <= target
        out[name] = {"value": round(value, 3), "target": f"{op} {target}", "met": met, "meaning": meaning}
    return out


def table(results: dict[str, Any]) -> str:
    """The printed summary: every figure measured, then the targets."""
    lines = [(f"machine: {results['machine']['nproc']} cores, {results['machine']['cpu_model']}, "
              f"{results['machine']['memory_gib']} GiB; mode: {results['mode']}")]
    if "crawl_pairs" in results:
        lines += _crawl_lines(results["crawl_pairs"])
    if "replay_pairs" in results:
        lines += _replay_lines(results)
    if "rss" in results:  # the full run
        replay_small, replay_large = results["replay_rss"]["small"], results["replay_rss"]["large"]
        lines += ["", (f"replay peak RSS   {replay_small['records']:>7} records: {replay_small['max_rss_mib']:.1f} MiB"
                       f"   {replay_large['records']:>7} records: {replay_large['max_rss_mib']:.1f} MiB")]
        small, large = results["rss"]["small"], results["rss"]["large"]
        lines += ["", (f"peak RSS   {small['pages']:>6} pages: {small['max_rss_mib']:.1f} MiB   "
                       f"{large['pages']:>6} pages: {large['max_rss_mib']:.1f} MiB")]
    if "parsers" in results:
        lines += ["", "site parser (ms/page)   lxml parse   parser   ratio   parser+normalize"]
        for site, cost in results["parsers"].items():
            lines.append(f"  {site:<12} {cost['lxml_ms']:16.3f} {cost['parser_ms']:8.3f} {cost['parser_ratio']:7.2f}"
                         f" {cost['parser_normalize_ms']:12.3f}")
    if results.get("mirror_servers"):
        lines += ["", "mirror server (WARC off crawl)   pages/s   server CPU ms/page"]
        for name, run in results["mirror_servers"].items():
            lines.append(f"  {name:<30} {run['pages_per_s']:7.1f}   {run['server_cpu_ms_per_page']:.3f}")
    return "\n".join(lines + _target_lines(results))


def _crawl_lines(pairs: list[dict[str, Any]]) -> list[str]:
    lines = ["", "crawl over loopback (pages/s)   bare Scrapy   WARC off   WARC on   on/off   on/bare   load"]
    for number, pair in enumerate(pairs, 1):
        lines.append(f"  pair {number} ({pair['off']['pages']} pages)     {pair['bare']['pages_per_s']:9.1f}  "
                     f"{pair['off']['pages_per_s']:9.1f} {pair['on']['pages_per_s']:9.1f}   {pair['ratio']:.3f}"
                     f"    {pair['bare_ratio']:.3f}   {pair['on']['load_average']:4.1f}")
    ratios = [pair["ratio"] for pair in pairs]
    bare = [pair["bare_ratio"] for pair in pairs]
    lines.append(f"  on/off median {statistics.median(ratios):.3f}, worst {min(ratios):.3f}; "
                 f"on/bare median {statistics.median(bare):.3f}, worst {min(bare):.3f}")
    return lines


def _replay_lines(results: dict[str, Any]) -> list[str]:
    lines = ["", ("replay (articles/s)   processes   replay (wall with start-up)   parse floor   trafilatura   "
                  "vs trafilatura   vs floor   load")]
    for number, pair in enumerate(results["replay_pairs"], 1):
        replay, floor, trafilatura = pair["replay"], pair["parse_floor"], pair["trafilatura"]
        lines.append(f"  pair {number} ({replay['articles']} articles) {replay['jobs']:6d}   "
                     f"{replay['articles_per_s']:10.1f} ({replay['wall_s']:7.2f} s)   {floor['articles_per_s']:11.1f}"
                     f"   {trafilatura['pages_per_s']:11.1f}   {pair['ratio']:14.2f}   {pair['floor_ratio']:8.3f}"
                     f"   {replay['load_average']:4.1f}")
    ratios = [pair["ratio"] for pair in results["replay_pairs"]]
    floors = [pair["floor_ratio"] for pair in results["replay_pairs"]]
    lines.append(f"  vs trafilatura median {statistics.median(ratios):.2f}, worst {min(ratios):.2f}; "
                 f"vs parse floor median {statistics.median(floors):.3f}, worst {min(floors):.3f}")
    scale = results.get("replay_scale")
    if scale:
        replay = scale["replay"]
        lines.append(f"  archive repeated {scale['repeats']}x: {replay['article_captures']} article captures, "
                     f"{replay['captures_per_s']:.1f}/s ({replay['wall_s']:.2f} s wall), parse floor "
                     f"{scale['parse_floor']['articles_per_s']:.1f}/s, vs floor {scale['floor_ratio']:.3f}, "
                     f"load {replay['load_average']:.1f}")
    return lines


def _target_lines(results: dict[str, Any]) -> list[str]:
    lines = ["", "target                      value     target   met"]
    for name, verdict in results["targets"].items():
        met = "yes" if verdict["met"] else "NO"
        lines.append(f"  {name:<24} {verdict['value']:8.3f}   {verdict['target']:>7}   {met}")
    return lines
