"""Publish dates as Chinese pages print them, resolved to Asia/Shanghai.

`parse_date` finds the first date in a text (numeric, `年月日`, Chinese numerals, year-less,
ISO 8601, government `PubDate` meta values, US month-first with AM/PM); `date_from_url` and
`reference_from_url` read the dates that CMSs put in article URLs. A date without a year is
resolved against a reference (the page's own date, its URL date or the capture date), never
against today's clock.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from dateutil.parser import isoparse

logger = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_AHEAD = timedelta(days=31)
"""How far after its reference a year-less date may land (a page rarely announces the future)."""
URL_YEARS = range(1990, 2100)
"""Years accepted in URL dates, so that long numeric ids are not read as dates."""

Precision = Literal["day", "minute", "second"]


@dataclass(frozen=True)
class ParsedDate:
    """A date found in a text: an aware Asia/Shanghai datetime and how precise the page was."""

    value: datetime
    precision: Precision
    has_year: bool

    def isoformat(self) -> str:
        """ISO 8601 with offset, e.g. `2024-10-10T00:00:00+08:00`."""
        return self.value.isoformat()


_WEEKDAY = r"(?:[(（]?(?:星期|周|礼拜)[一二三四五六日天][)）]?\s*)?"
"""A weekday a page may print between the date and its time (`2005年6月14日 星期二 13:00`)."""
_TIME = rf"(?:\s*{_WEEKDAY}T?\s*(?P<hour>\d{{1,2}})[:：](?P<minute>\d{{2}})(?:[:：](?P<second>\d{{2}}))?)?"
_CJK_DIGITS = {
    "〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_CJK_YEAR_DIGIT = "".join(_CJK_DIGITS)
_CJK_NUMBER_CHAR = "十一二三四五六七八九"

_ISO = re.compile(
    r"(?<!\d)\d{4}-\d{2}-\d{2}T(?P<clock>\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(?:Z|[+-]\d{2}(?::?\d{2})?)?(?!\d)"
)
_NUMERIC = re.compile(
    r"(?<!\d)(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?!\d)" + _TIME
)
_CJK_NUMERIC = re.compile(
    r"(?<!\d)(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]" + _TIME
)
_CJK_WORDS = re.compile(
    rf"(?P<year>[{_CJK_YEAR_DIGIT}]{{4}})\s*年\s*(?P<month>[{_CJK_NUMBER_CHAR}]{{1,2}})\s*月"
    rf"\s*(?P<day>[{_CJK_NUMBER_CHAR}]{{1,3}})\s*[日号]"
)
_US_NUMERIC = re.compile(
    r"(?<![\d/])(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})\s+"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<half>[AaPp])\.?[Mm](?![A-Za-z])"
)
_SLASH_YEAR_LAST = re.compile(
    r"(?<![\d/])(?P<first>\d{1,2})/(?P<second_part>\d{1,2})/(?P<year>\d{4})(?![\d/])"
    r"(?![\s\d:：]*[AaPp]\.?[Mm](?![A-Za-z]))" + _TIME
)
"""A slash date with the year last and a 24-hour time or none; with AM/PM it is the US month-first form."""
_YEARLESS_CJK = re.compile(r"(?<![\d年])(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号]" + _TIME)
_YEARLESS_DASH = re.compile(r"(?<![\d\-/.:])(?P<month>\d{2})-(?P<day>\d{2})(?![\d\-])" + _TIME)

_URL_DAY = (
    re.compile(r"/t(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})_"),
    re.compile(r"/(?P<year>\d{4})[-/]?(?P<month>\d{2})/(?P<day>\d{2})/"),
    re.compile(r"/(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})/"),
    re.compile(r"/(?P<yy>\d{2})(?P<month>\d{2})(?P<day>\d{2})-[0-9a-fA-F]{4,}"),
)
_URL_MONTH = re.compile(r"/(?P<year>\d{4})[-/]?(?P<month>\d{2})/")


def parse_date(text: str, reference: datetime | date | None = None) -> ParsedDate | None:
    """The first valid date in `text`, or None.

    Labels (`发布时间:`, `日期：` ...) and surrounding text are skipped. A year-less date
    (`09-25`, `1月19日`) takes its year from `reference`; with no reference it is not returned.
    Impossible dates (month 13, `2月30日`) are skipped.
    """
    ref = _reference_day(reference)
    for match, build in _candidates(text):
        parsed = build(match, ref)
        if parsed is not None:
            return parsed
    logger.debug("no date in %r", text[:80])
    return None


def resolve_year(month: int, day: int, reference: date) -> date | None:
    """The date with this month and day closest to `reference`, at most `MAX_AHEAD` after it."""
    candidates = []
    for year in range(reference.year - 4, reference.year + 2):  # 4 years back reaches a 2月29日
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate - reference <= MAX_AHEAD:
            candidates.append(candidate)
    return min(candidates, key=lambda d: abs(d - reference), default=None)


def split_trailing_date(text: str) -> tuple[str, str | None]:
    """Split a date printed at the end of a line off it:
    `湖南日报 / 看衡阳  09-25` -> (`湖南日报 / 看衡阳`, `09-25`)."""
    stripped = text.rstrip()
    for match, _build in _candidates(stripped):
        start = match.start()
        if match.end() == len(stripped) and (start == 0 or stripped[start - 1].isspace()):
            return stripped[:start].rstrip(), match.group(0).strip()
    return stripped, None


def date_from_url(url: str) -> ParsedDate | None:
    """The publish day a URL carries (`t20240430_…`, `/2024-04/30/`, qianzhan `/230518-3f033ad2.html`).

    A URL holding only a month (`/202404/`) gives None here: see `reference_from_url`.
    """
    path = urlsplit(url).path
    for pattern in _URL_DAY:
        for match in pattern.finditer(path):
            year = int(match["year"]) if "year" in pattern.groupindex else 2000 + int(match["yy"])
            day = _valid_day(year, int(match["month"]), int(match["day"]))
            if day is not None and year in URL_YEARS:
                return ParsedDate(_at(day), "day", True)
    return None


def reference_from_url(url: str) -> date | None:
    """A day to resolve year-less dates against: the URL's day, else the first of its month (`/202404/`)."""
    parsed = date_from_url(url)
    if parsed is not None:
        return parsed.value.date()
    for match in _URL_MONTH.finditer(urlsplit(url).path):
        year, month = int(match["year"]), int(match["month"])
        if year in URL_YEARS and 1 <= month <= 12:
            return date(year, month, 1)
    return None


def _candidates(text: str) -> list[tuple[re.Match[str], _Builder]]:
    """Every date-looking match in `text` with its builder, in text order.

    The sort is stable, so at one position the earlier pattern (ISO before plain numeric) wins.
    """
    found = [(m, build) for pattern, build in _PATTERNS for m in pattern.finditer(text)]
    found.sort(key=lambda pair: pair[0].start())
    return found


def _reference_day(reference: datetime | date | None) -> date | None:
    """The Asia/Shanghai calendar day of a reference (naive datetimes count as Shanghai time)."""
    if isinstance(reference, datetime):
        return reference.astimezone(SHANGHAI).date() if reference.tzinfo else reference.date()
    return reference


def _valid_day(year: int, month: int, day: int) -> date | None:
    """The date, or None when it does not exist."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _at(day: date, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """An aware Asia/Shanghai datetime on `day`."""
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=SHANGHAI)


def _with_time(day: date | None, match: re.Match[str], has_year: bool) -> ParsedDate | None:
    """Attach the time printed after a date; all-zero times (`00:00:00`) are placeholders: day precision."""
    if day is None:
        return None
    if match["hour"] is None:
        return ParsedDate(_at(day), "day", has_year)
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    if hour == minute == second == 0:
        return ParsedDate(_at(day), "day", has_year)
    precision: Precision = "minute" if match["second"] is None else "second"
    return ParsedDate(_at(day, hour, minute, second), precision, has_year)


def _build_numeric(match: re.Match[str], _ref: date | None) -> ParsedDate | None:
    """`2024-10-10 10:15`, `2024/10/10`, `2024.10.10`, `2024年10月10日 10:15`."""
    day = _valid_day(int(match["year"]), int(match["month"]), int(match["day"]))
    return _with_time(day, match, has_year=True)


def _build_us(match: re.Match[str], _ref: date | None) -> ParsedDate | None:
    """`9/17/2004 5:54:13 AM`: month first, as US-locale servers (IIS, ASP) print it; read only with AM/PM."""
    day = _valid_day(int(match["year"]), int(match["month"]), int(match["day"]))
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
    if day is None or not 1 <= hour <= 12 or minute > 59 or second > 59:
        return None
    hour = hour % 12 + (12 if match["half"] in "Pp" else 0)
    precision: Precision = "minute" if match["second"] is None else "second"
    return ParsedDate(_at(day, hour, minute, second), precision, True)


def _build_slash_year_last(match: re.Match[str], _ref: date | None) -> ParsedDate | None:
    """`6/14/2005 03:25:55` or `14/6/2005` without AM/PM: read only when one number is over 12 and so must
    be the day (`7/5/2005` could be either, and pages print both orders)."""
    first, second = int(match["first"]), int(match["second_part"])
    if (first > 12) == (second > 12):
        return None
    month, day_of_month = (second, first) if first > 12 else (first, second)
    return _with_time(_valid_day(int(match["year"]), month, day_of_month), match, has_year=True)


def _build_yearless(match: re.Match[str], ref: date | None) -> ParsedDate | None:
    """`09-25`, `1月19日`, resolved against the reference day."""
    if ref is None:
        return None
    return _with_time(resolve_year(int(match["month"]), int(match["day"]), ref), match, has_year=False)


def _build_cjk_words(match: re.Match[str], _ref: date | None) -> ParsedDate | None:
    """`二〇二四年十月十日`: Chinese numerals, digit by digit for the year."""
    year = int("".join(str(_CJK_DIGITS[ch]) for ch in match["year"]))
    month, day = _cjk_number(match["month"]), _cjk_number(match["day"])
    if month is None or day is None:
        return None
    valid = _valid_day(year, month, day)
    return ParsedDate(_at(valid), "day", True) if valid else None


def _build_iso(match: re.Match[str], _ref: date | None) -> ParsedDate | None:
    """ISO 8601 with `Z` or an offset (converted to Asia/Shanghai); naive values are Shanghai time."""
    try:
        value = isoparse(match.group(0))
    except ValueError:
        return None
    value = value.astimezone(SHANGHAI) if value.tzinfo else value.replace(tzinfo=SHANGHAI)
    clock = match["clock"]
    if value.time() == datetime.min.time() and clock.strip(":0") == "":
        return ParsedDate(value, "day", True)
    return ParsedDate(value, "second" if len(clock) == 8 else "minute", True)


def _cjk_number(text: str) -> int | None:
    """`十` -> 10, `十一` -> 11, `二十三` -> 23, `九` -> 9; None for malformed numerals."""
    tens, has_ten, ones = text.partition("十")
    if not has_ten:
        return _CJK_DIGITS.get(text) if len(text) == 1 else None
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    tens_value = _CJK_DIGITS.get(tens, -99) if tens else 1
    ones_value = _CJK_DIGITS.get(ones, -99) if ones else 0
    value = tens_value * 10 + ones_value
    return value if value > 0 else None


_Builder = Callable[[re.Match[str], date | None], ParsedDate | None]
_PATTERNS: tuple[tuple[re.Pattern[str], _Builder], ...] = (
    (_ISO, _build_iso),
    (_NUMERIC, _build_numeric),
    (_CJK_NUMERIC, _build_numeric),
    (_CJK_WORDS, _build_cjk_words),
    (_US_NUMERIC, _build_us),
    (_SLASH_YEAR_LAST, _build_slash_year_last),
    (_YEARLESS_CJK, _build_yearless),
    (_YEARLESS_DASH, _build_yearless),
)
