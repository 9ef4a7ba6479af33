"""The generic extractor's item for a synthetic page, as the rule tests of this folder read it."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

from scrapy.http import HtmlResponse

from crawler.normalize import build_article
from crawler.parsing.generic import GenericParser

CAPTURED = datetime(2024, 6, 1, tzinfo=UTC)


def generic_item(html: str, url: str = "http://news.example.org/a/1.html") -> dict:
    """The normalized item `GenericParser` gives for `html` (UTF-8) at `url`, as a dict."""
    response = HtmlResponse(url=url, body=html.encode("utf-8"), encoding="utf-8")
    return asdict(build_article(GenericParser(response, CAPTURED).parse()))
