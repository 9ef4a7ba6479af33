"""Closing the `.warc.gz.open` files a killed crawl left behind.

Each record is its own gzip member, so the last complete record of a file is the end of its last
complete gzip member. `recover_file` cuts the file back to there and gives it its final name;
a file without one complete record is removed. `recover_open_files` does this for the files of
one series whose writer is gone: written on this host by a process that no longer runs.
"""

from __future__ import annotations

import logging
import os
import socket
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from archive.writer import OPEN_SUFFIX

logger = logging.getLogger(__name__)

CHUNK = 1 << 16


@dataclass(frozen=True)
class Recovered:
    """What recovery did to one file: its final path (None when removed) and the bytes cut off."""

    open_path: Path
    final_path: Path | None
    kept: int
    cut: int


def complete_prefix(path: Path) -> int:
    """The length of the longest prefix of `path` made of complete gzip members."""
    kept = 0
    with open(path, "rb") as stream:
        data = b""
        while True:
            data = data or stream.read(CHUNK)
            if not data:
                return kept
            member, consumed = zlib.decompressobj(wbits=31), 0
            while True:
                before = len(data)
                try:
                    member.decompress(data)
                except zlib.error:
                    return kept
                data = member.unused_data
                consumed += before - len(data)
                if member.eof:
                    break
                data = stream.read(CHUNK)
                if not data:
                    return kept
            kept += consumed


def recover_file(path: Path) -> Recovered:
    """Cut an `.open` file back to its last complete record and rename it (or remove it when empty)."""
    size = path.stat().st_size
    kept = complete_prefix(path)
    if kept == 0:
        path.unlink()
        logger.warning("Removed %s: no complete WARC record in its %d bytes", path, size)
        return Recovered(path, None, 0, size)
    if kept < size:
        os.truncate(path, kept)
    final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
    os.replace(path, final)
    logger.warning("Recovered %s: kept %d bytes of complete records, cut %d", final, kept, size - kept)
    return Recovered(path, final, kept, size - kept)


def writer_is_gone(path: Path) -> bool:
    """Whether the process that wrote `path` (host and pid are in the name) no longer runs here (or is a zombie)."""
    parts = path.name.removesuffix(OPEN_SUFFIX).removesuffix(".warc.gz").split("-")
    if len(parts) < 3 or not parts[-2].isdigit():
        return False
    host, pid = parts[-3], int(parts[-2])
    if host != (socket.gethostname().split(".")[0] or "host"):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether `pid` has exited and only waits to be reaped (Linux `/proc`): its files are closed."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[:1] == ["Z"]


def recover_open_files(directory: str | os.PathLike[str], prefix: str,
                       stale: Callable[[Path], bool] = writer_is_gone) -> list[Recovered]:
    """Recover every `<prefix>-*.warc.gz.open` in `directory` whose writer is gone."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    leftovers = sorted(folder.glob(f"{prefix}-*.warc.gz{OPEN_SUFFIX}"))
    return [recover_file(path) for path in leftovers if stale(path)]
