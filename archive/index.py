"""An index of a set of WARC files on disk: which captures they hold, by URL, read back lazily.

One pass over the files notes every `response` and `revisit` record (URL, status, date, file,
offset, record ID, what a revisit refers to) in an SQLite file, sorted by URL key as a CDXJ
index is: memory stays flat however many captures the archives hold. Records are read again
only when asked for. A revisit is answered with the payload of the capture it refers to (by
`WARC-Refers-To`, else by target URI and date, else by payload digest). The file scans may run
in other processes (`build(..., mapper=pool.imap)`); another process opens a built index with
`ArchiveIndex.open(index.db_path)`; each of them writes its file's captures into an SQLite file of its
own, which the index then copies in, so no process holds a whole file's captures.
"""

from __future__ import annotations

import functools
import logging
import os
import sqlite3
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from archive.http import ascii_uri
from archive.payload import ArchivedResponse, archived_response, status_of
from archive.reader import Damage, OpenArchives, StoredRecord, read_record_at, read_records
from archive.wacz import WACZ_SUFFIX, wacz_warcs

logger = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz", ".warc.gz.open", ".warc.open")


def warc_files(inputs: Iterable[str | os.PathLike[str]]) -> list[tuple[Path, str]]:
    """(path, label) of every WARC file named, found (recursively, sorted) in a folder named, or held by a WACZ named.

    The label is the path as the user gave it, joined with the file's path inside a folder or
    (after `#`) its entry name inside a WACZ (`archive.wacz`). Raises `FileNotFoundError` for an
    input that does not exist and `UnreadablePackage` for a WACZ that cannot be read.
    """
    found = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            found += [(file, str(path / file.relative_to(path))) for file in sorted(path.rglob("*"))
                      if file.is_file() and file.name.endswith(WARC_SUFFIXES)]
        elif path.is_file() and path.name.endswith(WACZ_SUFFIX):
            found += wacz_warcs(path, str(given))
        elif path.is_file():
            found.append((path, str(given)))
        else:
            raise FileNotFoundError(f"no WARC file or folder at {given}")
    return found


def url_key(url: str) -> str:
    """The lookup form of a URL: ASCII, scheme and host lower-case, default port and fragment dropped."""
    parts = urlsplit(ascii_uri(url.strip()))
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if parts.port in (None, default) else f"{host}:{parts.port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


class UnresolvedRevisit(LookupError):
    """A revisit record whose original capture is not among the indexed files."""


@dataclass(frozen=True)
class IndexEntry:
    """One `response` or `revisit` record in the index."""

    url: str
    rec_type: str
    status: int | None
    warc_date: str
    record_id: str
    path: Path
    file: str
    offset: int
    refers_to: str | None = None
    refers_to_uri: str | None = None
    refers_to_date: str | None = None
    payload_digest: str | None = None
    content_type: str | None = None
    """The HTTP `Content-Type` header of the captured response, when it has one."""


COLUMNS = tuple(field.name for field in fields(IndexEntry))
BATCH = 2000
"""Entries written to the index per statement."""


def entry_of(stored: StoredRecord, path: Path) -> IndexEntry | None:
    """The index entry of a record, or None for records that are not HTTP captures."""
    if stored.rec_type not in ("response", "revisit") or not stored.target_uri.startswith(("http:", "https:")):
        return None
    return IndexEntry(
        url=stored.target_uri, rec_type=stored.rec_type, status=status_of(stored.record),
        warc_date=stored.header("WARC-Date") or "", record_id=stored.header("WARC-Record-ID") or "",
        path=path, file=stored.file, offset=stored.offset,
        refers_to=stored.header("WARC-Refers-To"), refers_to_uri=stored.header("WARC-Refers-To-Target-URI"),
        refers_to_date=stored.header("WARC-Refers-To-Date"), payload_digest=stored.header("WARC-Payload-Digest"),
        content_type=stored.record.http_headers.get_header("Content-Type") if stored.record.http_headers else None,
    )


def scan_file(path: Path, label: str) -> Iterator[IndexEntry | Damage]:
    """The captures of one WARC file in order, with `Damage` notes for what could not be read."""
    for item in read_records(path, label):
        if isinstance(item, Damage):
            yield item
            continue
        capture = entry_of(item, path)
        if capture is not None:
            yield capture


def scan_into_part(file: tuple[Path, str], folder: Path) -> tuple[Path, Path, list[Damage]]:
    """`scan_file` into an index file of its own in `folder`: what a worker process sends back for a file is
    that file's name and the damage found, not the captures, so that no process holds a whole file's captures."""
    handle, name = tempfile.mkstemp(prefix="nqi-index-part-", suffix=".sqlite3", dir=folder)
    os.close(handle)
    part = ArchiveIndex(Path(name))
    damage: list[Damage] = []
    part._add_scanned(scan_file(*file), damage.append)
    part.close()
    return file[0], part.db_path, damage


class ArchiveIndex:
    """The captures of a set of WARC files, in file order, looked up by URL; kept in an SQLite file."""

    def __init__(self, db_path: Path | None = None, read_only: bool = False) -> None:
        if db_path is None:
            handle, name = tempfile.mkstemp(prefix="nqi-index-", suffix=".sqlite3")
            os.close(handle)
            db_path = Path(name)
            weakref.finalize(self, _remove, db_path)
        self.db_path = db_path
        self.damage: list[Damage] = []
        uri = f"file:{db_path}?mode=ro" if read_only else f"file:{db_path}"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        if not read_only:
            self._db.execute(f"CREATE TABLE IF NOT EXISTS captures (seq INTEGER PRIMARY KEY, key TEXT, "
                             f"{', '.join(COLUMNS)})")
        self._archives = OpenArchives()

    @classmethod
    def open(cls, db_path: Path) -> ArchiveIndex:
        """An index another process built, opened read-only."""
        return cls(db_path, read_only=True)

    @classmethod
    def build(cls, files: list[tuple[Path, str]], on_damage: Callable[[Damage], None] | None = None,
              on_file: Callable[[Path], None] | None = None,
              mapper: Callable[..., Iterable[tuple[Path, Path, list[Damage]]]] | None = None) -> ArchiveIndex:
        """Index `files` (as from `warc_files`); `on_damage` hears of each damaged stretch, `on_file` of each
        file read. `mapper` (`pool.imap`) scans the files in other processes (see `scan_into_part`); without it they
        are scanned here, one record at a time."""
        index = cls()
        if mapper is None:
            for path, label in files:
                index._add_scanned(scan_file(path, label), on_damage)
                if on_file is not None:
                    on_file(path)
        else:
            for path, part, damage in mapper(functools.partial(scan_into_part, folder=index.db_path.parent), files):
                index._add_part(part)
                index._add_scanned(damage, on_damage)
                if on_file is not None:
                    on_file(path)
        index._finish()
        return index

    def _add_part(self, part: Path) -> None:
        """Append the captures of an index file `scan_into_part` wrote, in its order, and remove the file
        (SQLite copies them on disk: memory stays flat)."""
        columns = ", ".join(("key", *COLUMNS))
        self._db.commit()  # ATTACH is refused inside a transaction
        self._db.execute("ATTACH DATABASE ? AS part", (str(part),))
        try:
            self._db.execute(f"INSERT INTO captures ({columns}) SELECT {columns} FROM part.captures ORDER BY seq")
            self._db.commit()
        finally:
            self._db.execute("DETACH DATABASE part")
            _remove(part)

    def _add_scanned(self, items: Iterable[IndexEntry | Damage], on_damage: Callable[[Damage], None] | None) -> None:
        captures = []
        for item in items:
            if isinstance(item, Damage):
                self.damage.append(item)
                if on_damage is not None:
                    on_damage(item)
                continue
            captures.append(item)
            if len(captures) >= BATCH:
                self.add_all(captures)
                captures = []
        self.add_all(captures)

    def add(self, capture: IndexEntry) -> None:
        """Add one capture."""
        self.add_all([capture])

    def add_all(self, captures: Iterable[IndexEntry]) -> None:
        """Add captures, in archive order."""
        rows = (_row(capture) for capture in captures)
        self._db.executemany(f"INSERT INTO captures (key, {', '.join(COLUMNS)}) "
                             f"VALUES (?, {', '.join('?' * len(COLUMNS))})", rows)

    def _finish(self) -> None:
        """Sort the index for lookups (after the bulk of the captures is in)."""
        self._db.execute("CREATE INDEX IF NOT EXISTS by_key ON captures (key, warc_date, seq)")
        self._db.execute("CREATE INDEX IF NOT EXISTS by_id ON captures (record_id)")
        self._db.execute("CREATE INDEX IF NOT EXISTS by_location ON captures (file, offset)")
        self._db.commit()

    def __iter__(self) -> Iterator[IndexEntry]:
        return self.iter_from(0)

    def iter_from(self, position: int, stop: int | None = None) -> Iterator[IndexEntry]:
        """The captures in archive order from the `position`-th (0-based) to before `stop`, read as they go."""
        cursor = self._db.execute(f"SELECT {', '.join(COLUMNS)} FROM captures WHERE seq > ? AND seq <= ? ORDER BY seq",
                                  (position, len(self) if stop is None else stop))
        for row in cursor:
            yield _capture(row)

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM captures").fetchone()[0]

    def _first(self, where: str, params: tuple[object, ...], order: str = "seq") -> IndexEntry | None:
        row = self._db.execute(f"SELECT {', '.join(COLUMNS)} FROM captures WHERE {where} ORDER BY {order} LIMIT 1",
                               params).fetchone()
        return _capture(row) if row else None

    def lookup(self, url: str) -> IndexEntry | None:
        """The latest capture of `url` (by WARC-Date; the later record wins a tie), or None."""
        return self._first("key = ?", (url_key(url),), order="warc_date DESC, seq DESC")

    def at(self, file: str, offset: int) -> IndexEntry | None:
        """The capture at a file label and offset, or None."""
        return self._first("file = ? AND offset = ?", (file, offset))

    def original_of(self, revisit: IndexEntry) -> IndexEntry | None:
        """The capture whose payload a revisit record stands for, or None when it is not in the index."""
        if revisit.refers_to:
            found = self._first("record_id = ?", (revisit.refers_to,))
            if found is not None:
                return found
        key = url_key(revisit.refers_to_uri or revisit.url)
        if revisit.refers_to_date:
            dated = self._first("key = ? AND rec_type = 'response' AND warc_date = ?", (key, revisit.refers_to_date))
            if dated is not None:
                return dated
        if revisit.payload_digest:
            return self._first("key = ? AND rec_type = 'response' AND payload_digest = ?",
                               (key, revisit.payload_digest))
        return None

    def response(self, entry: IndexEntry) -> ArchivedResponse:
        """Read a record back as an HTTP response; a revisit gets its original's payload.

        Raises `DamagedRecord` when the record (or a revisit's original) cannot be read, and
        `UnresolvedRevisit` when a revisit's original is not in the index.
        """
        stored = read_record_at(entry.path, entry.offset, entry.file, self._archives)
        if entry.rec_type != "revisit":
            return archived_response(stored)
        original = self.original_of(entry)
        if original is None:
            raise UnresolvedRevisit(f"{entry.file} at offset {entry.offset} revisits "
                                    f"{entry.refers_to or entry.refers_to_uri}, which is not in the archive")
        return archived_response(stored, read_record_at(original.path, original.offset, original.file, self._archives))

    def close(self) -> None:
        """Close the files that reading captures back opened (reading again reopens them)."""
        self._archives.close()
        self._db.commit()


def _row(capture: IndexEntry) -> tuple[object, ...]:
    values = [getattr(capture, name) for name in COLUMNS]
    values[COLUMNS.index("path")] = str(capture.path)
    return (url_key(capture.url), *values)


def _capture(row: tuple[object, ...]) -> IndexEntry:
    values = dict(zip(COLUMNS, row, strict=True))
    values["path"] = Path(str(values["path"]))
    return IndexEntry(**values)  # type: ignore[arg-type]


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
