"""What libxml2 does that the parsers' shortcuts rely on, checked once per parser class.

A shortcut that reads the parse's error log (to know that a page's ids are unique, or that its
bytes were valid UTF-8) can only trust a log that lists every error: libxml2 stops logging after a
number of them. A shortcut that reads libxml2's ID table must know how the table answers.
"""

from __future__ import annotations

import functools

from lxml import etree

from crawler.compat import Element, ErrorLog, FeedParser

REDEFINED_ID = etree.ErrorTypes.DTD_ID_REDEFINED
ENCODING_ERRORS = frozenset({etree.ErrorTypes.ERR_INVALID_CHAR, etree.ErrorTypes.ERR_INVALID_ENCODING})
"""What a parse logs for bytes that are not text in its encoding (parsel reads the log the same way)."""


@functools.cache
def full_error_log(parser_class: type[FeedParser]) -> int:
    """How many entries a parse's error log holds when libxml2 stopped logging: a shorter log is complete."""
    parser = parser_class()
    etree.fromstring(b"<html><body>" + b"</span>" * 1000 + b"</body></html>", parser)
    return len(parser.error_log)


def complete_log(root: Element) -> ErrorLog | None:
    """The error log of the parse that made `root`'s document, when it lists every error; else None."""
    parser = root.getroottree().parser
    if parser is None:
        return None
    log = parser.error_log
    return log if len(log) < full_error_log(type(parser)) else None


@functools.cache
def id_table_exact(parser_class: type[FeedParser]) -> bool:
    """Whether `id()` on a page this parser made finds the first element of each id (and `<a name>`),
    and every later element of an id already seen is logged as `DTD_ID_REDEFINED`."""
    parser = parser_class()
    root = etree.fromstring(_PROBE_PAGE, parser)
    found = [element.text for element in root.xpath("id('d n u')")]
    redefined = sorted(entry.message for entry in parser.error_log if entry.type == REDEFINED_ID)
    return found == ["1", "3", "5"] and redefined == ["ID d already defined", "ID n already defined"]


_PROBE_PAGE = (
    b"<html><body><a name='n'>1</a><div id='n'>2</div><p id='d'>3</p><p id='d'>4</p><b id='u'>5</b>"
    b"</body></html>"
)
