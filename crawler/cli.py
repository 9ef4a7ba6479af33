"""What every `scrapy` command of the project shares: exit codes, one-line errors, starting crawls.

Exit codes (README, "Exit codes"):

- 0 (`EXIT_OK`): the run did its job;
- 1 (`EXIT_FAILED`): it failed: no successful response, every input unreadable, an unhandled
  error, the spider closed for a reason other than `finished` (Ctrl-C, a WARC write error);
- 2 (`EXIT_USAGE`): a usage error: a bad option, spider argument or setting, an unknown spider;
- 75 (`EXIT_LOCKED`, EX_TEMPFAIL): another run holds a spider's lock; try again later.

A command's `run` is wrapped with `@reports_errors`: an ordinary mistake or an unavailable service
becomes one line on stderr, `scrapy <command>: error: <what is wrong>; <the fix>`, and its exit
code, without a traceback. Anything else is a bug: its traceback is printed, followed by a line
saying so. Errors raised while a crawl starts (a spider's arguments, an extension's
`from_crawler`) reach the command through `run_crawls`.
"""

from __future__ import annotations

import asyncio
import functools
import sys
import traceback
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import UsageError
from twisted.internet.defer import Deferred

from archive.reader import NotAWarcFile
from archive.wacz import UnreadablePackage
from crawler.locks import SpiderLocked
from crawler.paths import UnsafePath
from crawler.state import StateStoreUnavailable, UnsupportedStateURI

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterable, Mapping

    from scrapy import Spider
    from scrapy.commands import ScrapyCommand
    from scrapy.crawler import Crawler, CrawlerProcessBase
    from scrapy.settings import BaseSettings

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 75


class CommandFailed(Exception):
    """The command cannot do its job for a reason outside the code (unreadable input, a service down): exit 1."""


def explain(error: BaseException) -> tuple[int, str] | None:
    """The exit code and one-line message for an ordinary error, or None when it is a bug."""
    import redis.exceptions  # imported here: every `scrapy` command would pay for it otherwise

    if isinstance(error, UsageError):
        return EXIT_USAGE, str(error)
    if isinstance(error, UnsupportedStateURI | UnsafePath):
        return EXIT_USAGE, str(error)
    if isinstance(error, SpiderLocked):
        return EXIT_LOCKED, f"{error}; wait for that run to end (exit code 75 means: try again later)"
    if isinstance(error, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
        return EXIT_FAILED, f"cannot reach Redis ({error}); start it, or point REDIS_URL at a running one"
    if isinstance(error, NotAWarcFile | UnreadablePackage):
        return EXIT_FAILED, f"{error}; give WARC files (.warc, .warc.gz), WACZ packages, or folders holding WARC files"
    if isinstance(error, StateStoreUnavailable | CommandFailed):
        return EXIT_FAILED, str(error)
    return None


def command_name(command: ScrapyCommand) -> str:
    """The name a command is called by (its module's name, as Scrapy registers it)."""
    return type(command).__module__.rpartition(".")[2]


def reports_errors(run: Callable[[Any, list[str], argparse.Namespace], None]) -> Callable[..., None]:
    """Wrap a command's `run`: ordinary errors become one stderr line and an exit code; bugs keep their traceback."""

    @functools.wraps(run)
    def guarded(command: ScrapyCommand, args: list[str], opts: argparse.Namespace) -> None:
        try:
            run(command, args, opts)
        except UsageError as error:
            if not str(error):
                raise  # Scrapy prints the command's help and exits 2
            fail(command, EXIT_USAGE, str(error))
        except Exception as error:
            known = explain(error)
            if known is None:
                traceback.print_exc()
                fail(command, EXIT_FAILED, f"internal error, a bug in nqi-crawler ({type(error).__name__}: {error}); "
                     "please report it with the traceback above")
            else:
                fail(command, *known)

    return guarded


def fail(command: ScrapyCommand, code: int, message: str) -> None:
    """Print `scrapy <command>: error: <message>` to stderr and set the exit code."""
    print(f"scrapy {command_name(command)}: error: {message}", file=sys.stderr, flush=True)
    command.exitcode = code


def spider_class(process: CrawlerProcessBase, name: str) -> type[Spider]:
    """The project's spider called `name`; `UsageError` listing the spiders when there is none."""
    try:
        return process.spider_loader.load(name)
    except KeyError:
        names = ", ".join(sorted(process.spider_loader.list()))
        raise UsageError(f"no spider named {name!r}; the spiders are {names} (scrapy list)") from None


def check_arguments(spidercls: type[Spider], spargs: Mapping[str, str], settings: BaseSettings) -> None:
    """Refuse bad or unknown `-a` arguments before any crawl starts (see `crawler.arguments`)."""
    check = getattr(spidercls, "check_arguments", None)
    if check is not None:
        check(spargs, settings)


def run_crawls(process: CrawlerProcessBase, crawls: Iterable[tuple[Crawler, Mapping[str, Any]]]) -> list[Exception]:
    """Run the crawlers (with their spider arguments) to the end; returns the errors that kept any from starting.

    Scrapy hands a crawler's start-up error (its spider's `__init__`, an extension's
    `from_crawler`) only to the task or Deferred `crawl` returns; taking it from there keeps it
    from being logged as "Task exception was never retrieved" with its traceback.
    """
    errors: list[Exception] = []
    for crawler, spargs in crawls:
        outcome = process.crawl(crawler, **spargs)
        if isinstance(outcome, Deferred):
            outcome.addErrback(lambda failure: errors.append(failure.value))
        else:
            outcome.add_done_callback(functools.partial(_task_error, errors))
    process.start()
    return errors


def _task_error(errors: list[Exception], task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and (error := task.exception()) is not None and isinstance(error, Exception):
        errors.append(error)


def raise_first(errors: list[Exception]) -> None:
    """Raise the first start-up error, if any (for `reports_errors` to explain)."""
    if errors:
        raise errors[0]


def stats_of(crawler: Crawler) -> dict[str, Any]:
    """A crawler's final stats; empty when it never started (its stats collector was never made)."""
    try:
        return crawler.stats.get_stats() if crawler.stats else {}
    except RuntimeError:
        return {}
