"""A misbehaving HTTP server on 127.0.0.1: the bad-input corpus.

Unlike the fixture mirror it writes raw bytes to the socket, so it can lie about lengths, reset
the connection mid-body, never answer, loop redirects and serve gzip bombs. Every request is
recorded (host header and path) so tests can tell what the crawler asked for. Each connection
carries one exchange (`Connection: close`).
"""

from __future__ import annotations

import gzip
import socket
import socketserver
import struct
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.badinput import pages

HTML = "text/html"
REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found", 410: "Gone",
           500: "Internal Server Error", 503: "Service Unavailable"}
MAX_SIZE = 400_000
"""The `DOWNLOAD_MAXSIZE` the corpus crawl runs with: the large bodies exceed it."""


@dataclass
class Exchange:
    """One request as received, and the socket to answer on."""

    sock: socket.socket
    method: str
    path: str
    headers: dict[str, str]
    server: CorpusServer

    def send_head(self, status: int, headers: dict[str, str]) -> None:
        """Status line and headers (always `Connection: close`)."""
        lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Unknown')}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def send(self, status: int, body: bytes = b"", content_type: str | None = HTML, **extra: str) -> None:
        """A complete response with a true `Content-Length`."""
        headers = {"Content-Length": str(len(body)), **({"Content-Type": content_type} if content_type else {}),
                   **{name.replace("_", "-"): value for name, value in extra.items()}}
        self.send_head(status, headers)
        self.sock.sendall(body)


Route = Callable[[Exchange], None]


def page(body: str | bytes, content_type: str | None = HTML, encoding: str = "utf-8", status: int = 200) -> Route:
    """A route answering with `body` (encoded in `encoding`) under `content_type`."""
    data = body if isinstance(body, bytes) else body.encode(encoding)
    return lambda exchange: exchange.send(status, data, content_type)


def redirect(target: str | Callable[[CorpusServer], str]) -> Route:
    """A route answering 302 to `target` (a path, or a URL built from the server)."""
    def answer(exchange: Exchange) -> None:
        location = target(exchange.server) if callable(target) else target
        exchange.send(302, b"", None, Location=location)
    return answer


def retry_after(path_failures: int, delay: str) -> Route:
    """503 with `Retry-After: delay` for the first `path_failures` requests, then the article."""
    def answer(exchange: Exchange) -> None:
        if exchange.server.count(exchange.path) <= path_failures:
            exchange.send(503, b"<html><body>busy</body></html>", HTML, Retry_After=delay)
        else:
            exchange.send(200, pages.article_html().encode())
    return answer


def hang(exchange: Exchange) -> None:
    """Read the request, answer nothing, hold the connection until the server stops."""
    exchange.server.stopping.wait(30)


def short_body(exchange: Exchange) -> None:
    """Promise more bytes in `Content-Length` than are sent, then close normally."""
    body = pages.article_html().encode()
    exchange.send_head(200, {"Content-Type": HTML, "Content-Length": str(len(body) + 4000)})
    exchange.sock.sendall(body[: len(body) // 2])


def reset_mid_body(exchange: Exchange) -> None:
    """Send half the body, then reset the connection (RST, not FIN)."""
    body = pages.article_html().encode()
    exchange.send_head(200, {"Content-Type": HTML, "Content-Length": str(len(body))})
    exchange.sock.sendall(body[: len(body) // 2])
    exchange.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def reset_at_once(exchange: Exchange) -> None:
    """Reset the connection (RST) without answering."""
    exchange.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def chunked_too_large(exchange: Exchange) -> None:
    """A chunked body (no length known in advance) that grows past the download limit."""
    exchange.send_head(200, {"Content-Type": HTML, "Transfer-Encoding": "chunked"})
    chunk = b"<p>" + "填充".encode() * 2000 + b"</p>"
    try:
        for _ in range(MAX_SIZE * 3 // len(chunk)):
            exchange.sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        exchange.sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the crawler hung up once it had enough


def gzip_bomb(size: int) -> Route:
    """A small gzip body that inflates to `size` bytes."""
    bomb = gzip.compress(b"<html><body>" + b" " * size, compresslevel=9, mtime=0)
    return lambda exchange: exchange.send(200, bomb, HTML, Content_Encoding="gzip")


@dataclass
class CorpusServer:
    """Serves `routes` on 127.0.0.1 (or another loopback address); records every request."""

    host: str = "127.0.0.1"
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._tcp = _TCPServer((self.host, 0), _Handler)
        self._tcp.corpus = self  # type: ignore[attr-defined]

    @property
    def port(self) -> int:
        return self._tcp.server_address[1]

    def url(self, path: str, host: str | None = None) -> str:
        """The URL of `path` on this server (under another host name when given)."""
        return f"http://{host or self.host}:{self.port}{path}"

    def record(self, host: str, path: str) -> None:
        with self._lock:
            self.requests.append((host, path))

    def count(self, path: str) -> int:
        """How many requests for `path` arrived so far."""
        with self._lock:
            return Counter(p for _, p in self.requests)[path]

    def start(self) -> CorpusServer:
        threading.Thread(target=self._tcp.serve_forever, name="badinput-corpus", daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._tcp.shutdown()
        self._tcp.server_close()


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    request_queue_size = 128  # the crawler opens many connections at once


class _Handler(socketserver.BaseRequestHandler):
    """Reads one request head, records it, runs its route (404 when none)."""

    def handle(self) -> None:
        corpus: CorpusServer = self.server.corpus  # type: ignore[attr-defined]
        head = _read_head(self.request)
        if head is None:
            return
        method, path, headers = head
        corpus.record(headers.get("host", ""), path)
        exchange = Exchange(self.request, method, path, headers, corpus)
        route = corpus.routes.get(path.split("?")[0])
        try:
            if route is None:
                exchange.send(404, b"<html><body>not found</body></html>")
            else:
                route(exchange)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler hung up (a limit it enforces)


def _read_head(sock: socket.socket) -> tuple[str, str, dict[str, str]] | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    return method, path, headers


class ConnectionRecorder:
    """A listening socket that records every connection made to it and answers nothing."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.sock = socket.create_server((host, 0))
        self.sock.settimeout(0.2)
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="connection-recorder", daemon=True)

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            conn.settimeout(0.5)
            try:
                self.connections.append(conn.recv(65536))
            except OSError:
                self.connections.append(b"")
            conn.close()

    def start(self) -> ConnectionRecorder:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()
