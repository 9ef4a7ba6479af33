"""What the crawler remembers between runs, and the small interface every state store implements.

Per canonical URL a `PageState`: the capture the last export came from (payload digest, ETag,
Last-Modified, WARC location and date: what a revisit record refers to), a capture staged but
not yet exported, the last body digest, the version number and when the page was first and last
done. Per spider a `RunState`: when its last run started and whether it finished. And the bands
of article MinHash signatures, so repost detection needs no in-memory index, and small named meta
values about the store itself (which signature scheme made its bands).

A backend stores JSON documents (`get_doc`/`put_doc`) and band sets; everything else here is
shared logic, so SQLite and Redis behave the same.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

from archive.capture import Capture


def utc_now() -> str:
    """The current time as ISO 8601 UTC with microseconds (sorts as text)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class StoredCapture:
    """A capture as the store keeps it: its record (what a later revisit refers to) and its HTTP validators."""

    record: Capture
    """Target URI, WARC-Date and payload digest; the record's place when it was archived."""
    etag: str | None = None
    last_modified: str | None = None

    def to_doc(self) -> dict[str, Any]:
        """The JSON object a page document holds (the record's place under `warc`, as items export it)."""
        record = self.record
        return {"target_uri": record.target_uri, "warc_date": record.warc_date,
                "payload_digest": record.payload_digest, "etag": self.etag, "last_modified": self.last_modified,
                "warc": record.location()}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> StoredCapture:
        """The stored capture of a JSON object written by `to_doc`."""
        warc = doc.get("warc") or {}
        record = Capture(target_uri=doc["target_uri"], warc_date=doc["warc_date"], payload_digest=doc["payload_digest"],
                         file=warc.get("file"), offset=warc.get("offset", 0), record_id=warc.get("record_id", ""))
        return cls(record, doc.get("etag"), doc.get("last_modified"))


@dataclass
class PageState:
    """What the store knows of one canonical URL."""

    url: str
    capture: StoredCapture | None = None
    """The capture the last export (or unchanged check) came from."""
    pending: StoredCapture | None = None
    """A capture archived but not yet exported: promoted by `commit`, never lost by a crash."""
    body_sha1: str | None = None
    version: int = 0
    first_seen: str | None = None
    """When the page was first done (exported)."""
    fetched_at: str | None = None
    """When the page was last done: exported, found unchanged, or revisited."""
    exported_at: str | None = None
    """When the page was last exported (None in stores written before this field existed)."""

    def to_json(self) -> str:
        """The JSON document a backend stores."""
        captures = {name: value.to_doc() for name in ("capture", "pending")
                    if (value := getattr(self, name)) is not None}
        return json.dumps(vars(self) | captures, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> PageState:
        """The state from its stored JSON document."""
        data = json.loads(text)
        for name in ("capture", "pending"):
            if data.get(name) is not None:
                data[name] = StoredCapture.from_doc(data[name])
        return cls(**data)


@dataclass
class RunState:
    """A spider's last run: when it started, where its job folder is, how it ended."""

    spider: str
    started_at: str
    status: str = "running"
    """`running` (or killed while running), `paused` (closed early but cleanly) or `finished`."""
    jobdir: str | None = None
    last_finished_at: str | None = None
    """When the spider's last run that finished normally ended."""

    def to_json(self) -> str:
        """The JSON document a backend stores."""
        return json.dumps(asdict(self), sort_keys=True)


class StateStore(ABC):
    """The crawl state behind one small interface; `sqlite:///…` and `redis://…` implement it."""

    @abstractmethod
    def get_doc(self, kind: str, key: str) -> str | None:
        """The stored JSON document of `kind` (`page`, `run`) under `key`, or None."""

    @abstractmethod
    def put_doc(self, kind: str, key: str, doc: str) -> None:
        """Store (durably, before returning) the JSON document of `kind` under `key`."""

    @abstractmethod
    def add_bands(self, key: str, bands: list[bytes]) -> None:
        """Index `key` under each LSH band hash (band i is `bands[i]`)."""

    @abstractmethod
    def band_matches(self, bands: list[bytes]) -> set[str]:
        """Every key indexed under at least one of these band hashes (same band position)."""

    @abstractmethod
    def clear_bands(self) -> bool:
        """Remove every key from every band; whether there was any."""

    @abstractmethod
    def close(self) -> None:
        """Release connections and files."""

    @abstractmethod
    def keys(self, kind: str) -> Iterator[str]:
        """Every key holding a document of `kind`."""

    @abstractmethod
    def delete_docs(self, kind: str, keys: list[str]) -> int:
        """Delete the documents of `kind` under `keys`; how many there were."""

    @abstractmethod
    def remove_from_bands(self, keys: list[str]) -> None:
        """Take `keys` out of every LSH band."""

    def pages(self) -> Iterator[PageState]:
        """Every page the store holds."""
        for key in list(self.keys("page")):
            page = self.page(key)
            if page is not None:
                yield page

    def forget(self, urls: list[str]) -> int:
        """Forget these canonical URLs (their state and repost signatures): the next crawl finds them new."""
        self.remove_from_bands(urls)
        return self.delete_docs("page", urls)

    def forget_run(self, spider: str) -> bool:
        """Forget a spider's run record (when it last started and finished)."""
        return self.delete_docs("run", [spider]) > 0

    def get_meta(self, name: str) -> str | None:
        """The store's meta value `name` (a `meta` document), or None when never set."""
        doc = self.get_doc("meta", name)
        return json.loads(doc) if doc is not None else None

    def set_meta(self, name: str, value: str) -> None:
        """Set the store's meta value `name`."""
        self.put_doc("meta", name, json.dumps(value, ensure_ascii=False))

    def page(self, url: str) -> PageState | None:
        """The state of a canonical URL, or None when the crawler has never done it."""
        doc = self.get_doc("page", url)
        return PageState.from_json(doc) if doc is not None else None

    def put_page(self, state: PageState) -> None:
        """Store a page's state."""
        self.put_doc("page", state.url, state.to_json())

    def stage(self, url: str, capture: StoredCapture) -> None:
        """Remember a fresh capture of `url` until its item is exported (or found unchanged)."""
        state = self.page(url) or PageState(url)
        state.pending = capture
        self.put_page(state)

    def commit(self, url: str, body_sha1: str, version: int, exported: bool = True) -> PageState:
        """The page is done (exported, or found unchanged): its staged capture becomes the current one,
        with this body and version."""
        state = self.page(url) or PageState(url)
        now = utc_now()
        state.capture = state.pending or state.capture
        state.pending = None
        state.body_sha1, state.version = body_sha1, version
        state.first_seen = state.first_seen or now
        state.fetched_at = now
        if exported:
            state.exported_at = now
        self.put_page(state)
        return state

    def touch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> None:
        """The page was found not modified: note the time (and fresher validators the server sent)."""
        state = self.page(url)
        if state is None:
            return
        if state.capture is not None and (etag or last_modified):
            state.capture = replace(state.capture, etag=etag or state.capture.etag,
                                    last_modified=last_modified or state.capture.last_modified)
        state.fetched_at = utc_now()
        self.put_page(state)

    def run(self, spider: str) -> RunState | None:
        """The spider's last run, or None."""
        doc = self.get_doc("run", spider)
        return RunState(**json.loads(doc)) if doc is not None else None

    def put_run(self, run: RunState) -> None:
        """Store a spider's run state."""
        self.put_doc("run", run.spider, run.to_json())

    def known(self, url: str, spider: str) -> bool:
        """Whether `url` was exported by a run of `spider` that finished (so a crash never hides a page)."""
        state = self.page(url)
        if state is None or state.first_seen is None:
            return False
        run = self.run(spider)
        return run is not None and run.last_finished_at is not None and state.first_seen <= run.last_finished_at
