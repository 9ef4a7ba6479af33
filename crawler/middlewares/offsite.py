"""Scrapy's downloader `OffsiteMiddleware`, also holding redirects to the spider's sites.

Scrapy lets every redirect of a `dont_filter` request go anywhere (its offsite filter skips such
requests), and filters other offsite redirects with one DEBUG line per domain. Here a redirect hop
to a host outside `allowed_domains` is refused unless its request has `allow_offsite` in its meta,
and each refusal is a log line naming both URLs and a stat `offsite/redirects_filtered`. Links are
filtered as Scrapy does, except URLs of schemes the crawler never fetches (`file:`, `data:`, ...):
Scrapy would drop them without a word, they are left to `NetGuardMiddleware` to refuse.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware as ScrapyOffsiteMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached

from crawler.addresses import scheme_problem

if TYPE_CHECKING:
    from scrapy import Request, Spider

logger = logging.getLogger(__name__)


class OffsiteMiddleware(ScrapyOffsiteMiddleware):
    """Filters offsite requests as Scrapy does, and offsite redirect hops even of `dont_filter` requests."""

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        """Raise `IgnoreRequest` for an offsite request or redirect hop."""
        if scheme_problem(urlparse_cached(request).scheme):
            return  # no host to judge: the network guard refuses the scheme, with a log line and a stat
        sources = request.meta.get("redirect_urls")
        if sources and not request.meta.get("allow_offsite") and not self.should_follow(request, self.crawler.spider):
            self.stats.inc_value("offsite/filtered")
            self.stats.inc_value("offsite/redirects_filtered")
            logger.warning("Not following the redirect from %s to %s: offsite", sources[-1], request.url)
            raise IgnoreRequest(f"Filtered offsite redirect to {request.url}")
        super().process_request(request)
