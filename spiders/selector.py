"""A response's parsed page (`response.selector`), built from the body bytes when that gives the same tree.

Scrapy builds `response.selector` from `response.text`: the body is decoded, then parsel strips the
text and encodes it back to UTF-8 for lxml. For a UTF-8 page that round trip gives back the body's
own bytes (stripped), so lxml can parse those: the same tree, without two copies of the page.
`page_selector` does so when it can tell the trees are the same, and leaves the selector on the
response, so that `response.selector` is that tree for whoever reads it later. When the response
already has its selector, or the page is not plain UTF-8, it is `response.selector` itself.
"""

from __future__ import annotations

import codecs
from typing import TYPE_CHECKING

import lxml.html
from lxml import etree
from scrapy.http import HtmlResponse
from scrapy.selector import Selector
from w3lib.html import get_base_url

from crawler.compat import Element, cache_selector, cached_selector_missing
from spiders.libxml import ENCODING_ERRORS, complete_log

if TYPE_CHECKING:
    from scrapy.http import TextResponse

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF32_LE)
"""Byte order marks: Scrapy decodes a body by its BOM first, whatever the response's encoding."""
_BASE_URL_CHARACTERS = 4096
"""How much of the text Scrapy searches for `<base href>` (`scrapy.utils.response.get_base_url`)."""


def page_selector(response: TextResponse) -> Selector:
    """`response.selector`, built from the body bytes when that gives the same tree (see the module)."""
    if not cached_selector_missing(response):  # built already, or a Scrapy without the cache
        return response.selector
    root = _root_from_body(response)
    if root is None:
        return response.selector
    selector = Selector(root=root, type="html")
    selector.response = response
    cache_selector(response, selector)
    return selector


def _root_from_body(response: TextResponse) -> Element | None:
    """The tree parsel would make of `response.text`, parsed from the body; None when it might differ.

    The same bytes reach lxml when the body is UTF-8 without a BOM or NUL bytes, and stripping its
    ASCII spaces strips all that `str.strip` would (no other space at either end); lxml then logs
    any byte that is not UTF-8, in a log that must be complete.
    """
    if not isinstance(response, HtmlResponse) or codecs.lookup(response.encoding).name != "utf-8":
        return None
    body = response.body
    if body.startswith(_BOMS) or b"\x00" in body:
        return None
    stripped = body.strip()
    if not stripped or _space_at_an_end(stripped):
        return None
    parser = lxml.html.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
    try:
        root = etree.fromstring(stripped, parser=parser, base_url=_base_url(response))
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    log = complete_log(root)
    return root if log is not None and not any(entry.type in ENCODING_ERRORS for entry in log) else None


def _space_at_an_end(data: bytes) -> bool:
    """Whether the UTF-8 `data` starts or ends with a character `str.strip` removes (`\\x1c`, U+3000, ...)."""
    return data[:4].decode("utf-8", "ignore")[:1].isspace() or data[-4:].decode("utf-8", "ignore")[-1:].isspace()


def _base_url(response: TextResponse) -> str:
    """Scrapy's base URL of the response, from the start of the text only (a UTF-8 character is at most 4 bytes)."""
    head = response.body[:4 * _BASE_URL_CHARACTERS + 4].decode("utf-8", "ignore")
    return get_base_url(head[:_BASE_URL_CHARACTERS], response.url, response.encoding)
