"""The site declaration: what a site spider knows about its site, as data."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_COVERAGE_FLOORS: Mapping[str, float] = MappingProxyType({"title": 1.0, "body": 1.0, "published_at": 1.0})
"""Fields every article of every site carries: a crawl whose items fall below these raises a drift alarm."""


@dataclass(frozen=True)
class Site:
    """A source site: identity, hosts, entry points and how its list pages are read.

    List selectors are CSS (XPath when they start with `/`): `list_entry` selects one entry
    node per article on a list page; within it `list_link` gives the link and `list_date` the
    printed date (optional); `next_page` gives the next list page's link.
    """

    name: str
    site_name: str
    domains: tuple[str, ...]
    canonical_host: str
    start_urls: tuple[str, ...]
    list_entry: str
    list_link: str = "a::attr(href)"
    list_date: str | None = None
    next_page: str | None = None
    article_url: str = ""
    """Regex (searched in the full URL) that tells article pages from other pages of the site."""
    coverage_floors: Mapping[str, float] = field(default_factory=dict, hash=False)
    """Share of items (0 to 1) that normally carry each further field (`source`, `authors`, ...), on top
    of `DEFAULT_COVERAGE_FLOORS`; a crawl below a floor raises a drift alarm (crawler/health)."""

    def floors(self) -> dict[str, float]:
        """The coverage floors of the site: the defaults, overridden and extended by `coverage_floors`."""
        return {**DEFAULT_COVERAGE_FLOORS, **self.coverage_floors}

    def owns(self, url: str) -> bool:
        """Whether `url` is on one of the site's domains (any subdomain counts)."""
        host = url_host(url)
        return host in self.domains or host.endswith(self._subdomain_suffixes)

    def is_article(self, url: str) -> bool:
        """Whether `url` looks like one of the site's article pages."""
        return bool(self.article_url) and self.owns(url) and self._article_pattern.search(url) is not None

    @functools.cached_property
    def _subdomain_suffixes(self) -> tuple[str, ...]:
        return tuple("." + domain for domain in self.domains)

    @functools.cached_property
    def _article_pattern(self) -> re.Pattern[str]:
        return re.compile(self.article_url)


@functools.lru_cache(maxsize=1024)
def url_host(url: str) -> str:
    """The lower-case host of a URL ('' without one); cached, as every site in turn asks about the same URL."""
    return (urlsplit(url).hostname or "").lower()
