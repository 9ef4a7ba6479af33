"""A lean loopback HTTP server of a mirror tree, for crawls whose cost should be the crawler's alone.

The fixture mirror (`crawler.mirror.MirrorServer`) answers like a careful web server: a thread
per connection, an ETag digest of every body, conditional requests, and gzip at level 9 for any
client that accepts it. On a two-core machine that costs the crawl the core its WARC writer
would use (see docs/performance.md for the measured cost). This server reads the same tree
(`crawler.mirror.load_routes`) and sends the same bytes, status, `Content-Type` and chunking,
from one asyncio thread with keep-alive, without compression or validators.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from email.utils import format_datetime
from http import HTTPStatus
from pathlib import Path

from crawler.mirror import MirrorPage, load_routes

logger = logging.getLogger(__name__)

NOT_FOUND = b"<html><body><h1>404 Not Found</h1></body></html>"
CHUNK = 4096


def response_bytes(page: MirrorPage | None) -> bytes:
    """The whole HTTP/1.1 response for a page (a 404 for None), chunked when the page asks."""
    if page is None:
        head = "HTTP/1.1 404 Not Found\r\nContent-Type: text/html; charset=utf-8\r\n"
        return f"{head}Content-Length: {len(NOT_FOUND)}\r\n\r\n".encode("latin-1") + NOT_FOUND
    body = page.body()
    lines = [f"HTTP/1.1 {page.status} {HTTPStatus(page.status).phrase}", "Server: nginx",
             f"Content-Type: {page.header_content_type()}"]
    if page.last_modified is not None:
        lines.append(f"Last-Modified: {format_datetime(page.last_modified, usegmt=True)}")
    lines += [f"{name}: {value}" for name, value in page.headers.items()]
    if not page.chunked:
        lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
    lines.append("Transfer-Encoding: chunked")
    pieces = [b"%x\r\n%s\r\n" % (len(body[i:i + CHUNK]), body[i:i + CHUNK]) for i in range(0, len(body), CHUNK)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + b"".join(pieces) + b"0\r\n\r\n"


class _Connection(asyncio.Protocol):
    """One keep-alive connection: answers each GET request in the buffer as it completes."""

    def __init__(self, routes: dict[str, MirrorPage]) -> None:
        self.routes = routes
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the transport to answer on."""
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        """Answer every complete request head received so far (GET without a body)."""
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1")
            assert self.transport is not None
            self.transport.write(response_bytes(self.routes.get(target.lstrip("/"))))


class LeanMirror:
    """Serves a mirror tree on a free 127.0.0.1 port from a background asyncio thread."""

    def __init__(self, root: Path) -> None:
        self.routes = load_routes(root)
        self.loop = asyncio.new_event_loop()
        self.server = self.loop.run_until_complete(
            self.loop.create_server(lambda: _Connection(self.routes), "127.0.0.1", 0)
        )
        self.thread = threading.Thread(target=self.loop.run_forever, name="lean-mirror", daemon=True)

    @property
    def url(self) -> str:
        """The base URL to give as `MIRROR_URL`."""
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    def start(self) -> LeanMirror:
        """Serve in the background."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()
