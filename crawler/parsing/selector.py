"""One parse per page: the tree the parsers read, the tree Scrapy's `response.selector` would give.

Scrapy builds `response.selector` from `response.text`: the body is decoded, then parsel strips the
text and encodes it back to UTF-8 for lxml. For a page whose body is valid UTF-8 (no BOM, no NUL
byte, no space at an end that only `str.strip` removes) that round trip gives back the body's own
bytes, stripped, so lxml parses those: the same tree, without the two copies. Any other page is
parsed from `response.text` as Scrapy's selector is.

`page_selector` keeps each response's parse for as long as the response lives (a weak memo: nothing
is set on the response, and the tree goes with it), so the unusable-page check, the page spider's
choice of parser and the site parser read one parse.
"""

from __future__ import annotations

import codecs
import weakref
from typing import TYPE_CHECKING

import lxml.html
from lxml import etree
from parsel import Selector
from scrapy.http import HtmlResponse, XmlResponse
from scrapy.utils.response import get_base_url
from w3lib.html import get_base_url as base_url_in

if TYPE_CHECKING:
    from scrapy.http import TextResponse

    from crawler.compat import Element

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF32_LE)
"""Byte order marks: Scrapy decodes a body by its BOM first, whatever the response's encoding."""
_BASE_URL_CHARACTERS = 4096
"""How much of the text Scrapy searches for `<base href>` (`scrapy.utils.response.get_base_url`)."""

_PAGES: weakref.WeakKeyDictionary[TextResponse, Selector] = weakref.WeakKeyDictionary()


def page_selector(response: TextResponse) -> Selector:
    """The response's parsed page (parsed on the first call for the response; see the module)."""
    found = _PAGES.get(response)
    if found is None:
        found = _PAGES[response] = _parse(response)
    return found


def _parse(response: TextResponse) -> Selector:
    root = _root_from_body(response)
    if root is not None:
        return Selector(root=root, type="html")
    kind = "xml" if isinstance(response, XmlResponse) else "html" if isinstance(response, HtmlResponse) else None
    return Selector(text=response.text, type=kind, base_url=get_base_url(response))


def _root_from_body(response: TextResponse) -> Element | None:
    """The tree parsel would make of `response.text`, parsed from the body; None when it might differ.

    The same bytes reach lxml when the body is valid UTF-8 without a BOM or NUL bytes, and stripping
    its ASCII spaces strips all that `str.strip` would (no other space at either end).
    """
    if not isinstance(response, HtmlResponse) or codecs.lookup(response.encoding).name != "utf-8":
        return None
    body = response.body
    if body.startswith(_BOMS) or b"\x00" in body:
        return None
    stripped = body.strip()
    if not stripped or _space_at_an_end(stripped) or not _is_utf8(stripped):
        return None
    parser = lxml.html.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
    try:
        root = etree.fromstring(stripped, parser=parser, base_url=_base_url(response))
    except etree.XMLSyntaxError:
        return None
    return root if root is not None else None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _space_at_an_end(data: bytes) -> bool:
    """Whether the UTF-8 `data` starts or ends with a character `str.strip` removes (`\\x1c`, U+3000, ...)."""
    return data[:4].decode("utf-8", "ignore")[:1].isspace() or data[-4:].decode("utf-8", "ignore")[-1:].isspace()


def _base_url(response: TextResponse) -> str:
    """Scrapy's base URL of the response, from the start of the text only (a UTF-8 character is at most 4 bytes)."""
    head = response.body[:4 * _BASE_URL_CHARACTERS + 4].decode("utf-8", "ignore")
    return base_url_in(head[:_BASE_URL_CHARACTERS], response.url, response.encoding)
