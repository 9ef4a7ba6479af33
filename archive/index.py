"""An in-memory index of a set of WARC files: which captures they hold, by URL, read back lazily.

One pass over the files notes every `response` and `revisit` record (URL, status, date, file,
offset, record ID, what a revisit refers to); records are read again only when asked for. A
revisit is answered with the payload of the capture it refers to (by `WARC-Refers-To`, else by
target URI and date, else by payload digest).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from archive.http import ascii_uri
from archive.payload import ArchivedResponse, archived_response, status_of
from archive.reader import Damage, OpenArchives, StoredRecord, read_record_at, read_records

logger = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz", ".warc.gz.open", ".warc.open")


def warc_files(inputs: Iterable[str | os.PathLike[str]]) -> list[tuple[Path, str]]:
    """(path, label) of every WARC file named or found (recursively, sorted) in the folders named.

    The label is the path as the user gave it, joined with the file's path inside a folder.
    Raises `FileNotFoundError` for an input that does not exist.
    """
    found = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            found += [(file, str(path / file.relative_to(path))) for file in sorted(path.rglob("*"))
                      if file.is_file() and file.name.endswith(WARC_SUFFIXES)]
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


class ArchiveIndex:
    """The captures of a set of WARC files, in file order, looked up by URL."""

    def __init__(self) -> None:
        self.entries: list[IndexEntry] = []
        self.damage: list[Damage] = []
        self._by_url: dict[str, list[IndexEntry]] = {}
        self._by_id: dict[str, IndexEntry] = {}
        self._by_location: dict[tuple[str, int], IndexEntry] = {}
        self._archives = OpenArchives()

    @classmethod
    def build(cls, files: list[tuple[Path, str]], on_damage: Callable[[Damage], None] | None = None,
              on_file: Callable[[Path], None] | None = None) -> ArchiveIndex:
        """Index `files` (as from `warc_files`); `on_damage` hears of each damaged stretch, `on_file` of each
        file read."""
        index = cls()
        for path, label in files:
            for item in read_records(path, label):
                if isinstance(item, Damage):
                    index.damage.append(item)
                    if on_damage is not None:
                        on_damage(item)
                    continue
                entry = entry_of(item, path)
                if entry is not None:
                    index.add(entry)
            if on_file is not None:
                on_file(path)
        return index

    def add(self, entry: IndexEntry) -> None:
        """Add one record's entry."""
        self.entries.append(entry)
        self._by_url.setdefault(url_key(entry.url), []).append(entry)
        self._by_location[(entry.file, entry.offset)] = entry
        if entry.record_id:
            self._by_id[entry.record_id] = entry

    def __iter__(self) -> Iterator[IndexEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, url: str) -> IndexEntry | None:
        """The latest capture of `url` (by WARC-Date; the later record wins a tie), or None."""
        captures = self._by_url.get(url_key(url))
        if not captures:
            return None
        return max(enumerate(captures), key=lambda pair: (pair[1].warc_date, pair[0]))[1]

    def at(self, file: str, offset: int) -> IndexEntry | None:
        """The capture at a file label and offset, or None."""
        return self._by_location.get((file, offset))

    def original_of(self, revisit: IndexEntry) -> IndexEntry | None:
        """The capture whose payload a revisit record stands for, or None when it is not in the index."""
        if revisit.refers_to and revisit.refers_to in self._by_id:
            return self._by_id[revisit.refers_to]
        candidates = [c for c in self._by_url.get(url_key(revisit.refers_to_uri or revisit.url), [])
                      if c.rec_type == "response"]
        dated = [c for c in candidates if revisit.refers_to_date and c.warc_date == revisit.refers_to_date]
        same_payload = [c for c in candidates if revisit.payload_digest and c.payload_digest == revisit.payload_digest]
        matches = dated or same_payload
        return matches[0] if matches else None

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
