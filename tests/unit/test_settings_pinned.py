"""The Scrapy defaults our behaviour rests on are our own settings, and Scrapy runs with them."""

from scrapy.settings import default_settings
from scrapy.utils.project import get_project_settings

import crawler.settings as ours

PINNED = [
    "TWISTED_REACTOR", "ROBOTSTXT_PARSER", "RETRY_ENABLED", "RETRY_HTTP_CODES", "REDIRECT_ENABLED",
    "REDIRECT_MAX_TIMES", "METAREFRESH_ENABLED", "METAREFRESH_MAXDELAY", "DOWNLOAD_MAXSIZE", "DOWNLOAD_WARNSIZE",
    "HTTPERROR_ALLOWED_CODES", "COMPRESSION_ENABLED", "HTTPCACHE_ENABLED", "DEPTH_LIMIT", "URLLENGTH_LIMIT",
    "DNS_TIMEOUT", "DUPEFILTER_CLASS", "REQUEST_FINGERPRINTER_CLASS", "SCHEDULER_PRIORITY_QUEUE",
    "FEED_EXPORT_INDENT", "FEED_STORE_EMPTY", "DOWNLOAD_FAIL_ON_DATALOSS", "ROBOTSTXT_OBEY", "COOKIES_ENABLED",
    "FEED_EXPORT_ENCODING", "CONCURRENT_ITEMS", "DOWNLOAD_TIMEOUT", "RETRY_TIMES",
]


def test_each_pinned_default_is_set_by_the_project():
    missing = [name for name in PINNED if not hasattr(ours, name)]
    assert not missing, f"not set in crawler/settings.py: {missing}"


def test_the_crawl_runs_with_the_projects_values():
    settings = get_project_settings()
    for name in PINNED:
        assert settings[name] == getattr(ours, name), name


def test_scrapys_own_defaults_are_known():
    """Where Scrapy's default differs from ours, that is a choice we made; a default that moved under us
    shows up here as a new difference to read (this list only changes on purpose)."""
    differing = sorted(name for name in PINNED if getattr(default_settings, name, None) != getattr(ours, name))
    assert differing == ["CONCURRENT_ITEMS", "COOKIES_ENABLED", "DOWNLOAD_FAIL_ON_DATALOSS", "DOWNLOAD_TIMEOUT",
                         "FEED_EXPORT_ENCODING", "ROBOTSTXT_OBEY"]
