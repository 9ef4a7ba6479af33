"""The routes of the bad-input corpus: one path per kind of bad input (see docs/bad-input.md)."""

from __future__ import annotations

from tests.badinput import pages
from tests.badinput.server import (
    MAX_SIZE,
    CorpusServer,
    Route,
    chunked_too_large,
    gzip_bomb,
    hang,
    page,
    redirect,
    reset_mid_body,
    retry_after,
    short_body,
)

ARTICLE = pages.article_html()
"""The article with no charset declared in it."""
HTML_NO_CHARSET = "text/html"
GB18030_TEXT = (pages.PARAGRAPHS[0] + pages.GB18030_ONLY, *pages.PARAGRAPHS[1:])
BOM_UTF8 = b"\xef\xbb\xbf"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 8
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 8


def invalid_utf8() -> bytes:
    """A UTF-8 article with two stray bytes in the body (a damaged page, not a wrong label)."""
    body = pages.article_html(charset="utf-8").encode("utf-8")
    cut = body.index("通知要求".encode())
    return body[:cut] + b"\xff\xfe" + body[cut:]


def encoding_routes() -> dict[str, Route]:
    return {
        "/enc/gbk-meta": page(pages.article_html(charset="gbk"), encoding="gbk"),
        "/enc/gb18030-meta": page(pages.article_html(charset="gb18030", paragraphs=GB18030_TEXT), encoding="gb18030"),
        "/enc/header-utf8-over-gbk": page(pages.article_html(charset="gbk"), "text/html; charset=utf-8", "gbk"),
        "/enc/header-utf8-over-gbk-no-meta": page(ARTICLE, "text/html; charset=UTF-8", "gbk"),
        "/enc/undeclared-gbk": page(ARTICLE, HTML_NO_CHARSET, "gbk"),
        "/enc/undeclared-utf8": page(ARTICLE, HTML_NO_CHARSET, "utf-8"),
        "/enc/bom-over-gbk-header": page(BOM_UTF8 + ARTICLE.encode(), "text/html; charset=gbk"),
        "/enc/invalid-bytes": page(invalid_utf8(), "text/html; charset=utf-8"),
    }



def http_routes(server: CorpusServer) -> dict[str, Route]:
    return {
        "/http/404": page("<html><body><h1>404</h1></body></html>", status=404),
        "/http/410": page("<html><body><h1>Gone</h1></body></html>", status=410),
        "/http/500": page("<html><body>error</body></html>", status=500),
        "/http/503-retry-after": retry_after(2, "1"),
        "/http/hang": hang,
        "/http/reset": reset_mid_body,
        "/http/short-body": short_body,
        "/http/chain/1": redirect("/http/chain/2"),
        "/http/chain/2": redirect(lambda s: s.url("/http/chain/3")),
        "/http/chain/3": redirect("/http/chain/end"),
        "/http/chain/end": page(ARTICLE),
        "/http/loop/a": redirect("/http/loop/b"),
        "/http/loop/b": redirect("/http/loop/a"),
        "/http/offsite-redirect": redirect(lambda s: s.url("/offsite/article", host="localhost")),
        "/offsite/article": page(ARTICLE),
        "/http/empty": page(b""),
        "/http/binary": page(PDF, "application/octet-stream"),
        "/http/binary-as-html": page(PNG, "text/html"),
        "/http/too-large": page(("<p>" + "填充" * 1000 + "</p>") * (MAX_SIZE // 3000 * 2)),
        "/http/too-large-chunked": chunked_too_large,
        "/http/gzip-bomb": gzip_bomb(MAX_SIZE * 125),
    }


def html_routes(server: CorpusServer) -> dict[str, Route]:
    return {
        "/html/malformed": page(pages.malformed_html()),
        "/html/no-title": page(pages.article_html(title="")),
        "/html/deep": page(pages.deep_html(300)),
        "/html/too-deep": page(pages.deep_html(5000)),
        "/html/many-links": page(pages.many_links_html(2000, server.url("/", host="localhost"))),
        "/html/script-only": page(pages.script_only_html()),
    }


def security_routes() -> dict[str, Route]:
    return {
        "/robots.txt": page("User-agent: *\nDisallow: /private/\n", "text/plain"),
        **{f"/private/{name}": page(ARTICLE) for name in ("article", "second", "third")},
    }


NOT_ASKED = frozenset({"/robots.txt", "/offsite/article", "/http/chain/2", "/http/chain/3", "/http/chain/end",
                       "/http/loop/b"})
"""Routes the crawler reaches only through robots.txt or a redirect."""


def start_paths(server: CorpusServer) -> list[str]:
    """The corpus pages a crawl is asked for."""
    return sorted(set(server.routes) - NOT_ASKED)


def corpus_server() -> CorpusServer:
    """A started corpus server with every route."""
    server = CorpusServer()
    server.routes.update({**encoding_routes(), **http_routes(server), **html_routes(server), **security_routes()})
    return server.start()
