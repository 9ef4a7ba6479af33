"""Whitespace cleaning, paragraph joining and URL canonicalization.

Chinese punctuation is kept exactly as printed: nothing here converts `,` to `，` or back.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import url_query_cleaner

logger = logging.getLogger(__name__)

PARAGRAPH_SEPARATOR = "\n\n"
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""CJK ideographs (extension A, unified, compatibility) as the body of a regex character class."""

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff]")
# Control characters other than whitespace (C0 and C1) and private-use characters (the BMP's area and
# planes 15-16): page bytes that are no text (ad markup, icon fonts, a CMS's own markers), never a letter.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f\ue000-\uf8ff\U000f0000-\U0010ffff\u200b\u200c\u200d\ufeff]"
)
# `\s` in a str pattern covers NBSP, U+3000, `\r`, `\t` and the other Unicode spaces.
_WHITESPACE_RUN = re.compile(r"\s+")

TRACKING_PARAMS = frozenset(
    {
        "spm", "from", "fbclid", "gclid", "msclkid", "isappinstalled", "scene",
        "clicktime", "enterid", "wfr", "srcid", "sharer_sharetime", "sharer_shareid",
    }
)
"""Query parameters that only track a visit; `utm_*` and `share*` are matched by prefix."""
TRACKING_PREFIXES = ("utm_", "share")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def remove_zero_width(s: str) -> str:
    """Delete zero-width spaces and joiners (U+200B-U+200D) and the BOM (U+FEFF)."""
    return _ZERO_WIDTH.sub("", s)  # a regex scan: `str.translate` with a table looks up every character


def remove_invisible(s: str) -> str:
    """Delete control characters that are not whitespace, private-use characters and zero-width characters."""
    return _INVISIBLE.sub("", s)


def clean_text(s: str) -> str:
    """Strip the ends and collapse every internal whitespace run to one ASCII space.

    NBSP, U+3000, tabs and `\\r` count as whitespace; zero-width, control (other than whitespace) and
    private-use characters are deleted.
    """
    return _WHITESPACE_RUN.sub(" ", remove_invisible(s)).strip()


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Clean each paragraph with `clean_text` and drop the ones left empty."""
    cleaned = (clean_text(p) for p in paragraphs)
    return [p for p in cleaned if p]


def join_paragraphs(paragraphs: list[str]) -> str:
    """Join paragraphs with a blank line between them."""
    return PARAGRAPH_SEPARATOR.join(paragraphs)


def is_tracking_param(name: str) -> bool:
    """Whether a query parameter name only tracks a visit (`utm_source`, `spm`, `share_token` ...)."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonicalize_url(url: str, canonical_host: str | None = None) -> str:
    """Normalize a URL: lower-case scheme and host, no default port, fragment or tracking parameters.

    The other query parameters keep their order and encoding. `canonical_host` (a host,
    optionally with a port) replaces the URL's host when given.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = canonical_host.lower() if canonical_host else _host_with_port(scheme, parts.hostname, parts.port)
    tracking = [
        pair.split("=", 1)[0] for pair in parts.query.split("&") if is_tracking_param(pair.split("=", 1)[0])
    ]
    query = urlsplit(url_query_cleaner(url, tracking, remove=True, unique=False)).query if tracking else parts.query
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def _host_with_port(scheme: str, hostname: str | None, port: int | None) -> str:
    """The lower-case host, with its port unless it is the scheme's default."""
    host = hostname or ""
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        return f"{host}:{port}"
    return host
