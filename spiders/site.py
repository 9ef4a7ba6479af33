"""The site declaration: what a site spider knows about its site, as data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit


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

    def owns(self, url: str) -> bool:
        """Whether `url` is on one of the site's domains (any subdomain counts)."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)

    def is_article(self, url: str) -> bool:
        """Whether `url` looks like one of the site's article pages."""
        return bool(self.article_url) and self.owns(url) and re.search(self.article_url, url) is not None
