"""The DNS resolver every connection uses: Scrapy's caching resolver, refusing forbidden addresses.

Installed through `TWISTED_DNS_RESOLVER`. Twisted resolves a request's host through the reactor's
resolver right before it connects, IP literals included, so checking the answer here checks the
very address the connection is made to: a name that resolved to a public address when the
`NetGuardMiddleware` looked and to `127.0.0.1` a moment later (DNS rebinding) is still refused.

The resolver belongs to the process, not to one crawl: it reads `ALLOW_PRIVATE_NETWORKS` and
`NETGUARD_ALLOWED_NETWORKS` from the process settings (project settings and `-s` options).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from crawler.addresses import address_problem, parse_networks

if TYPE_CHECKING:
    from collections.abc import Sequence

    from twisted.internet.base import ReactorBase
    from twisted.internet.defer import Deferred

    from crawler.addresses import IPNetwork

logger = logging.getLogger(__name__)


class AddressRefused(DNSLookupError):
    """A host resolved to an address the crawler must not connect to."""

    def __init__(self, host: str, address: str, reason: str) -> None:
        super().__init__(f"{host} resolves to {address} ({reason}): refused, see ALLOW_PRIVATE_NETWORKS")
        self.host = host
        self.address = address
        self.reason = reason


class GuardedResolver(CachingThreadedResolver):
    """`CachingThreadedResolver` whose answers are checked against the address policy."""

    def __init__(self, reactor: ReactorBase, cache_size: int, timeout: float, guard: bool,
                 allowed: Sequence[IPNetwork]) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.guard = guard
        self.allowed = list(allowed)

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: ReactorBase) -> GuardedResolver:  # the CrawlerProcess
        """Build from the process settings."""
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"),
                   guard=not settings.getbool("ALLOW_PRIVATE_NETWORKS"),
                   allowed=parse_networks(settings.getlist("NETGUARD_ALLOWED_NETWORKS")))

    def lookup(self, name: str) -> Deferred[str]:
        """Resolve `name` (cached) without the check: the middleware checks and reports itself."""
        return super().getHostByName(name)

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:  # Twisted names it
        """Resolve `name` for a connection; fails with `AddressRefused` for a forbidden address."""
        deferred = self.lookup(name)
        if self.guard:
            deferred.addCallback(self._checked, name)
        return deferred

    def _checked(self, address: str, name: str) -> str:
        problem = address_problem(address, self.allowed)
        if problem is None:
            return address
        logger.warning("Refused to connect to %s at %s (%s) at connect time", name, address, problem)
        raise AddressRefused(name, address, problem)
