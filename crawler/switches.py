"""Components turned off by a setting: said once at INFO, not as Scrapy's WARNING.

Scrapy logs a WARNING `Disabled <component>: <reason>` for every `NotConfigured` that carries a
message. A switch the user (or a command) sets on purpose is no problem, so components raise
`switched_off(...)`: the reason at INFO, and a `NotConfigured` without a message. Components that are
off only because another one is (versions without the state store) raise a bare `NotConfigured`.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)


def switched_off(what: str, reason: str) -> NotConfigured:
    """Log at INFO that `what` is off and why; the exception for the component's `from_crawler` to raise."""
    logger.info("%s is off: %s", what, reason)
    return NotConfigured()
