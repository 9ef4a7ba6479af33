"""ReleaseParsedTreeMiddleware: a parsed response is freed by reference counting once its output is handled."""

from __future__ import annotations

import asyncio
import gc
import weakref

import pytest
from scrapy.http import HtmlResponse

from crawler.middlewares.release import ReleaseParsedTreeMiddleware

PAGE = b"<html><head><title>t</title></head><body><p>one</p><p>two</p></body></html>"


def parsed_page() -> HtmlResponse:
    return HtmlResponse("https://www.example.cn/a.html", body=PAGE, encoding="utf-8")


def callback(response: HtmlResponse):
    yield {"title": response.selector.css("title::text").get()}
    yield {"paragraphs": response.css("p::text").getall()}


async def async_callback(response: HtmlResponse):
    for item in callback(response):
        yield item


@pytest.fixture
def no_cyclic_gc():
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def test_without_the_middleware_a_parsed_response_is_a_cycle(no_cyclic_gc):
    response = parsed_page()
    alive = weakref.ref(response)
    list(callback(response))
    del response
    assert alive() is not None  # why the middleware exists: only the cyclic collector frees it
    gc.collect()
    assert alive() is None


def test_output_passes_unchanged_and_the_response_is_freed_at_once(no_cyclic_gc):
    response = parsed_page()
    alive = weakref.ref(response)
    output = list(ReleaseParsedTreeMiddleware().process_spider_output(response, callback(response)))
    assert output == [{"title": "t"}, {"paragraphs": ["one", "two"]}]
    del response
    assert alive() is None


def test_async_output_too(no_cyclic_gc):
    response = parsed_page()
    alive = weakref.ref(response)

    async def consume(response: HtmlResponse) -> list:
        return [item async for item in ReleaseParsedTreeMiddleware().process_spider_output_async(
            response, async_callback(response))]

    assert asyncio.run(consume(response)) == [{"title": "t"}, {"paragraphs": ["one", "two"]}]
    del response
    assert alive() is None


def test_a_released_response_can_still_be_parsed_again():
    response = parsed_page()
    list(ReleaseParsedTreeMiddleware().process_spider_output(response, callback(response)))
    assert response.css("title::text").get() == "t"
