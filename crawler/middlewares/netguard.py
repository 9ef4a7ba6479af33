"""Downloader middleware: the SSRF guard. Refuses a request before any byte of it is sent when

- its scheme is not `http` or `https` (`file:`, `ftp:`, `data:`, `s3:` ... are always refused);
- unless `ALLOW_PRIVATE_NETWORKS` is set: its host is, or resolves to, an address that is not
  globally routable (loopback, private, link-local, cloud metadata, ...; see `crawler.addresses`),
  outside the networks of `NETGUARD_ALLOWED_NETWORKS`.

It runs first among the downloader middlewares, so robots.txt requests, retries and every hop of a
redirect are checked too. The host is resolved through the reactor's resolver, whose cache the
connection then reads; `crawler.resolver.GuardedResolver` checks the answer once more when the
connection is made, which closes the gap a DNS-rebinding name would use.
Each refusal is a log line naming the URL and the address and a stat `netguard/refused/<reason>`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.error import DNSLookupError

from crawler.addresses import address_problem, literal_address, parse_networks, scheme_problem
from crawler.resolver import GuardedResolver
from crawler.switches import switched_off

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from crawler.addresses import IPNetwork

logger = logging.getLogger(__name__)


class RequestRefused(IgnoreRequest):
    """The SSRF guard refused a request; `reason` names the rule (`scheme`, `loopback`, `metadata`, ...)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class NetGuardMiddleware:
    """Refuses requests to other schemes and (unless allowed) to non-public addresses."""

    def __init__(self, stats: StatsCollector, allow_private: bool, allowed: list[IPNetwork]) -> None:
        self.stats = stats
        self.allow_private = allow_private
        self.allowed = allowed
        self._resolver_checked = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NetGuardMiddleware:
        """Wire the guard from settings; off when `REPLAY_WARC` answers every request from archives."""
        settings = crawler.settings
        if settings.get("REPLAY_WARC"):
            raise switched_off("The network guard", "REPLAY_WARC is set: nothing is fetched from the network")
        return cls(crawler.stats, settings.getbool("ALLOW_PRIVATE_NETWORKS"),
                   parse_networks(settings.getlist("NETGUARD_ALLOWED_NETWORKS")))

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        """Raise `RequestRefused` for a request the crawler must not send."""
        parts = urlparse_cached(request)
        if scheme_problem(parts.scheme):
            self._refuse(request, "scheme", f"the scheme {parts.scheme!r} is not fetched (only http and https)")
        if self.allow_private or not parts.hostname:
            return
        address = literal_address(parts.hostname) or await self._resolve(parts.hostname)
        problem = address_problem(address, self.allowed) if address is not None else None
        if problem is not None:
            self._refuse(request, problem, f"{parts.hostname} is {address} ({problem}); ALLOW_PRIVATE_NETWORKS is off")

    async def _resolve(self, host: str) -> str | None:
        """The address the connection will use, or None when the name does not resolve (the download reports it)."""
        from twisted.internet import reactor

        resolver = reactor.resolver  # type: ignore[attr-defined]
        self._check_resolver(resolver)
        lookup = resolver.lookup if isinstance(resolver, GuardedResolver) else reactor.resolve  # type: ignore[attr-defined]
        try:
            return await maybe_deferred_to_future(lookup(host))
        except DNSLookupError:
            return None

    def _check_resolver(self, resolver: object) -> None:
        if self._resolver_checked:
            return
        self._resolver_checked = True
        if not isinstance(resolver, GuardedResolver):
            logger.warning("The DNS resolver is %s, not crawler.resolver.GuardedResolver (TWISTED_DNS_RESOLVER): "
                           "addresses are checked before each request but not again at connect time",
                           type(resolver).__name__)

    def _refuse(self, request: Request, reason: str, detail: str) -> None:
        self.stats.inc_value(f"netguard/refused/{reason}")
        logger.warning("Refused %s: %s", request.url, detail)
        raise RequestRefused(reason, f"refused by the network guard: {detail}")
