"""Parser diffs: the pure comparison, and `scrapy diff` over a real crawl's WARCs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from crawler.health.diff import ABSENT, compare, excerpt, render
from tests.conftest import ROOT, run_scrapy
from tests.health.crawl import isolated_settings

OLD = {
    "a": {"url": "a", "title": "T", "source": "深圳特区报", "authors": ["王纳"], "body": "x" * 300, "fetched_at": "1"},
    "b": {"url": "b", "title": "U", "source": None, "authors": [], "body": "y", "fetched_at": "1"},
    "c": {"url": "c", "title": "V", "source": None, "authors": [], "body": "z", "fetched_at": "1"},
}


def test_compare_counts_changes_per_field_and_ignores_capture_fields():
    new = {key: {**item, "fetched_at": "2"} for key, item in OLD.items() if key != "c"}
    new["a"] = {**new["a"], "source": "读特", "authors": [], "body": "x" * 200 + "!" + "x" * 99}
    new["b"] = {**new["b"], "authors": ["佚名"], "encoding": "utf-8"}
    new["d"] = {"url": "d", "title": "W"}
    diff = compare(OLD, new)
    assert {name: len(changes) for name, changes in diff.fields.items()} == {
        "authors": 2, "body": 1, "encoding": 1, "source": 1}
    assert next(iter(diff.fields)) == "authors"
    assert (diff.changed_items, diff.matched, diff.only_old, diff.only_new) == (2, 2, ["c"], ["d"])
    assert diff.fields["encoding"][0].old is ABSENT and not diff.empty
    assert compare(OLD, OLD).empty


def test_examples_are_cut_around_the_first_difference():
    old, new = excerpt("x" * 200 + "abc", "x" * 200 + "abd", width=40)
    assert old.startswith("…") and old.endswith("abc\"") and new.endswith("abd\"") and len(old) <= 42


def test_render_names_each_field_with_counts_and_examples():
    new = {**OLD, "a": {**OLD["a"], "source": "读特"}}
    text = render(compare(OLD, new), "old.jsonl", "the re-parse")
    assert "items with changed fields: 1 of 3" in text
    assert "source: 1 changed, for example:\n  a\n    - \"深圳特区报\"\n    + \"读特\"" in text


@pytest.fixture(scope="module")
def crawl(tmp_path_factory, mirror):
    out = tmp_path_factory.mktemp("diff")
    result = run_scrapy(["crawl", "dutenews", "-O", str(out / "items.jsonl"), *isolated_settings(out)],
                        mirror_url=mirror.url)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def scrapy_diff(out, against, *options, prelude: str = ""):
    """`scrapy diff` over the crawl's WARCs, in a process whose parsers `prelude` may change first."""
    script = f"import sys\n{prelude}\nfrom scrapy.cmdline import execute\nexecute(['scrapy', *sys.argv[1:]])"
    command = [sys.executable, "-c", script, "diff", str(out / "warc"), "--against", str(against),
               "--json", str(out / "diff.json"), *isolated_settings(out / "replay", state=False), *options]
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            capture_output=True, text=True, timeout=300)
    return result, json.loads((out / "diff.json").read_text(encoding="utf-8"))


def test_unchanged_parsers_reproduce_the_export(crawl):
    result, diff = scrapy_diff(crawl, crawl / "items.jsonl", "--exit-code")
    assert result.returncode == 0, result.stderr[-3000:]
    assert (diff["matched"], diff["changed_items"], diff["fields"]) == (5, 0, {})


def test_a_doctored_export_shows_up_field_by_field(crawl):
    items = [json.loads(line) for line in (crawl / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    items[0]["title"] += "（修订）"
    items[1]["editors"] = []
    doctored = crawl / "doctored.jsonl"
    doctored.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items[:-1]), encoding="utf-8")
    result, diff = scrapy_diff(crawl, doctored, "--exit-code")
    assert result.returncode == 1
    assert {name: field["changed"] for name, field in diff["fields"].items()} == {"editors": 1, "title": 1}
    assert diff["only_new"] == [items[-1]["canonical_url"]]
    assert diff["fields"]["title"]["examples"][0]["old"].endswith("（修订）")
    assert "title: 1 changed, for example:" in result.stdout


def test_a_deliberate_parser_change_is_reported_field_by_field(crawl):
    change = ("from spiders.dutenews import DutenewsParser\n"
              "DutenewsParser.BYLINES = ()  # the change under review: no bylines from the info line\n"
              "DutenewsParser.IMAGE_CAPTION = None  # and no image captions")
    result, diff = scrapy_diff(crawl, crawl / "items.jsonl", prelude=change)
    assert result.returncode == 0, result.stderr[-3000:]
    assert {name: field["changed"] for name, field in diff["fields"].items()} == {"authors": 2, "images": 1}
    assert diff["changed_items"] == 2 and diff["matched"] == 5
    authors = {example["key"].rsplit("/", 1)[1]: example for example in diff["fields"]["authors"]["examples"]}
    assert authors["7933508"] == {"key": "https://www.dutenews.com/n/article/7933508", "old": ["陈小慧"], "new": []}
    assert diff["fields"]["images"]["examples"][0]["new"][0]["caption"] == ""
    assert "authors                          2" in result.stdout


def test_two_exports_are_compared_without_replay(crawl, tmp_path):
    result = run_scrapy(["diff", str(crawl / "items.jsonl"), "--against", str(crawl / "items.jsonl"), "--exit-code"])
    assert result.returncode == 0 and "items with changed fields: 0 of 5" in result.stdout


def test_usage_errors(crawl):
    assert run_scrapy(["diff", str(crawl / "warc")]).returncode == 2
    export = str(crawl / "items.jsonl")
    mixed = run_scrapy(["diff", str(crawl / "warc"), export, "--against", export])
    assert mixed.returncode == 2 and "not both" in mixed.stderr
