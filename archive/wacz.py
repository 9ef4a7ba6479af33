"""Reading the WARC files inside a WACZ package (a zip file; see `archive.package` for writing one).

A WACZ keeps its WARCs under `archive/`. `wacz_warcs` copies each of them out, through
`zipfile`, into a scratch folder that lasts as long as the process, so the reader can map them
like any WARC file; each is labelled `<package>#<entry name>`, which items carry as their WARC
file. An entry whose name would escape the package (an absolute path, a `..` part, a drive or
backslash path) is refused: the package is not read at all.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

WACZ_SUFFIX = ".wacz"
WARC_ENTRY_SUFFIXES = (".warc", ".warc.gz")
ARCHIVE_FOLDER = "archive"


class UnreadablePackage(ValueError):
    """A WACZ that cannot be read: not a zip file, or an entry whose name escapes the package."""


_scratch: Path | None = None


def _scratch_folder() -> Path:
    """The process's folder for WARCs copied out of packages, removed when the process exits."""
    global _scratch
    if _scratch is None:
        _scratch = Path(tempfile.mkdtemp(prefix="nqi-wacz-"))
        atexit.register(shutil.rmtree, _scratch, True)
    return _scratch


def safe_entry_name(name: str) -> PurePosixPath:
    """The entry's path inside the package; `UnreadablePackage` when it would land outside it."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or (path.parts and ":" in path.parts[0]):
        raise UnreadablePackage(f"its entry {name!r} would escape the package (absolute path or '..')")
    return path


def warc_entries(package: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The package's WARC entries under `archive/`, in name order; every entry name is checked first."""
    entries = []
    for info in package.infolist():
        path = safe_entry_name(info.filename)
        if not info.is_dir() and path.parts[:1] == (ARCHIVE_FOLDER,) and path.name.endswith(WARC_ENTRY_SUFFIXES):
            entries.append(info)
    return sorted(entries, key=lambda info: info.filename)


def check_package(path: Path, label: str) -> None:
    """`UnreadablePackage` when the WACZ at `path` is no zip file or has an entry whose name escapes it."""
    try:
        with zipfile.ZipFile(path) as package:
            warc_entries(package)
    except UnreadablePackage as exc:
        raise UnreadablePackage(f"{label}: {exc}; not reading this package") from None
    except zipfile.BadZipFile as exc:
        raise UnreadablePackage(f"{label} cannot be read as a WACZ package ({exc})") from None


def wacz_warcs(path: Path, label: str) -> list[tuple[Path, str]]:
    """(copied file, `<label>#<entry>`) of each WARC in the WACZ at `path`; `UnreadablePackage` if it cannot be read."""
    try:
        with zipfile.ZipFile(path) as package:
            try:
                entries = warc_entries(package)
            except UnreadablePackage as exc:
                raise UnreadablePackage(f"{label}: {exc}; not reading this package") from None
            target = Path(tempfile.mkdtemp(dir=_scratch_folder()))
            found = []
            for number, info in enumerate(entries):
                copy = target / f"{number:05d}-{PurePosixPath(info.filename).name}"
                with package.open(info) as source, open(copy, "wb") as sink:
                    shutil.copyfileobj(source, sink, 1 << 20)
                found.append((copy, f"{label}#{info.filename}"))
    except zipfile.BadZipFile as exc:
        raise UnreadablePackage(f"{label} cannot be read as a WACZ package ({exc})") from None
    return found
