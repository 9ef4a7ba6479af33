"""A quiet INFO log: the dumps Scrapy and Spidermon write at INFO are relabelled DEBUG.

Scrapy logs, for every crawler of a process, its versions, add-ons, enabled components,
overridden settings and final stats at INFO, and Spidermon its monitor results line by line:
most of a crawl's INFO log. `DemoteToDebug` is a logging filter on the logger that writes such
records: a record whose message starts with one of its prefixes becomes a DEBUG record (the
handlers, which check the level after the logger's filters, then show it only at DEBUG).
`LOG_DUMPS_LEVEL` (`DEBUG` by default) names the level they get; `INFO` keeps Scrapy's own
behaviour. Errors and warnings are never touched. The prefixes are the messages' own words, so a
Scrapy that rewords one only makes that dump visible again.
"""

from __future__ import annotations

import logging

SCRAPY_DUMPS = {
    "scrapy.utils.log": ("Versions:",),
    "scrapy.addons": ("Enabled addons:",),
    "scrapy.middleware": ("Enabled ",),
    "scrapy.crawler": ("Overridden settings:",),
    "scrapy.statscollectors": ("Dumping Scrapy stats:",),
}
"""Logger name -> the starts of the INFO messages it dumps."""

SPIDERMON_PREFIX = "[Spidermon] "
"""How Spidermon's result lines start (it logs them through the spider's logger)."""


class DemoteToDebug(logging.Filter):
    """Relabels INFO records whose message starts with one of `prefixes` to `level` (DEBUG by default)."""

    def __init__(self, prefixes: tuple[str, ...], level: int = logging.DEBUG) -> None:
        super().__init__()
        self.prefixes = prefixes
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        """Relabel a dump; every record passes on (the handlers judge the new level)."""
        if record.levelno == logging.INFO and isinstance(record.msg, str) and record.msg.startswith(self.prefixes):
            record.levelno, record.levelname = self.level, logging.getLevelName(self.level)
        return True


def demote(logger_name: str, prefixes: tuple[str, ...], level: int | str = logging.DEBUG) -> None:
    """Give the logger a `DemoteToDebug` filter for `prefixes` at `level` (replacing the one it had)."""
    logger = logging.getLogger(logger_name)
    for existing in [f for f in logger.filters if isinstance(f, DemoteToDebug) and f.prefixes == prefixes]:
        logger.removeFilter(existing)
    logger.addFilter(DemoteToDebug(prefixes, logging.getLevelName(level.upper()) if isinstance(level, str) else level))


def demote_scrapy_dumps(level: int | str = logging.DEBUG) -> None:
    """Relabel Scrapy's versions, add-ons, components, settings and stats dumps to `level`."""
    for name, prefixes in SCRAPY_DUMPS.items():
        demote(name, prefixes, level)


def demote_spidermon_lines(spider_name: str, level: int | str = logging.DEBUG) -> None:
    """Relabel Spidermon's INFO result lines, written through the spider's logger, to `level`."""
    demote(spider_name, (SPIDERMON_PREFIX,), level)
