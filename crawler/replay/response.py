"""A Scrapy response built from an archived one."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response

    from archive.payload import ArchivedResponse

REPLAYED_FLAG = "replayed"


def scrapy_response(request: Request, archived: ArchivedResponse) -> Response:
    """The archived response as Scrapy would have received it for `request` (body already decoded)."""
    headers = Headers()
    for name, value in archived.headers:
        headers.appendlist(name, _header_bytes(value))
    response_class = responsetypes.from_args(headers=headers, url=request.url, body=archived.body)
    return response_class(
        url=request.url,
        status=archived.status,
        headers=headers,
        body=archived.body,
        request=request,
        flags=[REPLAYED_FLAG],
        protocol=archived.protocol,
        ip_address=_ip(archived.ip_address),
    )


def _header_bytes(value: str) -> bytes:
    """warcio decodes header bytes as UTF-8, else latin-1: encode back the same way as far as possible."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")


def _ip(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value) if value else None
    except ValueError:
        return None
