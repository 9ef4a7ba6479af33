"""Run by tests/interop/test_warc_backpressure.py in its own process: the WARC middleware with a stopped writer.

    python -m tests.interop.warc_pause WARC_DIR

Builds the WARC middleware of a crawler with `WARC_QUEUE_SIZE=2`, stops its writer process
(SIGSTOP), hands it six responses, and counts the reactor's ticks (every 10 ms) for half a second:
the reactor must go on while four responses wait for room. Then the writer continues (SIGCONT)
and every response must come through. Prints one JSON line of what it saw.
"""

from __future__ import annotations

import json
import os
import signal
import sys

from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.reactor import install_reactor
from scrapy.utils.test import get_crawler

QUEUE_SIZE = 2
RESPONSES = 6


class PauseSpider(Spider):
    """A named spider for the crawler."""

    name = "pause"


def main(warc_dir: str) -> None:
    """Everything above, on the asyncio reactor."""
    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
    from twisted.internet import reactor, task
    from twisted.internet.defer import DeferredList

    from crawler import settings
    from crawler.capture import capture_of
    from crawler.middlewares.warc import WarcMiddleware

    warc_settings = {name: getattr(settings, name) for name in dir(settings) if name.startswith("WARC_")}
    crawler = get_crawler(PauseSpider, {**warc_settings, "WARC_DIR": warc_dir, "WARC_QUEUE_SIZE": QUEUE_SIZE})
    middleware = WarcMiddleware.from_crawler(crawler)
    seen: dict[str, object] = {}
    ticks = [0]

    def tick() -> None:
        ticks[0] += 1

    async def run() -> None:
        writer = middleware.writer.transport.pid  # type: ignore[union-attr]
        os.kill(writer, signal.SIGSTOP)
        clock = task.LoopingCall(tick)
        clock.start(0.01)
        requests = [Request(f"https://www.dutenews.com/n/article/{number}") for number in range(RESPONSES)]
        responses = [HtmlResponse(request.url, body=b"<html>" + os.urandom(30000) + b"</html>", request=request)
                     for request in requests]
        handed = [deferred_from_coro(middleware.process_response(request, response))
                  for request, response in zip(requests, responses, strict=True)]
        await maybe_deferred_to_future(task.deferLater(reactor, 0.5, lambda: None))
        seen.update(ticks_while_stopped=ticks[0], tokens=middleware.room.tokens, waiting=len(middleware.room.waiting),
                    done_while_stopped=sum(1 for each in handed if each.called))
        os.kill(writer, signal.SIGCONT)
        results = await maybe_deferred_to_future(DeferredList(handed, fireOnOneErrback=True, consumeErrors=True))
        seen["passed_on"] = sum(1 for ok, result in results if ok and result in responses)
        seen["offsets"] = [capture_of(request).offset for request in requests]  # type: ignore[union-attr]
        clock.stop()
        await middleware.spider_closed()

    def finish(result: object) -> None:
        seen["error"] = None if not isinstance(result, Exception) and result is None else repr(result)
        print(json.dumps(seen), flush=True)
        reactor.stop()  # type: ignore[attr-defined]

    deferred_from_coro(run()).addBoth(finish)
    reactor.run()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main(sys.argv[1])
