"""CDXJ index and WACZ package of WARC files, checked by the tools that read them."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from archive.package import PackagingError, Page, validate_wacz, write_cdxj, write_wacz
from tests.archive.builders import good_warc

WACZ = str(Path(sys.executable).parent / "wacz")


def test_cdxj_lists_every_response_sorted_with_relative_file_names(tmp_path):
    warc = good_warc(tmp_path / "warc")
    assert write_cdxj([warc], tmp_path / "index.cdxj", tmp_path) >= 4
    lines = (tmp_path / "index.cdxj").read_text().splitlines()
    entries = [json.loads(line.split(" ", 2)[2]) for line in lines if line.startswith("com,dutenews)")]
    assert [entry["url"] for entry in entries] == [f"https://www.dutenews.com/n/article/{n}" for n in range(4)]
    assert lines == sorted(lines)
    assert all(entry["filename"] == "warc/" + warc.name and entry["status"] == "200" for entry in entries)


def test_wacz_holds_the_warcs_and_pages_and_validates(tmp_path):
    warc = good_warc(tmp_path)
    output = tmp_path / "crawl.wacz"
    write_wacz([warc], output, [Page("https://www.dutenews.com/n/article/1", "2024-01-20T03:12:45.123456Z", "一")],
               title="test")
    validate_wacz(output)
    result = subprocess.run([WACZ, "validate", "-f", str(output)], capture_output=True, text=True)
    assert result.returncode == 0 and "valid" in result.stdout
    with zipfile.ZipFile(output) as package:
        assert f"archive/{warc.name}" in package.namelist()
        pages = package.read("pages/pages.jsonl").decode().splitlines()
    assert json.loads(pages[1])["title"] == "一"


def test_a_broken_package_fails_validation(tmp_path):
    broken = tmp_path / "broken.wacz"
    with zipfile.ZipFile(broken, "w") as package:
        package.writestr("datapackage.json", "{}")
    with pytest.raises(PackagingError):
        validate_wacz(broken)
