"""The site declaration: what a site spider knows about its site, as data."""

from __future__ import annotations

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
        host = (urlsplit(url).hostname or "").lower()
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)

    def is_article(self, url: str) -> bool:
        """Whether `url` looks like one of the site's article pages."""
        return bool(self.article_url) and self.owns(url) and re.search(self.article_url, url) is not None
