"""A spider for the WARC fidelity test: fetches a start page and every link on it, whatever the answer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy


class FidelitySpider(scrapy.Spider):
    """Follows every link of `-a start_url=...` once."""

    name = "fidelity"

    def __init__(self, start_url: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_url = start_url

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.start_url)

    def parse(self, response: scrapy.http.Response) -> Iterator[scrapy.Request]:
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.ignore, errback=self.ignore)

    def ignore(self, *args: Any) -> None:
        return None
