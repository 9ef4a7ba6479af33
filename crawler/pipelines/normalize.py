"""Turns each `ArticleDraft` from a site parser into a normalized `Article`."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from crawler.items import Article, ArticleDraft
from crawler.normalize import build_article
from crawler.normalize.guards import Rejections
from crawler.pipelines import ItemRejected

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class NormalizePipeline:
    """Repairs mirror-damaged text, resolves dates, splits staff lines out of the body (see `crawler.normalize`)."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        """Wire the pipeline to the crawl's stats."""
        return cls(crawler.stats)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        """Normalize drafts; pass anything else on unchanged."""
        if not isinstance(item, ArticleDraft):
            return item
        article = self._build(item)
        self.account(article)
        return article

    def account(self, article: Article) -> None:
        """Count the article's repairs; warn when it has no publish date."""
        for repair in article.repairs:
            self.stats.inc_value(f"normalize/repairs/{repair}")
        if article.published_at is None:
            self.stats.inc_value("normalize/no_date")
            logger.warning("No publish date found on %s", article.url)

    def _build(self, draft: ArticleDraft) -> Article:
        rejections = Rejections()
        try:
            article = build_article(draft, rejections)
        except Exception as exc:  # a component boundary: one bad page must not stop the crawl
            logger.error("Normalization failed for %s", draft.url, exc_info=True)
            raise ItemRejected("normalize_error", f"{type(exc).__name__}: {exc}") from exc
        for field, _ in rejections.found:
            self.stats.inc_value(f"normalize/rejected/{field}")
        return article
