"""The benchmark: its synthetic mirror parses like the fixtures, and `python -m crawler.bench --quick` writes
its JSON."""

from __future__ import annotations

import json
import subprocess
import sys

from crawler.bench.bare import page_urls
from crawler.bench.extraction import sample_pages, site_parse
from crawler.bench.report import TARGETS, table, verdicts
from crawler.bench.synth import ENTRIES_PER_LIST, PAGE_SIZE, generate
from crawler.mirror import load_routes, mirror_key
from crawler.normalize import build_article
from crawler.schema import schema_errors
from spiders.registry import site_spiders, spider_for_url
from tests.conftest import ROOT


def test_synthetic_articles_parse_into_their_generated_items(tmp_path):
    manifest = generate(tmp_path / "mirror", lists_per_site=1)
    assert sorted(manifest.sites) == sorted(spider.name for spider in site_spiders())
    assert len(manifest.articles) == len(manifest.sites) * ENTRIES_PER_LIST
    titles = {url: title for _, url, _, title in manifest.articles}
    for page in sample_pages(manifest, ENTRIES_PER_LIST):
        assert PAGE_SIZE[0] <= len(page.body.decode(page.charset).encode("utf-8")) <= PAGE_SIZE[1] + 8192, page.url
        assert spider_for_url(page.url).site.is_article(page.url)
        item = build_article(site_parse(page)).__dict__
        assert item["title"] == titles[page.url], page.url
        assert len(item["body"]) > 200
        assert schema_errors({**item, "warc": None}) == [], page.url


def test_synthetic_list_pages_link_every_article_and_page_on(tmp_path):
    manifest = generate(tmp_path / "mirror", lists_per_site=2)
    routes = load_routes(manifest.root)
    for spider in site_spiders():
        first = routes[mirror_key(spider.site.start_urls[0])]
        assert first.path.read_text(encoding="utf-8").count("@@SLOT") == 0
        page_urls = [url for site, url, _, _ in manifest.articles if site == spider.name]
        assert len(page_urls) == 2 * ENTRIES_PER_LIST
        assert all(mirror_key(url) in routes for url in page_urls)


def test_the_bare_crawl_requests_each_sites_first_list_pages_and_their_articles(tmp_path):
    manifest = generate(tmp_path / "mirror", lists_per_site=3)
    urls = page_urls(manifest.root, 2)
    assert len(urls) == len(set(urls)) == len(manifest.sites) * 2 * (1 + ENTRIES_PER_LIST)
    articles = [url for _, url, _, _ in manifest.articles if url in set(urls)]
    assert len(articles) == len(manifest.sites) * 2 * ENTRIES_PER_LIST  # the other half: each site's two list pages


def test_quick_bench_completes_and_writes_the_json(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, "-m", "crawler.bench", "--quick", "--out", str(out)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert set(report["targets"]) == set(TARGETS)
    for pair in report["crawl_pairs"]:
        assert pair["off"]["pages"] == pair["on"]["pages"] > pair["bare"]["pages"] > 0  # the crawl adds robots.txt
        assert pair["bare_ratio"] == pair["on"]["pages_per_s"] / pair["bare"]["pages_per_s"]
        assert pair["on"]["warc_bytes"] > 0 and pair["off"]["warc_bytes"] == 0
    for pair in report["replay_pairs"]:
        assert pair["replay"]["articles"] >= pair["trafilatura"]["pages"] > 0
        assert pair["parse_floor"]["articles"] == pair["replay"]["articles"]
        assert pair["parse_floor"]["jobs"] == pair["replay"]["jobs"] >= 1
        assert pair["floor_ratio"] == pair["replay"]["articles_per_s"] / pair["parse_floor"]["articles_per_s"]
        assert 0 < pair["replay"]["elapsed_s"] < pair["replay"]["wall_s"]  # Scrapy's elapsed time: no start-up
    small, large = report["replay_rss"]["small"], report["replay_rss"]["large"]
    assert large["records"] == 10 * small["records"] > 0 and large["article_captures"] == 10 * small["article_captures"]
    assert report["replay_rss_ratio"] == large["max_rss_mib"] / small["max_rss_mib"]
    assert {"replay_floor_ratio_median", "replay_ratio_median"} <= set(report)
    assert report["rss"]["large"]["pages"] > report["rss"]["small"]["pages"]
    assert report["machine"]["nproc"] >= 1
    assert "crawl over loopback" in result.stdout


def test_a_crawl_only_report_judges_and_prints_the_crawl_targets_alone():
    crawl = {"pages": 1015, "pages_per_s": 200.0, "load_average": 1.0}
    pairs = [{"bare": {**crawl, "pages": 1008, "pages_per_s": 400.0}, "off": crawl,
              "on": {**crawl, "pages_per_s": on}, "ratio": on / 200.0, "bare_ratio": on / 400.0}
             for on in (190.0, 170.0)]
    results = {"crawl_pairs": pairs, "mode": "full, only crawl",
               "machine": {"nproc": 2, "cpu_model": "test", "memory_gib": 1.0}}
    results["targets"] = verdicts(results)
    assert set(results["targets"]) == {"crawl_warc_ratio", "crawl_warc_ratio_worst", "crawl_vs_bare_ratio"}
    median = results["targets"]["crawl_warc_ratio"]
    assert (median["value"], median["met"], median["target"]) == (0.9, False, ">= 0.95")
    assert results["targets"]["crawl_warc_ratio_worst"]["value"] == 0.85
    printed = table(results)
    assert "on/off median 0.900, worst 0.850; on/bare median 0.450, worst 0.425" in printed
    assert "replay" not in printed and "crawl_vs_bare_ratio" in printed


def test_a_replay_only_report_judges_and_prints_the_replay_targets_alone():
    def replay(articles: int, per_s: float) -> dict[str, float]:
        return {"articles": articles, "article_captures": articles, "jobs": 2, "articles_per_s": per_s,
                "captures_per_s": per_s, "wall_s": 9.0, "load_average": 1.5}

    pairs = [{"replay": replay(960, per_s), "parse_floor": {"articles_per_s": 400.0},
              "trafilatura": {"pages_per_s": 10.0}, "ratio": per_s / 10.0, "floor_ratio": per_s / 400.0}
             for per_s in (200.0, 160.0, 240.0)]
    results = {"replay_pairs": pairs, "mode": "full, only replay",
               "replay_scale": {"repeats": 10, "replay": replay(9600, 300.0), "parse_floor": {"articles_per_s": 400.0},
                                "floor_ratio": 0.75},
               "machine": {"nproc": 2, "cpu_model": "test", "memory_gib": 1.0}}
    results["targets"] = verdicts(results)
    assert set(results["targets"]) == {"replay_vs_trafilatura", "replay_vs_parse_floor"}
    assert results["targets"]["replay_vs_parse_floor"]["value"] == 0.5
    printed = table(results)
    assert "vs trafilatura median 20.00, worst 16.00; vs parse floor median 0.500, worst 0.400" in printed
    assert "archive repeated 10x: 9600 article captures, 300.0/s" in printed and "vs floor 0.750" in printed
    assert "crawl over loopback" not in printed


def test_replay_only_bench_replays_one_crawl_and_its_archive_repeated(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run([sys.executable, "-m", "crawler.bench", "--quick", "--only", "replay", "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert set(report["targets"]) == {"replay_vs_trafilatura", "replay_vs_parse_floor"}
    assert "crawl_pairs" not in report and "rss" not in report
    articles = report["replay_pairs"][0]["replay"]["articles"]
    scale = report["replay_scale"]
    assert articles > 0 and scale["replay"]["article_captures"] == scale["repeats"] * articles
    assert scale["parse_floor"]["articles"] == scale["repeats"] * articles
    assert scale["floor_ratio"] == scale["replay"]["captures_per_s"] / scale["parse_floor"]["articles_per_s"]
    assert 0 < scale["replay"]["elapsed_s"] < scale["replay"]["wall_s"]
    assert "archive repeated 3x" in result.stdout and "crawl over loopback" not in result.stdout
