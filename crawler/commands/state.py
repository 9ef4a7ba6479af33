"""`scrapy state stats|show URL|forget SITE|URL`: inspect and reset the crawl state store.

    scrapy state stats                 per site: pages known, exported, last fetched, last exported, last run
    scrapy state show URL              what the store holds for one article (JSON)
    scrapy state forget SITE|URL       forget a site's articles (and its run record) or one article

It opens the store the crawls use (`STATE_URI`, or the Redis of `REDIS_URL` in distributed mode),
SQLite or Redis alike. A forgotten article is new to the next crawl: fetched without validators,
exported as version 1, and no longer a known entry that stops list paging.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES

from crawler.cli import reports_errors
from crawler.normalize.text import canonicalize_url
from crawler.state import open_store
from crawler.state.summary import owner_name, site_summaries
from spiders.registry import site_spiders, spider_for_url

if TYPE_CHECKING:
    import argparse

    from scrapy.settings import BaseSettings

    from crawler.state import StateStore

logger = logging.getLogger(__name__)

ACTIONS = ("stats", "show", "forget")
STATS_HEADER = f"{'site':<12} {'known':>6} {'exported':>8}  {'last fetched':<20}  {'last exported':<20}  last run"


def when(stamp: str | None) -> str:
    """A stored UTC time to the second (`2026-01-07T06:15:02Z`), or `—`."""
    return f"{stamp[:19]}Z" if stamp else "—"


def state_uri(settings: BaseSettings) -> str:
    """The store the crawls use: `STATE_URI`, or `REDIS_URL` in distributed mode unless `STATE_URI` was given."""
    if settings.get("REDIS_URL") and (settings.getpriority("STATE_URI") or 0) <= SETTINGS_PRIORITIES["project"]:
        return settings.get("REDIS_URL")
    return settings.get("STATE_URI")


def state_key(url: str) -> str:
    """The store's key of an article URL: its canonical form, with the owning site's canonical host."""
    owner = spider_for_url(url)
    return canonicalize_url(url, owner.site.canonical_host if owner is not None else None)


class Command(ScrapyCommand):
    """Inspect or reset the state store."""

    requires_project = True

    def syntax(self) -> str:
        """Usage line."""
        return "stats | show URL | forget SITE|URL"

    def short_desc(self) -> str:
        """One-line description for `scrapy -h`."""
        return "Show what the crawl state store knows per site or per URL, or forget a site or URL"

    @reports_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Dispatch to the action (a bad `STATE_URI` or an unreachable Redis: one line, exit 2 or 1)."""
        if not args or args[0] not in ACTIONS:
            raise UsageError(f"give one of: {', '.join(ACTIONS)}")
        action, rest = args[0], args[1:]
        if (action == "stats") != (not rest) or len(rest) > 1:
            raise UsageError("stats takes nothing; show takes one URL; forget takes one site name or URL")
        assert self.settings is not None
        store = open_store(state_uri(self.settings), prefix=self.settings.get("STATE_REDIS_PREFIX"))
        try:
            if action == "stats":
                self._stats(store)
            elif action == "show":
                self._show(store, rest[0])
            else:
                self._forget(store, rest[0])
        finally:
            store.close()

    def _stats(self, store: StateStore) -> None:
        print(STATS_HEADER)
        print("-" * len(STATS_HEADER))
        for summary in site_summaries(store):
            run = f"{when(summary.run_started)} ({summary.run_status})" if summary.run_status else "—"
            print(f"{summary.site:<12} {summary.known:>6} {summary.exported:>8}  {when(summary.last_fetched):<20}  "
                  f"{when(summary.last_exported):<20}  {run}")

    def _show(self, store: StateStore, url: str) -> None:
        key = state_key(url)
        page = store.page(key)
        if page is None:
            print(f"{key} is not in the state store: the next crawl that finds it exports it as new")
            self.exitcode = 1
            return
        print(json.dumps(json.loads(page.to_json()), ensure_ascii=False, indent=2))

    def _forget(self, store: StateStore, target: str) -> None:
        names = {spider.name for spider in site_spiders()}
        if target in names:
            count = store.forget([page.url for page in store.pages() if owner_name(page.url) == target])
            store.forget_run(target)
            print(f"Forgot {count} articles of {target} and its last run: the next crawl fetches them again as new")
            return
        if "://" not in target:
            raise UsageError(f"{target!r} is neither a site ({', '.join(sorted(names))}) nor a URL")
        key = state_key(target)
        if store.forget([key]):
            print(f"Forgot {key}: the next crawl fetches it again as new")
        else:
            print(f"{key} is not in the state store: nothing to forget")
