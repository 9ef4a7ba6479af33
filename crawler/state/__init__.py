"""The crawl state store: what earlier crawls fetched and exported, per canonical URL.

`STATE_URI` picks the backend: `sqlite:///data/state.sqlite3` (a file, relative to the working
folder; `sqlite:////abs/path` for an absolute one) or `redis://host:port/db`. Components reach
the crawl's store through `crawler.state_store`, set by `crawler.state.extension.StateExtension`.
"""

from __future__ import annotations

import sqlite3

from crawler.state.base import PageState, RunState, StateStore, StoredCapture, utc_now

__all__ = ["PageState", "RunState", "StateStore", "StateStoreUnavailable", "StoredCapture", "open_store", "utc_now"]


class UnsupportedStateURI(ValueError):
    """`STATE_URI` names no backend this crawler has."""


class StateStoreUnavailable(RuntimeError):
    """The store `STATE_URI` names cannot be opened: a file that cannot be created, a Redis that does not answer."""


def open_store(uri: str, prefix: str = "nqi:state", durable: bool = True) -> StateStore:
    """The state store a URI names; `prefix` namespaces Redis keys; a SQLite store not `durable` never waits
    for the disk.

    Raises `UnsupportedStateURI` for a URI of no known backend and `StateStoreUnavailable` when
    the store cannot be opened.
    """
    if uri.startswith("sqlite:///"):
        from crawler.state.sqlite import SqliteStateStore

        try:
            return SqliteStateStore(uri.removeprefix("sqlite:///"), durable=durable)
        except (OSError, sqlite3.Error) as exc:
            raise StateStoreUnavailable(f"cannot open the state store {uri} ({exc}); "
                                        "give STATE_URI=sqlite:///PATH a file in a folder you can write") from exc
    if uri.startswith(("redis://", "rediss://", "unix://")):
        import redis

        from crawler.state.redis_store import RedisStateStore

        try:
            return RedisStateStore(uri, prefix=prefix)
        except redis.RedisError as exc:
            message = (f"cannot reach the Redis state store {uri} ({exc}); "
                       "start Redis there, or point STATE_URI (or REDIS_URL) at a running one")
            raise StateStoreUnavailable(message) from exc
    raise UnsupportedStateURI(f"STATE_URI must be sqlite:///PATH or redis://HOST:PORT/DB, not {uri!r}")
