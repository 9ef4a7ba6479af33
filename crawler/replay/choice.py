"""Which archived captures a replay parses, and what it tells the user about the ones it skips.

A capture is parsed when it is a `200` `response` record of an article URL of a known site, or,
with `--generic` (`REPLAY_GENERIC`), an HTML page on a host that no site spider owns (parsed by
the generic extractor, as the `page` spider would). Every other capture is skipped for a reason,
counted as `replay/skipped/<reason>`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from spiders.registry import spider_for_url

if TYPE_CHECKING:
    from collections.abc import Mapping

    from archive.index import IndexEntry

HTML_TYPES = ("text/html", "application/xhtml+xml")
NO_SPIDER_HOSTS = "replay/no_spider_hosts"
"""The stat counting the hosts of the captures skipped as `no_spider`."""


def is_html(capture: IndexEntry) -> bool:
    """Whether a capture's `Content-Type` names HTML (a capture without one may be HTML too)."""
    if not capture.content_type:
        return True
    return capture.content_type.split(";", 1)[0].strip().lower() in HTML_TYPES


def skip_reason(capture: IndexEntry, generic: bool = False) -> str | None:
    """Why a capture yields no item (`revisit`, `status`, `no_spider`, `not_html`, `not_article`), or None."""
    if capture.rec_type != "response":
        return capture.rec_type
    if capture.status != 200:
        return "status"
    owner = spider_for_url(capture.url)
    if owner is None:
        if not generic:
            return "no_spider"
        return None if is_html(capture) else "not_html"
    if not owner.site.is_article(capture.url):
        return "not_article"
    return None


def host_of(url: str) -> str:
    """The host of a URL, lower-case ('' when it has none)."""
    return (urlsplit(url).hostname or "").lower()


def skipped_note(stats: Mapping[str, Any]) -> str | None:
    """What the end of a replay says about captures it skipped because no site spider owns their hosts."""
    count = int(stats.get("replay/skipped/no_spider", 0))
    if not count:
        return None
    hosts = int(stats.get(NO_SPIDER_HOSTS, 0))
    return (f"{count} capture{'s' * (count != 1)} on {hosts} host{'s' * (hosts != 1)} "
            "no site spider owns: use --generic")
