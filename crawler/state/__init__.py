"""The crawl state store: what earlier crawls fetched and exported, per canonical URL.

`STATE_URI` picks the backend: `sqlite:///data/state.sqlite3` (a file, relative to the working
folder; `sqlite:////abs/path` for an absolute one) or `redis://host:port/db`. Components reach
the crawl's store through `crawler.state_store`, set by `crawler.state.extension.StateExtension`.
"""

from __future__ import annotations

from crawler.state.base import PageState, RunState, StateStore, StoredCapture, utc_now

__all__ = ["PageState", "RunState", "StateStore", "StoredCapture", "open_store", "utc_now"]


class UnsupportedStateURI(ValueError):
    """`STATE_URI` names no backend this crawler has."""


def open_store(uri: str, prefix: str = "nqi:state") -> StateStore:
    """The state store a URI names; `prefix` namespaces Redis keys."""
    if uri.startswith("sqlite:///"):
        from crawler.state.sqlite import SqliteStateStore

        return SqliteStateStore(uri.removeprefix("sqlite:///"))
    if uri.startswith(("redis://", "rediss://", "unix://")):
        from crawler.state.redis_store import RedisStateStore

        return RedisStateStore(uri, prefix=prefix)
    raise UnsupportedStateURI(f"STATE_URI must start with sqlite:/// or redis://, not {uri!r}")
