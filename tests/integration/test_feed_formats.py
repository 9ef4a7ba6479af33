"""Feeds in the formats Scrapy writes (issue 14, point 8): `crawlall -O` CSV, JSON, XML and JSON lines in one run;
CSV list and object fields as JSON text, with a byte order mark under `FEED_EXPORT_ENCODING=utf-8-sig`."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import run_scrapy
from tests.integration.test_outputs import places

BOM = b"\xef\xbb\xbf"
STRUCTURED = ("authors", "photographers", "editors", "images", "repairs", "warc")


@pytest.fixture(scope="module")
def exports(tmp_path_factory, mirror):
    root = tmp_path_factory.mktemp("formats")
    # The CSV takes FEED_EXPORT_ENCODING (utf-8-sig); the others name UTF-8: Scrapy's JSON and JSON-lines
    # exporters encode each item on its own, so under utf-8-sig every item would start with a BOM.
    utf8 = {"encoding": "utf-8"}
    feeds = {str(root / "all.csv"): {"format": "csv"}, str(root / "all.json"): {"format": "json", **utf8},
             str(root / "all.xml"): {"format": "xml", **utf8}, str(root / "all.jsonl"): {"format": "jsonlines", **utf8}}
    result = run_scrapy(["crawlall", "-s", f"FEEDS={json.dumps(feeds)}", "-s", "FEED_EXPORT_ENCODING=utf-8-sig",
                         *places(root)], mirror_url=mirror.url)
    assert result.returncode == 0, result.stderr[-3000:]
    items = [json.loads(line) for line in (root / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    return root, {item["canonical_url"]: item for item in items}


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_crawlall_csv_has_a_bom_and_json_cells(exports):
    root, items = exports
    data = (root / "all.csv").read_bytes()
    assert data.startswith(BOM) and data.count(BOM) == 1
    rows = csv_rows(data)
    assert len(rows) == len(items) == 30
    for row in rows:
        item = items[row["canonical_url"]]
        for name in STRUCTURED:
            if isinstance(item.get(name), list | dict):
                assert json.loads(row[name]) == item[name], name
        assert row["title"] == item["title"] and row["body"] == item["body"]
    assert any("{" in row["editors"] for row in rows)


def test_crawlall_json_and_xml_hold_every_item(exports):
    root, items = exports
    listed = json.loads((root / "all.json").read_text(encoding="utf-8"))
    assert {item["canonical_url"] for item in listed} == set(items)
    assert all(item == items[item["canonical_url"]] for item in listed)
    tree = ET.parse(root / "all.xml")
    urls = {node.findtext("canonical_url") for node in tree.getroot().iter("item")}
    assert urls == set(items)


def test_a_site_crawl_writes_csv_with_json_cells(tmp_path, mirror):
    result = run_scrapy(["crawl", "dutenews", "-O", str(tmp_path / "d.csv"), *places(tmp_path)], mirror_url=mirror.url)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = csv_rows((tmp_path / "d.csv").read_bytes())
    assert len(rows) == 5
    for row in rows:
        assert isinstance(json.loads(row["editors"]), list) and isinstance(json.loads(row["warc"]), dict)
        assert "'role'" not in row["editors"]


def test_crawlall_refuses_a_format_without_exporter(tmp_path):
    feeds = json.dumps({str(tmp_path / "x.nosuch"): {"format": "nosuch"}})
    result = run_scrapy(["crawlall", "-s", f"FEEDS={feeds}", *places(tmp_path)])
    assert result.returncode == 2
    assert "the format 'nosuch' is none of" in result.stderr and "name the output .jsonl, .csv" in result.stderr
    assert not (tmp_path / "x.nosuch").exists()
