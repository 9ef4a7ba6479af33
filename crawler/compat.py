"""Every use of a private name of Scrapy, parsel, lxml or Twisted, in one place (the only one: a test greps).

Each use says which public API is missing. `tests/unit/test_compat.py` is the canary: it fails with a
clear message when an upgrade renames or changes one of them, and `check_private_names` refuses to
start a crawl on such a version (pyproject.toml pins Scrapy to the versions the canary passed on).

What is here:

- `WireKeepingHTTP11Handler`: Scrapy's HTTP/1.1 download handler that also hands on each response's
  status line and header lines as received (Scrapy's `Response` keeps neither the reason phrase nor
  the header lines: Twisted drops the connection-control headers and both re-capitalize names);
- `Element`, `FeedParser`, `ErrorLog`: lxml's types, for annotations.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import scrapy
from lxml import etree
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import ResponseDataLossError
from scrapy.utils.defer import maybe_deferred_to_future


class CompatError(RuntimeError):
    """The installed Scrapy, parsel, lxml or Twisted lacks a private name this module relies on."""


_UPGRADE_HINT = "which crawler/compat.py relies on: install the Scrapy version pyproject.toml names"

try:
    from scrapy.core.downloader.handlers.http11 import (
        _LenientHTTP11ClientFactory,  # private: the lenient client's classes are not exported
        _LenientHTTP11ClientProtocol,
        _LenientHTTPClientParser,
        _ScrapyAgent,
    )

    # private: the context manager that turns Twisted's errors into Scrapy's download exceptions, and
    # the warning text of a cut-short body, are not exported (every built-in handler imports them)
    from scrapy.utils._download_handlers import get_dataloss_msg, wrap_twisted_exceptions
except ImportError as exc:
    raise CompatError(f"Scrapy {scrapy.__version__}: {exc}, {_UPGRADE_HINT}") from exc

if TYPE_CHECKING:
    import logging

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.internet.defer import Deferred
    from twisted.internet.interfaces import IAddress
    from twisted.web._newclient import Request as TxRequest  # private: Twisted exports no name for it
    from twisted.web.iweb import IResponse

Element = etree._Element
"""lxml's element type: lxml exports it only under this name (its API reference and lxml-stubs use it)."""
FeedParser = etree._FeedParser
"""The base of lxml's HTML and XML parsers (exported only under this name)."""
ErrorLog = etree._ListErrorLog
"""A parser's error log type (exported only under this name)."""

WireReceived = Callable[["Request", bytes, Sequence[tuple[bytes, bytes]]], None]
"""Told of a request's response status line and header lines as received (the lists, not copies)."""


def _pairs(pairs: list[tuple[str, Any, str]]) -> list[str]:
    return [f"{owner}.{name}" for owner, obj, name in pairs if not hasattr(obj, name)]


def check_private_names() -> None:
    """Raise `CompatError`, naming what is missing, when the installed libraries lack a private name used here."""
    missing = _pairs([
        ("_ScrapyAgent", _ScrapyAgent, "_cb_bodyready"),
        ("_LenientHTTP11ClientProtocol", _LenientHTTP11ClientProtocol, "_parser"),
        ("_LenientHTTP11ClientFactory", _LenientHTTP11ClientFactory, "buildProtocol"),
        ("_LenientHTTPClientParser", _LenientHTTPClientParser, "statusReceived"),
        ("_LenientHTTPClientParser", _LenientHTTPClientParser, "headerReceived"),
        ("lxml.etree", etree, "_Element"),
        ("lxml.etree", etree, "_FeedParser"),
        ("lxml.etree", etree, "_ListErrorLog"),
    ])
    agent = inspect.signature(_ScrapyAgent.__init__).parameters
    missing += [f"_ScrapyAgent({name}=…)" for name in _AGENT_ARGUMENTS if name not in agent]
    if list(inspect.signature(_ScrapyAgent._cb_bodyready).parameters)[1:3] != ["txresponse", "request"]:
        missing.append("_ScrapyAgent._cb_bodyready(txresponse, request)")
    if missing:
        raise CompatError(f"Scrapy {scrapy.__version__} (with lxml {etree.__version__}) lacks {', '.join(missing)}, "
                          f"{_UPGRADE_HINT}")


def check_handler(handler: HTTP11DownloadHandler) -> None:
    """Raise `CompatError` when a built handler lacks the private attributes `WireKeepingHTTP11Handler` reads."""
    missing = _pairs([("HTTP11DownloadHandler", handler, name) for name in _HANDLER_ATTRIBUTES])
    missing += _pairs([("HTTPConnectionPool", getattr(handler, "_pool", None), "_factory")])
    if missing:
        raise CompatError(f"Scrapy {scrapy.__version__}'s HTTP/1.1 handler lacks {', '.join(missing)}, "
                          f"{_UPGRADE_HINT}")


_AGENT_ARGUMENTS = ("contextFactory", "bindAddress", "pool", "maxsize", "warnsize", "fail_on_dataloss", "crawler",
                    "tls_verbose_logging")
_HANDLER_ATTRIBUTES = ("_pool", "_contextFactory", "_bind_address", "_default_maxsize", "_default_warnsize",
                       "_fail_on_dataloss", "_fail_on_dataloss_warned", "_crawler", "_tls_verbose_logging")
"""What `_ScrapyAgent` is built from (private: Scrapy's handler has no hook to choose its agent)."""


class _WireParser(_LenientHTTPClientParser):
    """Scrapy's lenient response parser that also keeps the status line and header lines as received."""

    def statusReceived(self, status: bytes) -> None:
        """Keep the status line (a 1xx response before the final one starts over)."""
        self.wire_status = status
        self.wire_headers: list[tuple[bytes, bytes]] = []
        super().statusReceived(status)  # type: ignore[no-untyped-call]

    def headerReceived(self, name: bytes, value: bytes) -> None:
        """Keep every header line, connection-control headers included, in order."""
        self.wire_headers.append((name, value))
        super().headerReceived(name, value)  # type: ignore[no-untyped-call]


class _WireProtocol(_LenientHTTP11ClientProtocol):
    """Parses responses with `_WireParser` and attaches its facts to the Twisted response."""

    def request(self, request: TxRequest) -> Deferred[IResponse]:
        """Send `request`; the response carries `_nqi_wire` once its headers are in."""
        deferred = super().request(request)
        # private: HTTP11ClientProtocol.request() builds its parser itself (no parser-class hook);
        # Scrapy's own lenient protocol swaps the class the same way, and the parser holds no
        # state of its own beyond the two lists.
        parser = self._parser
        assert parser is not None
        parser.__class__ = _WireParser

        def attach(response: IResponse) -> IResponse:
            response._nqi_wire = (parser.wire_status, parser.wire_headers)  # type: ignore[attr-defined]
            return response

        deferred.addCallback(attach)
        return deferred


class _WireClientFactory(_LenientHTTP11ClientFactory):
    """Builds `_WireProtocol` connections for the handler's pool."""

    def buildProtocol(self, addr: IAddress | None) -> _WireProtocol:
        """A connection protocol that keeps the wire facts of each response."""
        # private: the factory's callback for idle connections has no public accessor
        return _WireProtocol(self._quiescentCallback)  # type: ignore[no-untyped-call]


class _WireAgent(_ScrapyAgent):
    """Scrapy's agent, telling `wire_received` the wire facts when a response's headers arrive."""

    def __init__(self, wire_received: WireReceived, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.wire_received = wire_received

    # private: the one step that sees both the Twisted response and the Scrapy request
    def _cb_bodyready(self, txresponse: Any, request: Request) -> Any:
        wire = getattr(txresponse, "_nqi_wire", None)
        if wire is not None:
            self.wire_received(request, *wire)
        return super()._cb_bodyready(txresponse, request)


class WireKeepingHTTP11Handler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 download handler; `download_wire` also tells `wire_received` what the wire said."""

    def __init__(self, crawler: Crawler):
        check_private_names()
        super().__init__(crawler)
        check_handler(self)
        # private: HTTPConnectionPool has no public way to choose the protocol factory (Scrapy sets it the same way)
        self._pool._factory = _WireClientFactory

    def wire_received(self, request: Request, status_line: bytes, headers: Sequence[tuple[bytes, bytes]]) -> None:
        """Called with each response's status line and header lines as received; subclasses keep them."""

    async def download_wire(self, request: Request, logger: logging.Logger) -> Response:
        """Scrapy's `download_request` (of this version) with an agent that reports the wire facts."""
        agent = _WireAgent(
            self.wire_received,
            contextFactory=self._contextFactory,
            bindAddress=self._bind_address,
            pool=self._pool,
            maxsize=self._default_maxsize,
            warnsize=self._default_warnsize,
            fail_on_dataloss=self._fail_on_dataloss,
            crawler=self._crawler,
            tls_verbose_logging=self._tls_verbose_logging,
        )
        try:
            with wrap_twisted_exceptions():
                return await maybe_deferred_to_future(agent.download_request(request))
        except ResponseDataLossError:
            if not self._fail_on_dataloss_warned:
                logger.warning(get_dataloss_msg(request.url))
                self._fail_on_dataloss_warned = True
            raise
