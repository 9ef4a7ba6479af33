"""Output paths built from names the user supplies cannot leave their folders.

A spider name, a `-a` argument or a setting such as `WARC_PREFIX` ends up inside a file name
(`<WARC_DIR>/<prefix>-<spider>-….warc.gz`, a feed URI `data/%(name)s.jsonl`). `file_component`
refuses a value that is not a plain file name (a path separator, `.`/`..`, a NUL byte, a control
character); `inside` refuses a joined path that resolves outside its folder. Plain Python.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

UNSAFE = re.compile(r"[/\\\x00-\x1f]")


class UnsafePath(ValueError):
    """A name or path from user input would escape its folder."""


def path_problem(value: str) -> str | None:
    """Why `value` is not a plain file-name component, or None when it is."""
    if not value:
        return "it is empty"
    if value in {".", ".."}:
        return "it names a folder"
    if UNSAFE.search(value):
        return "it holds a path separator or a control character"
    return None


def file_component(value: str, what: str) -> str:
    """`value` when it is a plain file-name component; else `UnsafePath` naming `what`."""
    problem = path_problem(value)
    if problem is not None:
        raise UnsafePath(f"{what} {value!r} cannot be used in a file name: {problem}")
    return value


def inside(folder: str | Path, name: str, what: str) -> Path:
    """`folder/name`, refused with `UnsafePath` when it resolves outside `folder`."""
    base = Path(folder).resolve()
    target = (base / name).resolve()
    if target != base and base not in target.parents:
        raise UnsafePath(f"{what} {name!r} leads outside {folder}")
    return target


def feed_uri_params(params: dict[str, Any], spider: Any) -> dict[str, Any]:
    """`FEED_URI_PARAMS`: spider attributes (`-a` values) enter feed file names percent-encoded
    when they are not plain file names, so `%(x)s` with `-a x=../../etc` stays in its folder."""
    return {key: quote(value, safe="") if isinstance(value, str) and path_problem(value) else value
            for key, value in params.items()}
