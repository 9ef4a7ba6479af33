"""The inputs of `scrapy replay`, `scrapy diff` and `scrapy warc`, checked before any work starts.

WARC files, folders of them and WACZ packages (see `archive.index.warc_files`): a file that is
no WARC file at all, or a package that cannot be read or would write outside itself, stops the
command with one clear error instead of a traceback from deep inside the indexer. Only the
first bytes of each file are read (and a package's list of entries), so the check is cheap.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from archive.index import WARC_SUFFIXES
from archive.reader import CHUNK, check_warc_start
from archive.wacz import WACZ_SUFFIX, check_package


def check_inputs(inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Raise `FileNotFoundError`, `NotAWarcFile` or `UnreadablePackage` for the first input that cannot be read."""
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.is_file() and file.name.endswith(WARC_SUFFIXES):
                    check_warc_file(file, str(path / file.relative_to(path)))
        elif path.is_file() and path.name.endswith(WACZ_SUFFIX):
            check_package(path, str(given))
        elif path.is_file():
            check_warc_file(path, str(given))
        else:
            raise FileNotFoundError(f"no WARC file or folder at {given}")


def check_warc_file(path: Path, label: str) -> None:
    """`NotAWarcFile` unless the file starts as a WARC file does."""
    with open(path, "rb") as stream:
        check_warc_start(stream.read(CHUNK), label)
