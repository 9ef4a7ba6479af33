"""HTTP messages as a WARC stores them: status lines, header bytes, headers that tell the truth.

A crawler's HTTP client removes the chunked transfer coding before anyone sees the body. The
stored block then holds the de-chunked body, so its headers must say so: `Transfer-Encoding`
is dropped, the true `Content-Length` is given, and the headers as received are kept under an
`X-Archive-Orig-` prefix. Content codings (gzip, br, ...) are not touched: the body stays
compressed exactly as the server sent it.
"""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import quote

ORIGINAL_PREFIX = "X-Archive-Orig-"

Headers = list[tuple[str, str]]


def message_head(first_line: str, headers: Headers) -> bytes:
    """The bytes of an HTTP message head as a WARC block stores it: first line, header lines, blank line.

    Header values read off the wire are decoded as latin-1, so encoding the head as latin-1 gives
    the exact bytes back. A head that latin-1 cannot encode is written as warcio writes it, with
    non-ASCII header values percent-encoded.
    """
    text = first_line + "\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers) + "\r\n"
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        # Imported here: the WARC writer process needs warcio only for such heads, and starts faster without it.
        from warcio.statusandheaders import StatusAndHeaders

        return StatusAndHeaders(first_line, list(headers), is_http_request=True).to_ascii_bytes()


def reason_phrase(status: int) -> str:
    """The standard reason phrase of a status code ('' when the code is not registered)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def header_value(headers: Headers, name: str) -> str | None:
    """The first value of header `name` (case-insensitive), or None."""
    wanted = name.lower()
    return next((value for key, value in headers if key.lower() == wanted), None)


def stored_headers(headers: Headers, body_length: int, truncated: bool = False) -> Headers:
    """Response headers rewritten to describe a stored body that was de-chunked (or cut short).

    `headers` are the headers as received, in order. When they announce a transfer coding, or
    when the body was cut short, `Transfer-Encoding` and `Content-Length` are renamed with the
    `X-Archive-Orig-` prefix in place and the true `Content-Length` is appended. Otherwise the
    headers are returned unchanged.
    """
    dechunked = header_value(headers, "Transfer-Encoding") is not None
    if not dechunked and not truncated:
        return list(headers)
    stale = {"transfer-encoding", "content-length"}
    rewritten = [(ORIGINAL_PREFIX + key if key.lower() in stale else key, value) for key, value in headers]
    rewritten.append(("Content-Length", str(body_length)))
    return rewritten


def ascii_uri(uri: str) -> str:
    """`uri` with every non-ASCII character percent-encoded as UTF-8 (ASCII characters kept)."""
    if uri.isascii():
        return uri
    return "".join(char if char.isascii() else quote(char, safe="") for char in uri)
