"""`python -m tests.generate_fixtures [--check] [--root DIR]`: regenerate the fixtures' expected items.

Every page of `tests/fixtures/*/meta.json` that is not a list page goes through the same path as
`tests/test_fixture_items.py` (`parsed_item`: the charset rule, the site parser of its URL at its
capture date, normalization). Its expected JSON beside it is rewritten with the result, and each
field that changed is printed, old then new, so that a parser change is reviewed as data. The fields
that depend on the capture or on how the mirror serves the page (`fetched_at`, `warc`, `version`,
`encoding`) are not in the expected JSON, as in the test; `reposted_from` is a crawl-level result
(the crawl tests check it), so its expected value is kept as it is. A page whose parse fails keeps
its file, is reported, and makes the command exit 1.

The command never decides that a changed output is right: read the diff (docs/fixtures.md).
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from tests.fixture_pages import FIXTURES, fixture_pages, parsed_item, without_capture

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tests.fixture_pages import FixturePage

CRAWL_LEVEL = ("reposted_from",)
"""Expected fields a page alone cannot give: kept from the expected JSON (null for a new one)."""
ABSENT = object()
"""A field that one side of a comparison does not have."""


def expected_json(item: dict[str, Any]) -> str:
    """The text of an expected-item file: indented JSON, Chinese as is, in the item's field order."""
    return json.dumps(item, ensure_ascii=False, indent=2) + "\n"


def expectation(page: FixturePage, previous: dict[str, Any] | None) -> dict[str, Any]:
    """What the page's expected JSON should now hold: its parsed item without capture-dependent fields,
    with the crawl-level fields of `previous`."""
    item = without_capture(parsed_item(page))
    for name in CRAWL_LEVEL:
        item[name] = previous.get(name) if previous is not None else None
    return item


def field_diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The changed fields, each as a `field:` line and its old (`-`) and new (`+`) values.

    Multi-line strings (the body) are compared line by line, with one line of context."""
    lines = []
    for name in [*new, *(name for name in old if name not in new)]:
        before, after = old.get(name, ABSENT), new.get(name, ABSENT)
        if before == after:
            continue
        lines.append(f"  {name}:")
        if isinstance(before, str) and isinstance(after, str) and ("\n" in before or "\n" in after):
            diff = difflib.unified_diff(before.split("\n"), after.split("\n"), lineterm="", n=1)
            lines += [f"    {line}" for line in list(diff)[2:]]
        else:
            lines += [f"    - {_shown(before)}", f"    + {_shown(after)}"]
    return lines


def _shown(value: object) -> str:
    return "(absent)" if value is ABSENT else json.dumps(value, ensure_ascii=False)


@dataclass
class Outcome:
    """What regeneration did: pages by what happened to their expected JSON."""

    unchanged: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    reformatted: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line of counts."""
        return (f"{len(self.changed)} changed, {len(self.new)} new, {len(self.reformatted)} reformatted only, "
                f"{len(self.unchanged)} unchanged, {len(self.failed)} failed")


def regenerate(page: FixturePage, outcome: Outcome, out: TextIO, write: bool) -> None:
    """Regenerate one page's expected JSON (when `write`), printing to `out` how it changed."""
    path = page.expected_path
    old_text = path.read_text(encoding="utf-8") if path.exists() else None
    previous = json.loads(old_text) if old_text is not None else None
    try:
        item = expectation(page, previous)
    except Exception as exc:  # any parser failure: report it, keep the file, go on with the others
        outcome.failed.append(str(page))
        print(f"{page}: FAILED, {path.name} kept: {type(exc).__name__}: {exc}", file=out)
        return
    text = expected_json(item)
    if text == old_text:
        outcome.unchanged.append(str(page))
        return
    if previous is None:
        outcome.new.append(str(page))
        print(f"{page}: new {path.name}", file=out)
        print("\n".join(field_diff({}, item)), file=out)
    elif previous == item:
        outcome.reformatted.append(str(page))
        print(f"{page}: same fields, {path.name} rewritten in the standard layout", file=out)
    else:
        outcome.changed.append(str(page))
        print(f"{page}: {path.name}", file=out)
        print("\n".join(field_diff(previous, item)), file=out)
    if write:
        path.write_text(text, encoding="utf-8")


def run(root: Path, write: bool, out: TextIO) -> Outcome:
    """Regenerate every non-list page of the fixture tree at `root`."""
    outcome = Outcome()
    for page in fixture_pages(root=root):
        if page.entry["kind"] != "list":
            regenerate(page, outcome, out, write)
    return outcome


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    """The command: 0 when every page was parsed (and, with --check, nothing would change), else 1."""
    parser = argparse.ArgumentParser(prog="python -m tests.generate_fixtures", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when an expected JSON would change")
    parser.add_argument("--root", type=Path, default=FIXTURES, help="the fixture tree (default: %(default)s)")
    args = parser.parse_args(argv)
    if not any(args.root.glob("*/meta.json")):
        parser.error(f"no fixture site (*/meta.json) under {args.root}")
    outcome = run(args.root, write=not args.check, out=out)
    verb = "would be" if args.check else "were"
    print(f"expected items: {outcome.summary()}"
          + (f" ({verb} rewritten: review the diff above)" if outcome.changed or outcome.new else ""), file=out)
    if outcome.failed:
        return 1
    return 1 if args.check and (outcome.changed or outcome.new or outcome.reformatted) else 0


if __name__ == "__main__":
    sys.exit(main())
