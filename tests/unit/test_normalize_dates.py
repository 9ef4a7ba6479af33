"""Publish dates: every printed form, year-less resolution, URL dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.normalize.dates import (
    MAX_AHEAD,
    SHANGHAI,
    ParsedDate,
    date_from_url,
    parse_date,
    reference_from_url,
    resolve_year,
    split_trailing_date,
)


def _iso(parsed: ParsedDate | None) -> tuple[str, str, bool] | None:
    return (parsed.isoformat(), parsed.precision, parsed.has_year) if parsed else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-10-10", ("2024-10-10T00:00:00+08:00", "day", True)),
        ("2024-10-10 10:15", ("2024-10-10T10:15:00+08:00", "minute", True)),
        ("2024-10-10 10:15:30", ("2024-10-10T10:15:30+08:00", "second", True)),
        ("2024/10/10", ("2024-10-10T00:00:00+08:00", "day", True)),
        ("2024.10.10", ("2024-10-10T00:00:00+08:00", "day", True)),
        ("2024年10月10日", ("2024-10-10T00:00:00+08:00", "day", True)),
        ("2024年10月10日 10:15", ("2024-10-10T10:15:00+08:00", "minute", True)),
        ("2024年1月9日", ("2024-01-09T00:00:00+08:00", "day", True)),
        ("二〇二四年十月十日", ("2024-10-10T00:00:00+08:00", "day", True)),
        ("二零二三年十一月二十三日", ("2023-11-23T00:00:00+08:00", "day", True)),
        ("二〇一二年六月三十日", ("2012-06-30T00:00:00+08:00", "day", True)),
        ("发布时间:2024-10-10", ("2024-10-10T00:00:00+08:00", "day", True)),
        ("发布时间：2024-10-10 10:15", ("2024-10-10T10:15:00+08:00", "minute", True)),
        ("时间:2024-05-02 来源:海南省市场监督管理局 作者:佚名", ("2024-05-02T00:00:00+08:00", "day", True)),
        ("日期：2024年10月10日", ("2024-10-10T00:00:00+08:00", "day", True)),
        ("发布日期 2024-10-10", ("2024-10-10T00:00:00+08:00", "day", True)),
        ("来源:湖南企业商会    发布时间:2024-10-10", ("2024-10-10T00:00:00+08:00", "day", True)),
        ("2025-11-10 16:42", ("2025-11-10T16:42:00+08:00", "minute", True)),
        ("2025-11-10 16:42:07", ("2025-11-10T16:42:07+08:00", "second", True)),
        ("2025-11-10 00:00:00", ("2025-11-10T00:00:00+08:00", "day", True)),
        ("2005-5-7 21:23:57", ("2005-05-07T21:23:57+08:00", "second", True)),
        ("2004-09-17 5:54:13", ("2004-09-17T05:54:13+08:00", "second", True)),
        ("2024-10-10T02:15:30Z", ("2024-10-10T10:15:30+08:00", "second", True)),
        ("2024-10-10T18:15:30+00:00", ("2024-10-11T02:15:30+08:00", "second", True)),
        ("2024-10-10T10:15+08:00", ("2024-10-10T10:15:00+08:00", "minute", True)),
        ("2024-10-10T10:15:30.123+0800", ("2024-10-10T10:15:30.123000+08:00", "second", True)),
        ("2024-10-10T00:00:00+08:00", ("2024-10-10T00:00:00+08:00", "day", True)),
        ("2024-10-10T10:15:30", ("2024-10-10T10:15:30+08:00", "second", True)),
        ("• 2012-06-11 09:30:00", ("2012-06-11T09:30:00+08:00", "second", True)),
        ("2005年6月14日 星期二 13:00", ("2005-06-14T13:00:00+08:00", "minute", True)),
        ("2024-10-10（周四）10:15", ("2024-10-10T10:15:00+08:00", "minute", True)),
        ("2024-10-10 星期四", ("2024-10-10T00:00:00+08:00", "day", True)),
    ],
)
def test_parse_date_with_year(text, expected):
    assert _iso(parse_date(text)) == expected


@pytest.mark.parametrize(
    "text",
    ["2024-13-01", "2024年2月30日", "2023-02-29", "2024-10-32", "二〇二四年十三月一日", "没有日期", ""],
)
def test_impossible_or_missing_dates_give_none(text):
    assert parse_date(text) is None


def test_invalid_time_is_not_a_date():
    assert parse_date("2024-10-10 25:61") is None


def test_the_first_valid_date_wins():
    assert _iso(parse_date("2024年2月30日 改为 2024年3月1日")) == ("2024-03-01T00:00:00+08:00", "day", True)
    assert _iso(parse_date("2024-05-02 转载自 2024-04-30")) == ("2024-05-02T00:00:00+08:00", "day", True)


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("10-10", date(2024, 10, 12), ("2024-10-10T00:00:00+08:00", "day", False)),
        ("09-25", date(2024, 10, 10), ("2024-09-25T00:00:00+08:00", "day", False)),
        ("来源:湖南日报 / 看衡阳  09-25", date(2024, 10, 10), ("2024-09-25T00:00:00+08:00", "day", False)),
        ("12-30", date(2025, 1, 3), ("2024-12-30T00:00:00+08:00", "day", False)),
        ("01-02", date(2024, 12, 30), ("2025-01-02T00:00:00+08:00", "day", False)),
        ("1月19日,广东省质量基础设施建设大会", date(2024, 1, 19), ("2024-01-19T00:00:00+08:00", "day", False)),
        ("11月10日下午,2025年全省质量工作", date(2025, 11, 10), ("2025-11-10T00:00:00+08:00", "day", False)),
        ("11月10日下午", date(2025, 11, 1), ("2025-11-10T00:00:00+08:00", "day", False)),
        ("09-25 10:15", date(2024, 10, 10), ("2024-09-25T10:15:00+08:00", "minute", False)),
        ("3月1日", datetime(2024, 2, 29, 20, 0, tzinfo=UTC), ("2024-03-01T00:00:00+08:00", "day", False)),
        ("02-29", date(2023, 3, 1), ("2020-02-29T00:00:00+08:00", "day", False)),
        ("08-01", date(2024, 6, 15), ("2023-08-01T00:00:00+08:00", "day", False)),
        ("07-01", date(2024, 6, 15), ("2024-07-01T00:00:00+08:00", "day", False)),
    ],
)
def test_parse_date_without_year(text, reference, expected):
    assert _iso(parse_date(text, reference)) == expected


def test_year_less_date_needs_a_reference():
    assert parse_date("09-25") is None
    assert parse_date("1月19日") is None


@pytest.mark.parametrize("text", ["13-01", "2月30日", "00-10"])
def test_impossible_year_less_dates(text):
    assert parse_date(text, date(2024, 6, 1)) is None


def test_a_full_date_is_not_read_as_year_less():
    assert _iso(parse_date("2024-10-10", date(2030, 1, 1))) == ("2024-10-10T00:00:00+08:00", "day", True)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://amr.hainan.gov.cn/yw/gzdt/202404/t20240430_3656724.html", "2024-04-30T00:00:00+08:00"),
        (
            "https://www.hunan.gov.cn/hnszf/szf/zfld/wjs/wjshd/202511/t20251110_33846061.html",
            "2025-11-10T00:00:00+08:00",
        ),
        ("https://www.qianzhan.com/analyst/detail/220/230518-3f033ad2.html", "2023-05-18T00:00:00+08:00"),
        ("https://www.qianzhan.com/analyst/detail/220/120611-8a3c51d2.html", "2012-06-11T00:00:00+08:00"),
        ("http://www.news.cn/politics/2024-10/10/c_1130000000.htm", "2024-10-10T00:00:00+08:00"),
        ("http://example.cn/2024/10/10/abc.html", "2024-10-10T00:00:00+08:00"),
        ("http://example.cn/20241010/abc.html", "2024-10-10T00:00:00+08:00"),
    ],
)
def test_date_from_url(url, expected):
    parsed = date_from_url(url)
    assert parsed is not None
    assert (parsed.isoformat(), parsed.precision, parsed.has_year) == (expected, "day", True)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.cn/news/202404/index.html",
        "http://www.bjhnqysh.cn/shfwInfo.jhtml?id=1124120587585716224&newType=ZCJD",
        "https://www.dutenews.com/n/article/7957291",
        "http://aqsczx.org.cn/show-63836.html",
        "http://example.cn/t20241332_1.html",
    ],
)
def test_no_day_in_url(url):
    assert date_from_url(url) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://example.cn/news/202404/index.html", date(2024, 4, 1)),
        ("https://amr.hainan.gov.cn/yw/gzdt/202404/t20240430_3656724.html", date(2024, 4, 30)),
        ("https://www.dutenews.com/n/article/7957291", None),
        ("http://example.cn/news/999913/x.html", None),
    ],
)
def test_reference_from_url(url, expected):
    assert reference_from_url(url) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("湖南日报 / 看衡阳  09-25", ("湖南日报 / 看衡阳", "09-25")),
        ("新华社 2024-10-10 10:15", ("新华社", "2024-10-10 10:15")),
        ("人民日报 2024年10月10日", ("人民日报", "2024年10月10日")),
        ("湖南企业商会", ("湖南企业商会", None)),
        ("2024-10-10", ("", "2024-10-10")),
        ("新华社2024-10-10", ("新华社2024-10-10", None)),
    ],
)
def test_split_trailing_date(text, expected):
    assert split_trailing_date(text) == expected


def test_resolve_year():
    assert resolve_year(12, 30, date(2025, 1, 3)) == date(2024, 12, 30)
    assert resolve_year(1, 2, date(2024, 12, 30)) == date(2025, 1, 2)
    assert resolve_year(13, 1, date(2024, 12, 30)) is None


# --- properties -------------------------------------------------------------------------------

_DIGITS = "〇一二三四五六七八九"


def _cjk_number(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")) + ("" if ones == 0 else _DIGITS[ones])


_FORMATS = [
    lambda d: f"{d:%Y-%m-%d}",
    lambda d: f"{d.year}-{d.month}-{d.day}",
    lambda d: f"{d:%Y/%m/%d}",
    lambda d: f"{d:%Y.%m.%d}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d:%Y年%m月%d日}",
    lambda d: "".join(_DIGITS[int(c)] for c in str(d.year)) + f"年{_cjk_number(d.month)}月{_cjk_number(d.day)}日",
]
_LABELS = ["", "发布时间:", "发布时间：", "时间:", "日期：", "发布日期 "]


@settings(max_examples=200)
@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)),
    fmt=st.sampled_from(_FORMATS),
    label=st.sampled_from(_LABELS),
)
def test_any_printed_date_parses_back(day, fmt, label):
    parsed = parse_date(label + fmt(day))
    assert parsed is not None
    assert (parsed.value.date(), parsed.precision, parsed.has_year) == (day, "day", True)
    # Asia/Shanghai, so +09:00 in the summers of 1986-1991 (daylight saving time) and +08:00 otherwise
    assert parsed.value.tzinfo == SHANGHAI


@settings(max_examples=200)
@given(
    moment=st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2090, 12, 31)),
    seconds=st.booleans(),
    fmt=st.sampled_from(_FORMATS[:6]),
)
def test_any_printed_time_parses_back(moment, seconds, fmt):
    moment = moment.replace(microsecond=0, second=moment.second if seconds else 0)
    if moment.hour == moment.minute == moment.second == 0:
        moment = moment.replace(minute=1)
    clock = f"{moment:%H:%M:%S}" if seconds else f"{moment:%H:%M}"
    parsed = parse_date(f"{fmt(moment.date())} {clock}")
    assert parsed is not None
    assert parsed.value.replace(tzinfo=None) == moment
    assert parsed.precision == ("second" if seconds else "minute")


@settings(max_examples=200)
@given(
    day=st.dates(min_value=date(1995, 1, 1), max_value=date(2090, 12, 31)),
    reference=st.dates(min_value=date(1995, 1, 1), max_value=date(2090, 12, 31)),
    dash=st.booleans(),
)
def test_year_less_dates_land_near_the_reference(day, reference, dash):
    text = f"{day:%m-%d}" if dash else f"{day.month}月{day.day}日"
    parsed = parse_date(text, reference)
    assert parsed is not None
    resolved = parsed.value.date()
    assert (resolved.month, resolved.day) == (day.month, day.day)
    assert resolved - reference <= MAX_AHEAD
    assert reference - resolved < timedelta(days=366) or (day.month, day.day) == (2, 29)
    assert not parsed.has_year


def test_shanghai_offset_follows_the_zone_rules():
    """China kept daylight saving time in 1986-1991: Asia/Shanghai is +09:00 then."""
    assert _iso(parse_date("1988-07-01")) == ("1988-07-01T00:00:00+09:00", "day", True)


@pytest.mark.parametrize("text, iso", [
    ("6/14/2005 03:25:55", "2005-06-14T03:25:55+08:00"),
    ("14/06/2005", "2005-06-14T00:00:00+08:00"),
    ("发布时间：12/31/2023 18:02", "2023-12-31T18:02:00+08:00"),
])
def test_slash_dates_with_the_year_last_are_read_when_one_number_must_be_the_day(text, iso):
    assert parse_date(text).isoformat() == iso


@pytest.mark.parametrize("text", ["7/5/2005 9:23:57", "1/2/2024", "13/13/2024", "14/6/2005 9:00 AM"])
def test_slash_dates_that_could_be_either_order_or_none_are_not_read(text):
    assert parse_date(text) is None


@given(year=st.integers(1990, 2030), month=st.integers(1, 12), day=st.integers(13, 28),
       clock=st.sampled_from(["", " 08:05", " 23:59:59"]), month_first=st.booleans())
def test_slash_dates_with_a_day_over_12_read_in_either_order(year, month, day, clock, month_first):
    text = f"{month}/{day}/{year}{clock}" if month_first else f"{day}/{month}/{year}{clock}"
    parsed = parse_date(text)
    assert parsed is not None and (parsed.value.year, parsed.value.month, parsed.value.day) == (year, month, day)
