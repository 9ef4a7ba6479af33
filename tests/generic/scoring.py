"""The shared scorer's figures on the whole real-page set and on its two halves by page id.

The halves keep the development measure honest: rules are written looking at one half and checked
on the other, then the other way round; a rule that helps one half and hurts the other fits pages,
not page kinds. The per-page figures are the shared scorer's own (`../shared/tools/score_realpages.py`,
loaded from there, never copied), summed over a subset of pages.
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

HALVES = ("first", "second")
_PAGE_ID = re.compile(r"([0-9a-f-]{36})\.html")


@dataclass(frozen=True)
class Figures:
    """The scorer's figures for one set of pages."""

    pages: int
    items: int
    body: float
    date: float
    author: float


@cache
def scorer(path: Path) -> ModuleType:
    """The shared scorer module, loaded from its file."""
    spec = importlib.util.spec_from_file_location("score_realpages", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def truth(shared: Path) -> dict[str, dict[str, str]]:
    """The hand labels by page id."""
    return json.loads((shared / "realpages" / "ground_truth.json").read_text(encoding="utf-8"))


def half_of(page_id: str, ids: list[str]) -> str:
    """Which half a page belongs to: the first half of the ids in sorted order, or the second."""
    ordered = sorted(ids)
    return HALVES[0] if ordered.index(page_id) < (len(ordered) + 1) // 2 else HALVES[1]


def items_by_page(items_file: Path) -> dict[str, dict[str, Any]]:
    """The items of a JSON-lines file by the page id their URL ends in."""
    found = {}
    for line in items_file.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            if match := _PAGE_ID.search(item.get("url", "")):
                found[match.group(1)] = item
    return found


def figures(items: dict[str, dict[str, Any]], labels: dict[str, dict[str, str]], shared: Path) -> Figures:
    """The scorer's three figures for the labelled pages `labels` (the scorer's rules, per page)."""
    score = scorer(shared / "tools" / "score_realpages.py")
    bodies, dates, authors = [], [], []
    for page_id, label in sorted(labels.items()):
        item = items.get(page_id, {})
        bodies.append(score.f1(item.get("body", ""), label["body"]))
        if labelled_day := score.day(label["date"]):
            dates.append(score.day(item.get("published_at") or "") == labelled_day)
        author = (label["author"] or "").strip()
        if author and not author.startswith("UNKNOWN"):
            editors = [editor.get("name", "") for editor in item.get("editors") or [] if isinstance(editor, dict)]
            names = [*(item.get("authors") or []), *editors]
            authors.append(any(name and name.strip() in author for name in names))
    return Figures(len(labels), sum(1 for page_id in labels if page_id in items),
                   _mean(bodies), _mean(dates), _mean(authors))


def split_figures(items: dict[str, dict[str, Any]], shared: Path) -> dict[str, Figures]:
    """The figures on all pages and on each half."""
    labels = truth(shared)
    ids = list(labels)
    result = {"all": figures(items, labels, shared)}
    for half in HALVES:
        result[half] = figures(items, {k: v for k, v in labels.items() if half_of(k, ids) == half}, shared)
    return result


def _mean(values: list[float] | list[bool]) -> float:
    return sum(values) / len(values) if values else 0.0
