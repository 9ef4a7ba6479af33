"""Spider arguments (`-a NAME=VALUE`): each spider declares the names it takes and how to read them.

A spider lists its `Argument`s; `parse_arguments` turns the given strings into values or raises
`UsageError` naming the bad value, or the unknown name with the accepted ones, so a mistyped
`-a maxpages=1` is refused instead of silently ignored. Besides its own, a spider accepts the
names a feed URI uses (`-o data/%(batch)s.jsonl -a batch=x`, Scrapy's feed URI parameters) and
those a scheduler passes (scrapyd's `_job`). The commands check the arguments before a crawl
starts (`crawler.cli.check_arguments`); `from_crawler` checks them again for crawls started
otherwise (scrapyd, a script).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

import scrapy
from scrapy.exceptions import UsageError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

SCHEDULER_ARGUMENTS = frozenset({"_job"})
"""Names a scheduler passes to every spider (scrapyd's job id): accepted and kept, never parsed."""

_FEED_PARAMETER = re.compile(r"%\((\w+)\)")


@dataclass(frozen=True)
class Argument:
    """One `-a NAME=VALUE` a spider takes: its name, the form of its value, and the function reading it."""

    name: str
    form: str
    parse: Callable[[str], Any]

    @property
    def usage(self) -> str:
        """`-a name=FORM`, as the messages show it."""
        return f"-a {self.name}={self.form}"


def feed_parameters(settings: BaseSettings) -> frozenset[str]:
    """The names the `FEEDS` URIs take from spider attributes (`%(name)s`)."""
    return frozenset(name for uri in settings.getdict("FEEDS") for name in _FEED_PARAMETER.findall(str(uri)))


class ArgumentSpider(scrapy.Spider):
    """A spider that takes only the `-a` names it declares in `arguments` (each read and set as an attribute)."""

    arguments: ClassVar[tuple[Argument, ...]] = ()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ArgumentSpider:
        """Refuse unknown names and bad values (`UsageError`) before the spider is made."""
        cls.check_arguments(kwargs, crawler.settings)
        return super().from_crawler(crawler, *args, **kwargs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, **read_arguments(self.arguments, kwargs)})

    @classmethod
    def check_arguments(cls, given: Mapping[str, Any], settings: BaseSettings) -> None:
        """`UsageError` for a bad value, or a name neither declared nor used by a feed URI or a scheduler."""
        accepted = {argument.name for argument in cls.arguments} | SCHEDULER_ARGUMENTS | feed_parameters(settings)
        unknown = sorted(name for name in given if name not in accepted)
        if unknown:
            takes = ", ".join(argument.usage for argument in cls.arguments) or "no arguments"
            names = ", ".join(f"-a {name}" for name in unknown)
            spider = getattr(cls, "name", None) or "site"
            raise UsageError(f"unknown spider argument {names} (for the {spider} spider); it takes {takes}")
        read_arguments(cls.arguments, given)


def read_arguments(accepted: tuple[Argument, ...], given: Mapping[str, Any]) -> dict[str, Any]:
    """The value of each accepted argument, read from `given` (a missing one from ""); `UsageError` for a bad value."""
    values = {}
    for argument in accepted:
        value = given.get(argument.name, "")
        values[argument.name] = argument.parse(value if isinstance(value, str) else str(value))
    return values


def iso_date(name: str) -> Callable[[str], date | None]:
    """A reader of `YYYY-MM-DD` (empty: None)."""

    def parse(value: str) -> date | None:
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            message = f"-a {name} must be a date as YYYY-MM-DD (such as {name}=2024-10-01), not {value!r}"
            raise UsageError(message) from None

    return parse


def positive_int(name: str) -> Callable[[str], int | None]:
    """A reader of a whole number from 1 up (empty: None)."""

    def parse(value: str) -> int | None:
        if not value:
            return None
        try:
            number = int(value)
        except ValueError:
            number = 0
        if number < 1:
            raise UsageError(f"-a {name} must be a whole number from 1 up (e.g. {name}=3), not {value!r}")
        return number

    return parse
