"""Whitespace cleaning, paragraphs and URL canonicalization."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.normalize.text import canonicalize_url, clean_paragraphs, clean_text, join_paragraphs


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  广东省质量基础设施  ", "广东省质量基础设施"),
        ("\u3000\u3000近日，海南省", "近日，海南省"),
        ("a\u00a0\u00a0b", "a b"),
        ("a\tb\r\nc", "a b c"),
        ("质\u200b量\u200c基\u200d础\ufeff", "质量基础"),
        ("来源:湖南日报 / 看衡阳  09-25", "来源:湖南日报 / 看衡阳 09-25"),
        ("9月24日下午,国家市场监督管理总局", "9月24日下午,国家市场监督管理总局"),
        ("合作，共同推进。", "合作，共同推进。"),
        ("", ""),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_clean_paragraphs_drops_empty_ones():
    assert clean_paragraphs(["  第一段 ", "\u3000\u3000", "", "\u200b", "第二段\r\n"]) == ["第一段", "第二段"]


def test_join_paragraphs():
    assert join_paragraphs(["第一段", "第二段"]) == "第一段\n\n第二段"
    assert join_paragraphs([]) == ""


@given(st.text(alphabet=st.sampled_from(list("质量 基础\u3000\u00a0\t\r\n\u200b,，。ab1"))))
def test_clean_text_is_idempotent_and_tidy(raw):
    cleaned = clean_text(raw)
    assert clean_text(cleaned) == cleaned
    assert "  " not in cleaned and cleaned == cleaned.strip()
    assert not set(cleaned) & set("\u3000\u00a0\t\r\n\u200b")


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://WWW.Example.COM:80/a/b.html#top", "http://www.example.com/a/b.html"),
        ("https://www.example.com:443/a?id=1", "https://www.example.com/a?id=1"),
        ("https://www.example.com:8443/a", "https://www.example.com:8443/a"),
        ("https://www.example.com", "https://www.example.com/"),
        (
            "https://www.dutenews.com/n/article/7957291?utm_source=wx&spm=a.b&from=timeline&shareId=9&isappinstalled=0",
            "https://www.dutenews.com/n/article/7957291",
        ),
        (
            "http://www.bjhnqysh.cn/shfwInfo.jhtml?id=1124120587585716224&utm_medium=x&newType=ZCJD",
            "http://www.bjhnqysh.cn/shfwInfo.jhtml?id=1124120587585716224&newType=ZCJD",
        ),
        ("http://a.cn/s?q=%E8%B4%A8%E9%87%8F&b=2&a=1", "http://a.cn/s?q=%E8%B4%A8%E9%87%8F&b=2&a=1"),
        ("http://a.cn/s?b=1&b=2&share_token=z", "http://a.cn/s?b=1&b=2"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ],
)
def test_canonicalize_url(url, canonical):
    assert canonicalize_url(url) == canonical


def test_canonicalize_url_with_canonical_host():
    url = "http://i64n0y.bjhnqysh.cn/shfwInfo.jhtml?id=1124120587585716224&newType=ZCJD#x"
    assert canonicalize_url(url, "www.bjhnqysh.cn") == (
        "http://www.bjhnqysh.cn/shfwInfo.jhtml?id=1124120587585716224&newType=ZCJD"
    )
