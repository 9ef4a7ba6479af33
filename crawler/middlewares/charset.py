"""Downloader middleware: read each page in the charset its bytes are really in.

Scrapy (through w3lib) trusts the first declaration it finds: byte order mark, then the
`Content-Type` header, then `<meta>`; with none it tries ascii, utf-8 and cp1252. Chinese sites
often declare UTF-8 in the header over a GBK body, or declare nothing, and both give mojibake.
The rule here:

1. A byte order mark decides (as in browsers).
2. A body that is valid UTF-8 and holds at least `UTF8_EVIDENCE` non-ASCII bytes is UTF-8, whatever
   the label: text in a legacy charset (GBK, Big5, cp1252) is practically never valid UTF-8, while
   every legacy decoder reads UTF-8 bytes as mojibake without a single error.
3. The first declaration (header, else `<meta>`) is kept when the body decodes with it, or when
   only a few bytes fail (at most `CHARSET_MAX_INVALID_RATIO` of the non-ASCII bytes: a damaged
   page, not a wrong label).
4. A declaration that fails beyond that is wrong: the other declaration, then each of
   `CHARSET_FALLBACKS`, is tried and the first that decodes the whole body wins. When none
   does, the declaration is kept.
5. With no declaration, the first fallback that decodes the whole body wins, else the fallback
   with the fewest invalid bytes.

Labels map to decoders by our own table (`crawler.charsets`, the WHATWG Encoding Standard's: `gbk` and
`gb2312` read as `gb18030`, `big5` as `big5hkscs`, `iso-8859-1` as `cp1252`). The middleware sits below
`HttpCompressionMiddleware` (it needs the decoded body) and sets the response's encoding
explicitly, so `response.encoding` (and each item's `encoding`) names the charset used.

A wrong declaration is counted for every page (`decode/header_charset_wrong`,
`decode/meta_charset_wrong`) and logged at WARNING for the first page of each host that has it
(the same declaration read the same way; once per process, so each replay worker says it once);
the host's later pages alike are logged at DEBUG. A site that mislabels one page mislabels them
all, and a warning per page would bury the log.
"""

from __future__ import annotations

import codecs
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.http import HtmlResponse, TextResponse, XmlResponse

from crawler.charsets import decoder_for, header_label, meta_label
from crawler.middlewares.unusable import looks_binary

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


UTF8_EVIDENCE = 32
"""Non-ASCII bytes that must all form valid UTF-8 before UTF-8 overrules a declared charset."""


@dataclass(frozen=True)
class Decision:
    """The charset a body is read in, where it came from, and what it replaced."""

    encoding: str
    source: str
    """`bom`, `header`, `meta`, `utf8-evidence` or `fallback`."""
    invalid: int = 0
    """Byte sequences that do not decode in `encoding` (each becomes U+FFFD)."""
    wrong: tuple[str, str] | None = None
    """The (source, charset) of a declaration that was overruled."""


WHY = {
    "header": "declared in the header",
    "meta": "declared in <meta>",
    "utf8-evidence": "the body is valid UTF-8",
    "fallback": "the first of CHARSET_FALLBACKS that decodes the body",
}


_HIGH_BYTES = bytes(range(0x80, 0x100))
"""The non-ASCII bytes, deleted with `bytes.translate` to count them in C."""


def invalid_count(body: bytes, encoding: str) -> int:
    """How many byte sequences of `body` fail to decode in `encoding` (0 when it decodes)."""
    try:
        body.decode(encoding)
    except UnicodeDecodeError:
        return body.decode(encoding, errors="replace").count("\ufffd")
    return 0


def declarations(body: bytes, content_type: str | None) -> list[tuple[str, str]]:
    """The charsets the header and the body declare, as (source, Python codec name), header first."""
    found = [("header", decoder_for(header_label(content_type))), ("meta", decoder_for(meta_label(body)))]
    unique: list[tuple[str, str]] = []
    for source, name in found:
        if name and name not in {known for _, known in unique}:
            unique.append((source, name))
    return unique


_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF16_LE, "utf-16-le"))


_BOM_OF = {name: bom for bom, name in _BOMS}


def bom_encoding(body: bytes) -> str | None:
    """The encoding a byte order mark at the start of `body` names (the three browsers honour), or None."""
    return next((name for bom, name in _BOMS if body.startswith(bom)), None)


def choose_encoding(body: bytes, content_type: str | None, fallbacks: Sequence[str],
                    max_invalid_ratio: float) -> Decision:
    """The charset to read `body` in (see the module docstring for the rule)."""
    bom = bom_encoding(body)
    if bom:
        return Decision(bom, "bom", invalid_count(body, bom))
    declared = declarations(body, content_type)
    guesses = [("fallback", name) for name in _resolved(fallbacks) if name not in {n for _, n in declared}]
    if not declared:
        return _best_guess(body, guesses)
    source, name = declared[0]
    non_ascii = len(body) - len(body.translate(None, _HIGH_BYTES))
    if name != "utf-8" and non_ascii >= UTF8_EVIDENCE and invalid_count(body, "utf-8") == 0:
        return Decision("utf-8", "utf8-evidence", 0, wrong=(source, name))
    invalid = invalid_count(body, name)
    if invalid <= max_invalid_ratio * non_ascii:
        return Decision(name, source, invalid)
    for other_source, other in [*declared[1:], *guesses]:
        if invalid_count(body, other) == 0:
            return Decision(other, other_source, 0, wrong=(source, name))
    return Decision(name, source, invalid)


def _best_guess(body: bytes, guesses: list[tuple[str, str]]) -> Decision:
    scored = [(invalid_count(body, name), index, name) for index, (_, name) in enumerate(guesses)]
    invalid, _, name = min(scored)
    return Decision(name, "fallback", invalid)


def _resolved(names: Sequence[str]) -> list[str]:
    resolved = [decoder_for(name) for name in names]
    return [name for name in resolved if name]


class DecodedTextMixin:
    """A text response whose `text` is its body read by exactly the Python codec its `encoding` names.

    Scrapy's `TextResponse.text` passes the name through w3lib's alias table, which has changed between
    releases (w3lib 2.6 reads `big5hkscs` as `big5`); the decision made here must not depend on it.
    """

    __slots__ = ()

    @property
    def text(self) -> str:
        """The body decoded by `self.encoding` (a leading byte order mark of that encoding left out)."""
        if self._cached_ubody is None:
            body, encoding = self.body, self.encoding
            if encoding == bom_encoding(body):
                body = body[len(_BOM_OF[encoding]):]
            self._cached_ubody = body.decode(encoding, errors="replace")
        return self._cached_ubody


class DecodedTextResponse(DecodedTextMixin, TextResponse):
    """A `TextResponse` decoded by the charset rule."""

    __slots__ = ()


class DecodedHtmlResponse(DecodedTextMixin, HtmlResponse):
    """An `HtmlResponse` decoded by the charset rule."""

    __slots__ = ()


class DecodedXmlResponse(DecodedTextMixin, XmlResponse):
    """An `XmlResponse` decoded by the charset rule."""

    __slots__ = ()


def _decoded_class(response: TextResponse) -> type[TextResponse]:
    if isinstance(response, DecodedTextMixin):
        return type(response)
    if isinstance(response, HtmlResponse):
        return DecodedHtmlResponse
    if isinstance(response, XmlResponse):
        return DecodedXmlResponse
    return DecodedTextResponse


def redecode(response: Response, fallbacks: Sequence[str],
             max_invalid_ratio: float) -> tuple[Response, Decision | None]:
    """`response` with its encoding set by `choose_encoding` (non-text responses unchanged, no decision)."""
    if not isinstance(response, TextResponse):
        return response, None
    content_type = response.headers.get("Content-Type", b"").decode("latin-1")
    decision = choose_encoding(response.body, content_type, fallbacks, max_invalid_ratio)
    return response.replace(cls=_decoded_class(response), encoding=decision.encoding), decision


class CharsetMiddleware:
    """Sets each text response's encoding by the browser-like rule; counts and logs wrong charsets."""

    def __init__(self, stats: StatsCollector, settings: BaseSettings) -> None:
        self.stats = stats
        self.settings = settings
        self.told: set[tuple[str, str, str, str, str]] = set()
        """(host, wrong source, its charset, charset used, why) of the wrong declarations logged at WARNING."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CharsetMiddleware:
        """Wire the middleware to the crawl's stats and settings."""
        return cls(crawler.stats, crawler.settings)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        """Return the response re-read in the charset its bytes are in."""
        fixed, decision = redecode(response, self.settings.getlist("CHARSET_FALLBACKS"),
                                   self.settings.getfloat("CHARSET_MAX_INVALID_RATIO"))
        if decision is not None and response.body and not looks_binary(response.body, decision.encoding):
            self._account(response.url, decision)
        return fixed

    def _first_fallback(self) -> str | None:
        names = _resolved(self.settings.getlist("CHARSET_FALLBACKS"))
        return names[0] if names else None

    def _account(self, url: str, decision: Decision) -> None:
        if decision.wrong is not None:
            source, name = decision.wrong
            self.stats.inc_value(f"decode/{source}_charset_wrong")
            told = (urlsplit(url).hostname or "", source, name, decision.encoding, decision.source)
            first = told not in self.told
            self.told.add(told)
            logger.log(logging.WARNING if first else logging.DEBUG,
                       "The %s of %s declares %s but the body is not %s: decoded as %s (%s)%s",
                       source, url, name, name, decision.encoding, WHY[decision.source],
                       f"; said once for this host, its later pages alike count in decode/{source}_charset_wrong"
                       if first else "")
        elif decision.source == "fallback":
            self.stats.inc_value("decode/charset_undeclared")
            level = logging.DEBUG if decision.encoding == self._first_fallback() else logging.INFO
            logger.log(level, "%s declares no charset: decoded as %s", url, decision.encoding)
        if decision.invalid:
            self.stats.inc_value("decode/invalid_bytes", decision.invalid)
            logger.warning("%s has %d byte sequences that are not valid %s (each becomes U+FFFD)",
                           url, decision.invalid, decision.encoding)
