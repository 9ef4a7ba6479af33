"""The fixture mirror: serves `tests/fixtures/` on 127.0.0.1 with realistic HTTP behaviour.

A request for `/<scheme>/<host>/<path>?<query>` answers with the fixture page whose real URL is
`<scheme>://<host>/<path>?<query>` (see tests/fixtures/README.md for `meta.json`). The mirror also
answers requests in absolute form (`GET http://<host>/<path> HTTP/1.1`), as clients send them to an
HTTP proxy, so that a tool such as wget can fetch the real `http://` URLs through it
(`http_proxy=<mirror URL>`). Responses
carry `Content-Type` as the fixture declares it (charset right, wrong or missing), `Last-Modified`
and `ETag` (conditional requests get `304`), gzip when the client accepts it, and chunked
transfer when the fixture asks for it.

The mirror also answers requests in absolute form (`GET http://<host>/<path> HTTP/1.1`), as clients
send them to an HTTP proxy, so that a tool such as wget fetches the real `http://` URLs through it
(`http_proxy=<mirror URL>`).

A page can change between runs: with an overlay folder (`--overlay DIR`, `MirrorServer(overlay=…)`),
a file `DIR/<host folder>/<file>` is served instead of the fixture file of the same relative path,
with `Last-Modified` from its mtime (and an `ETag` from its bytes). The overlay is read at every
request, so a test may write into it while the mirror runs.

    python -m crawler.mirror [--root DIR] [--overlay DIR] [--port N] serve
    python -m crawler.mirror [--root DIR] [--overlay DIR] run -- scrapy crawlall -O data/items.jsonl
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import json
import logging
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


@dataclass
class MirrorPage:
    """One page the mirror serves."""

    url: str
    path: Path
    charset: str = "utf-8"
    content_type: str | None = None
    status: int = 200
    chunked: bool = False
    last_modified: datetime | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def body(self) -> bytes:
        """The page's bytes in the charset it is served in."""
        raw = self.path.read_bytes()
        if self.path.suffix in {".html", ".htm", ".txt", ".xml"} and self.charset.lower() not in {"utf-8", "utf8"}:
            return raw.decode("utf-8").encode(self.charset)
        return raw

    def header_content_type(self) -> str:
        """The Content-Type header as sent (may deliberately lie or omit the charset)."""
        if self.content_type is not None:
            return self.content_type
        if self.path.suffix == ".txt":
            return f"text/plain; charset={self.charset}"
        return f"text/html; charset={self.charset}"


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def mirror_key(url: str) -> str:
    """The lookup key of a real URL: `<scheme>/<netloc><path>?<query>`."""
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}/{parts.netloc.lower()}{parts.path or '/'}{query}"


def load_routes(root: Path) -> dict[str, MirrorPage]:
    """Every page of every `meta.json` under `root`, keyed by `mirror_key` of its real URL."""
    routes: dict[str, MirrorPage] = {}
    for meta_path in sorted(root.glob("*/meta.json")):
        folder = meta_path.parent
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        hosts: set[tuple[str, str]] = set()
        for entry in meta["pages"]:
            page = MirrorPage(
                url=entry["url"],
                path=folder / entry["file"],
                charset=entry.get("charset", "utf-8"),
                content_type=entry.get("content_type"),
                status=int(entry.get("status", 200)),
                chunked=bool(entry.get("chunked", False)),
                last_modified=_parse_time(entry.get("last_modified") or entry.get("captured")),
                headers=dict(entry.get("headers", {})),
            )
            routes[mirror_key(page.url)] = page
            parts = urlsplit(page.url)
            hosts.add((parts.scheme, parts.netloc.lower()))
        robots = folder / "robots.txt"
        if robots.exists():
            for scheme, host in hosts:
                routes.setdefault(f"{scheme}/{host}/robots.txt",
                                  MirrorPage(url=f"{scheme}://{host}/robots.txt", path=robots))
    return routes


class MirrorHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the route table."""

    server: MirrorServer
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""

    def do_GET(self) -> None:
        """Serve a fixture page, a 304, or a 404."""
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        """Like GET without the body."""
        self._serve(send_body=False)

    def _route_key(self) -> str:
        """The route of the request target: `/<scheme>/<host>/<path>`, or an absolute URL as sent to a proxy."""
        if self.path.startswith(("http://", "https://")):
            return mirror_key(self.path)
        return self.path.lstrip("/")

    def _serve(self, send_body: bool) -> None:
        page = self.server.page_for(self._route_key())
        if page is None:
            self._send(404, b"<html><body><h1>404 Not Found</h1></body></html>",
                       {"Content-Type": "text/html; charset=utf-8"}, send_body)
            return
        body = page.body()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        modified = page.last_modified or datetime.fromtimestamp(page.path.stat().st_mtime, UTC)
        headers = {"Content-Type": page.header_content_type(), "ETag": etag,
                   "Last-Modified": format_datetime(modified.astimezone(UTC), usegmt=True), **page.headers}
        if page.status == 200 and self._not_modified(etag, modified):
            self._send(304, b"", {"ETag": etag, "Last-Modified": headers["Last-Modified"]}, send_body)
            return
        if "gzip" in self.headers.get("Accept-Encoding", "") and len(body) > 256:
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        self._send(page.status, body, headers, send_body, chunked=page.chunked)

    def _not_modified(self, etag: str, modified: datetime) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return modified.replace(microsecond=0) <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False

    def _send(self, status: int, body: bytes, headers: dict[str, str], send_body: bool, chunked: bool = False) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if chunked and status != 304:
            self.send_header("Transfer-Encoding", "chunked")
        elif status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not send_body or status == 304:
            return
        if chunked:
            for start in range(0, len(body), 4096):
                piece = body[start:start + 4096]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Log through `logging` instead of stderr."""
        logger.debug("mirror: " + format, *args)


class MirrorServer(ThreadingHTTPServer):
    """A threaded HTTP server of the fixture tree on 127.0.0.1."""

    daemon_threads = True

    def __init__(self, root: Path = DEFAULT_ROOT, port: int = 0, overlay: Path | None = None) -> None:
        self.root = root
        self.overlay = overlay
        self.routes = load_routes(root)
        super().__init__(("127.0.0.1", port), MirrorHandler)

    def page_for(self, key: str) -> MirrorPage | None:
        """The page served at a mirror path: the fixture's, or its overlay file when there is one."""
        page = self.routes.get(key)
        if page is None or self.overlay is None:
            return page
        replacement = self.overlay / page.path.relative_to(self.root)
        if not replacement.is_file():
            return page
        return dataclasses.replace(page, path=replacement, last_modified=None)

    @property
    def url(self) -> str:
        """The base URL to give as `MIRROR_URL`."""
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> MirrorServer:
        """Serve in a background thread."""
        threading.Thread(target=self.serve_forever, name="fixture-mirror", daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self.shutdown()
        self.server_close()


def mirrored_command(command: list[str], mirror_url: str) -> list[str]:
    """A scrapy command line with the mirror settings appended."""
    return [*command, "-s", f"MIRROR_URL={mirror_url}", "-s", "ALLOW_PRIVATE_NETWORKS=True"]


def main(argv: list[str] | None = None) -> int:
    """Command line: `serve` the mirror, or `run` a scrapy command through it."""
    parser = argparse.ArgumentParser(prog="python -m crawler.mirror", description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["serve", "run"])
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    parser.add_argument("--overlay", type=Path, default=None, help="files here replace fixture files")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    server = MirrorServer(args.root, args.port, overlay=args.overlay).start()
    logger.info("Fixture mirror of %s serving %d pages at %s", args.root, len(server.routes), server.url)
    try:
        if args.action == "serve":
            threading.Event().wait()
            return 0
        command = [part for part in args.command if part != "--"]
        return subprocess.call(mirrored_command(command, server.url))
    except KeyboardInterrupt:
        return 130
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
