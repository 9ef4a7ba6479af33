"""`python -m tests.generate_fixtures`, run on a copy of the fixture tree: what it rewrites and what it prints."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.fixture_pages import FIXTURES, expected_articles
from tests.generate_fixtures import expected_json, main

PAGES = expected_articles()


@pytest.fixture
def tree(tmp_path):
    """A copy of the fixture tree, to be regenerated."""
    root = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, root)
    return root


def snapshot(root):
    return {path.relative_to(root): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def generate(root, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main([*args, "--root", str(root)], out=out)
    return code, out.getvalue()


def copy_of(root, page):
    """The page's expected JSON in the copy at `root`."""
    return root / page.expected_path.relative_to(FIXTURES)


def multi_paragraph_page():
    return next(page for page in PAGES
                if "\n\n" in page.expected()["body"] and page.expected()["reposted_from"] is None)


def test_an_unchanged_tree_reports_no_change_and_keeps_every_byte(tree):
    before = snapshot(tree)
    assert before == snapshot(FIXTURES)
    code, out = generate(tree)
    assert code == 0
    assert out == f"expected items: 0 changed, 0 new, 0 reformatted only, {len(PAGES)} unchanged, 0 failed\n"
    assert snapshot(tree) == before
    assert generate(tree, "--check") == (0, out)


def test_a_changed_expectation_is_shown_field_by_field_then_rewritten(tree):
    page = multi_paragraph_page()
    path = copy_of(tree, page)
    original = path.read_bytes()
    right = page.expected()
    paragraphs = right["body"].split("\n\n")
    wrong = {**right, "title": "改过的标题", "authors": ["某人"],
             "body": "\n\n".join([paragraphs[0], "多出来的一段。", *paragraphs[1:]])}
    path.write_text(expected_json(wrong), encoding="utf-8")
    edited = path.read_bytes()

    code, out = generate(tree, "--check")
    assert code == 1
    assert path.read_bytes() == edited  # --check writes nothing
    lines = out.splitlines()
    assert lines[0] == f"{page}: {path.name}"
    assert lines[1:4] == ["  title:", '    - "改过的标题"', f"    + {json.dumps(right['title'], ensure_ascii=False)}"]
    assert lines[4:7] == ["  authors:", '    - ["某人"]', f"    + {json.dumps(right['authors'], ensure_ascii=False)}"]
    assert lines[7] == "  body:" and "    -多出来的一段。" in lines and "    +多出来的一段。" not in lines
    assert not any(line.startswith("    +") for line in lines[8:-1])  # the body lost a paragraph, gained none
    assert lines[-1] == (f"expected items: 1 changed, 0 new, 0 reformatted only, {len(PAGES) - 1} unchanged, "
                         "0 failed (would be rewritten: review the diff above)")

    code, out = generate(tree)
    assert code == 0 and "1 changed" in out and "were rewritten" in out
    assert path.read_bytes() == original
    assert generate(tree, "--check")[0] == 0


def test_a_layout_only_difference_is_rewritten_and_said_to_be_only_that(tree):
    page = PAGES[0]
    path = copy_of(tree, page)
    original = path.read_bytes()
    path.write_text(json.dumps(page.expected(), ensure_ascii=False), encoding="utf-8")
    code, out = generate(tree)
    assert code == 0
    assert out.splitlines()[0] == f"{page}: same fields, {path.name} rewritten in the standard layout"
    assert path.read_bytes() == original


def test_the_crawl_level_repost_link_is_kept_from_the_file(tree):
    page = multi_paragraph_page()
    path = copy_of(tree, page)
    kept = {**page.expected(), "reposted_from": "https://www.example.cn/original.html"}
    path.write_text(expected_json(kept), encoding="utf-8")
    unchanged = f"expected items: 0 changed, 0 new, 0 reformatted only, {len(PAGES)} unchanged, 0 failed\n"
    assert generate(tree) == (0, unchanged)
    assert json.loads(path.read_text(encoding="utf-8")) == kept


def test_a_page_without_expected_json_gets_one(tree):
    page = multi_paragraph_page()
    path = copy_of(tree, page)
    original = path.read_bytes()
    path.unlink()
    code, out = generate(tree)
    assert code == 0
    assert out.splitlines()[:3] == [f"{page}: new {path.name}", "  url:", "    - (absent)"]
    assert path.read_bytes() == original


def test_a_page_that_cannot_be_parsed_keeps_its_file_and_fails_the_run(tree):
    page = PAGES[0]
    meta_path = tree / page.host / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    entry = next(entry for entry in meta["pages"] if entry["url"] == page.url)
    entry["url"] = "https://unknown.example.org/a.html"
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    expected_before = copy_of(tree, page).read_bytes()
    code, out = generate(tree)
    assert code == 1
    assert (f"{page}: FAILED, {page.expected_path.name} kept: LookupError: no site spider owns "
            "https://unknown.example.org/a.html") in out
    assert out.endswith(f"0 changed, 0 new, 0 reformatted only, {len(PAGES) - 1} unchanged, 1 failed\n")
    assert copy_of(tree, page).read_bytes() == expected_before


def test_the_command_line(tree, tmp_path):
    command = [sys.executable, "-m", "tests.generate_fixtures", "--check", "--root"]
    result = subprocess.run([*command, str(tree)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(f"{len(PAGES)} unchanged, 0 failed\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    result = subprocess.run([*command, str(empty)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert f"no fixture site (*/meta.json) under {empty}" in result.stderr and "Traceback" not in result.stderr
