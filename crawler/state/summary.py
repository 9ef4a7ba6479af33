"""What the state store knows, per site: the figures `scrapy state stats` prints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from spiders.registry import site_spiders, spider_for_url

if TYPE_CHECKING:
    from crawler.state.base import StateStore

OTHER_SITE = "(other)"
"""Pages no site spider owns (a `page` run told to write the store)."""


@dataclass
class SiteSummary:
    """One site's figures."""

    site: str
    known: int = 0
    """Article pages the store holds (fetched at least once)."""
    exported: int = 0
    """Of those, exported at least once (a version number)."""
    last_fetched: str | None = None
    last_exported: str | None = None
    run_started: str | None = None
    run_status: str | None = None

    def add(self, fetched_at: str | None, exported_at: str | None, version: int) -> None:
        """Count one page."""
        self.known += 1
        self.exported += version > 0
        self.last_fetched = max(filter(None, (self.last_fetched, fetched_at)), default=None)
        self.last_exported = max(filter(None, (self.last_exported, exported_at)), default=None)


def owner_name(url: str) -> str:
    """The name of the site spider owning `url`, or `OTHER_SITE`."""
    owner = spider_for_url(url)
    return owner.name if owner is not None else OTHER_SITE


def site_summaries(store: StateStore) -> list[SiteSummary]:
    """Every site spider's figures (zero when the store knows nothing of it), then pages of no site."""
    summaries = {spider.name: SiteSummary(spider.name) for spider in site_spiders()}
    for page in store.pages():
        name = owner_name(page.url)
        summaries.setdefault(name, SiteSummary(name)).add(page.fetched_at, page.exported_at, page.version)
    for summary in summaries.values():
        run = store.run(summary.site)
        if run is not None:
            summary.run_started, summary.run_status = run.started_at, run.status
    return list(summaries.values())
