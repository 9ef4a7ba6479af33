"""Parser diffs: two exports of the same articles compared field by field.

This is how a parser change is reviewed before it ships: re-parse the archives with the changed
parsers (`scrapy diff ARCHIVE… --against old.jsonl`) and read, per field, how many articles
changed and a few examples. Items are matched by `canonical_url` (else `url`); when an export
holds several versions of an article, its last line counts. Fields that depend on the capture
or the run rather than on the parser (`IGNORED_FIELDS`) are left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

IGNORED_FIELDS = frozenset({"fetched_at", "warc", "version", "body_sha1"})
"""Capture- and run-dependent fields, and `body_sha1`, which changes exactly when `body` does."""
ABSENT = object()
"""A field one export has and the other lacks (a schema change)."""


@dataclass(frozen=True)
class Change:
    """One article's field before and after."""

    key: str
    old: Any
    new: Any


@dataclass
class ExportDiff:
    """How a new export differs from an old one."""

    old_count: int
    new_count: int
    only_old: list[str] = field(default_factory=list)
    only_new: list[str] = field(default_factory=list)
    changed_items: int = 0
    fields: dict[str, list[Change]] = field(default_factory=dict)
    """Per field, every change, fields with the most changes first."""

    @property
    def matched(self) -> int:
        """Articles present in both exports."""
        return self.new_count - len(self.only_new)

    @property
    def empty(self) -> bool:
        """Whether the exports agree on every compared field of every article."""
        return not (self.only_old or self.only_new or self.changed_items)


def read_export(paths: Iterable[Path]) -> dict[str, dict[str, Any]]:
    """Items of JSON-lines exports by key (`canonical_url`, else `url`); a later line for a key wins."""
    items: dict[str, dict[str, Any]] = {}
    for path in paths:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    item = json.loads(line)
                    items[item.get("canonical_url") or item["url"]] = item
    return items


def compare(old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]],
            ignored: frozenset[str] = IGNORED_FIELDS) -> ExportDiff:
    """Compare two exports keyed as `read_export` keys them."""
    diff = ExportDiff(len(old), len(new), sorted(set(old) - set(new)), sorted(set(new) - set(old)))
    changes: dict[str, list[Change]] = {}
    for key in sorted(set(old) & set(new)):
        before, after = old[key], new[key]
        names = (set(before) | set(after)) - ignored
        differing = sorted(name for name in names if before.get(name, ABSENT) != after.get(name, ABSENT))
        for name in differing:
            changes.setdefault(name, []).append(Change(key, before.get(name, ABSENT), after.get(name, ABSENT)))
        diff.changed_items += bool(differing)
    diff.fields = dict(sorted(changes.items(), key=lambda pair: (-len(pair[1]), pair[0])))
    return diff


def show(value: Any) -> str:
    """A field value as one line of JSON (`(absent)` for a missing field)."""
    return "(absent)" if value is ABSENT else json.dumps(value, ensure_ascii=False)


def excerpt(old: Any, new: Any, width: int) -> tuple[str, str]:
    """Both values cut to `width` characters around where they start to differ."""
    before, after = show(old), show(new)
    shorter = min(len(before), len(after))
    same = next((i for i in range(shorter) if before[i] != after[i]), shorter)
    start = max(0, same - width // 4)
    return _cut(before, start, width), _cut(after, start, width)


def _cut(text: str, start: int, width: int) -> str:
    piece = text[start:start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def render(diff: ExportDiff, old_name: str, new_name: str, examples: int = 3, width: int = 100) -> str:
    """The diff as text: counts, a table of changed fields, then examples per field."""
    lines = [
        f"{new_name}: {diff.new_count} items; {old_name}: {diff.old_count} items",
        f"matched {diff.matched}, only in {new_name}: {len(diff.only_new)}, only in {old_name}: {len(diff.only_old)}",
        f"items with changed fields: {diff.changed_items} of {diff.matched}",
    ]
    if diff.fields:
        lines += ["", f"{'field':<20} {'items changed':>13}"]
        lines += [f"{name:<20} {len(changes):>13}" for name, changes in diff.fields.items()]
    for name, changes in diff.fields.items():
        lines += ["", f"{name}: {len(changes)} changed" + (", for example:" if changes else "")]
        for change in changes[:examples]:
            before, after = excerpt(change.old, change.new, width)
            lines += [f"  {change.key}", f"    - {before}", f"    + {after}"]
    for label, keys in ((f"only in {old_name}", diff.only_old), (f"only in {new_name}", diff.only_new)):
        if keys:
            lines += ["", f"{label} ({len(keys)}):", *(f"  {key}" for key in keys[:examples])]
    return "\n".join(lines)


def as_json(diff: ExportDiff, examples: int = 3) -> dict[str, Any]:
    """The diff as data: counts, and per field the number of changes and the first examples."""
    return {
        "old_items": diff.old_count, "new_items": diff.new_count, "matched": diff.matched,
        "only_old": diff.only_old, "only_new": diff.only_new, "changed_items": diff.changed_items,
        "fields": {
            name: {"changed": len(changes), "examples": [
                {"key": c.key, "old": None if c.old is ABSENT else c.old, "new": None if c.new is ABSENT else c.new}
                for c in changes[:examples]]}
            for name, changes in diff.fields.items()
        },
    }
