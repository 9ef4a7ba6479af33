"""The charset label table is ours: it maps labels as browsers do, whatever w3lib's version says."""

import codecs
import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.charsets import DECODERS, decoder_for, header_label, meta_label
from crawler.middlewares.charset import CharsetMiddleware, redecode


@pytest.mark.parametrize(
    ("label", "decoder"),
    [
        ("gb2312", "gb18030"), ("GB2312", "gb18030"), ("gbk", "gb18030"), ("x-gbk", "gb18030"),
        ("gb_2312-80", "gb18030"), ("gb_2312", "gb18030"), ("chinese", "gb18030"), ("csgb2312", "gb18030"),
        ("iso-ir-58", "gb18030"), ("gb18030", "gb18030"),
        ("big5", "big5hkscs"), ("big5-hkscs", "big5hkscs"), ("x-x-big5", "big5hkscs"),
        ("iso-8859-1", "cp1252"), ("latin1", "cp1252"), ("ascii", "cp1252"), ("us-ascii", "cp1252"),
        ("windows-1252", "cp1252"),
        ("utf-8", "utf-8"), ("UTF8", "utf-8"), (" utf-8\t", "utf-8"),
        ("shift_jis", "cp932"), ("euc-kr", "cp949"), ("tis-620", "cp874"), ("utf-16", "utf-16-le"),
    ],
)
def test_labels_map_to_the_decoders_browsers_use(label, decoder):
    assert decoder_for(label) == decoder


@pytest.mark.parametrize("label", ["hz-gb-2312", "iso-2022-kr", "replacement", "x-user-defined", "euc-cn",
                                   "utf-7", "base64", "", None, "gbk2"])
def test_undecodable_or_unknown_labels_give_no_decoder(label):
    assert decoder_for(label) is None


def test_every_decoder_is_a_python_codec_under_its_canonical_name():
    for decoder in set(DECODERS.values()) - {None}:
        assert codecs.lookup(decoder).name == decoder


@pytest.mark.parametrize("decoder", sorted(set(DECODERS.values()) - {None}))
def test_a_redecoded_response_reads_its_body_with_exactly_the_decoder_it_names(decoder):
    """The text is the body decoded by the named codec, not by whatever codec w3lib maps the name to."""
    text = "质量 Qualität ç €"
    body = text.encode(decoder, errors="ignore") + bytes(range(0x80, 0x100))
    label = min(label for label, codec in DECODERS.items() if codec == decoder)
    declared = HtmlResponse("https://a.cn/", body=body, headers={"Content-Type": f"text/html; charset={label}"})
    response, decision = redecode(declared, ["utf-8"], 1.0)
    assert decision.encoding == response.encoding == decoder
    assert response.text == body.decode(decoder, errors="replace")
    assert isinstance(response, HtmlResponse)
    assert response.replace(url="https://a.cn/2").text == response.text


@pytest.mark.parametrize(
    ("content_type", "label"),
    [
        ("text/html; charset=GBK", "GBK"), ("text/html;charset=\"gb2312\"", "gb2312"),
        ("text/html; Charset = utf-8 ; q=1", "utf-8"), ("text/html", None), (None, None), ("", None),
        ("text/html; charset=", None), ("text/html; format=flowed; charset='big5'", "big5"),
    ],
)
def test_header_label(content_type, label):
    assert header_label(content_type) == label


@pytest.mark.parametrize(
    ("body", "label"),
    [
        (b'<html><head><meta charset="gbk"><title>t</title>', "gbk"),
        (b"<html><head><META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=GB2312'>", "GB2312"),
        (b'<meta name="keywords" content="x"><meta charset=utf-8>', "utf-8"),
        (b'<?xml version="1.0" encoding="gb18030"?><html>', "gb18030"),
        (b"<html><body><p>charset=gbk</p></body></html>", None),
        (b"<html><head><title>t</title></head>", None),
        (b" " * 5000 + b'<meta charset="gbk">', None),
    ],
)
def test_meta_label(body, label):
    assert meta_label(body) == label


@given(label=st.sampled_from(sorted(DECODERS)), spaces=st.sampled_from(["", " ", "  "]),
       quote=st.sampled_from(["", '"', "'"]))
def test_any_label_declared_in_a_header_or_meta_reads_back(label, spaces, quote):
    declared = f"{quote}{label}{quote}"
    assert decoder_for(header_label(f"text/html;{spaces}charset={declared}")) == DECODERS[label]
    tag = f'<meta http-equiv="Content-Type" content="text/html;{spaces}charset={label}">'.encode()
    assert decoder_for(meta_label(b"<html><head>" + tag)) == DECODERS[label]


def _mislabelled(url: str) -> HtmlResponse:
    text = "<html><head><meta charset='gbk'></head><body>" + "质量监督检验检疫总局" * 10 + "</body></html>"
    body = text.encode("gbk")
    return HtmlResponse(url, body=body, headers={"Content-Type": "text/html; charset=utf-8"})


def test_a_wrong_declaration_is_told_once_per_host_and_counted_for_every_page(caplog):
    crawler = get_crawler(settings_dict={"CHARSET_FALLBACKS": ["utf-8", "gb18030"], "CHARSET_MAX_INVALID_RATIO": 0.05})
    middleware, stats = CharsetMiddleware.from_crawler(crawler), crawler.stats
    urls = ["http://a.example/1", "http://a.example/2", "http://b.example/1", "http://a.example/3"]
    with caplog.at_level(logging.DEBUG, logger="crawler.middlewares.charset"):
        encodings = [middleware.process_response(Request(url), _mislabelled(url)).encoding for url in urls]
    assert encodings == ["gb18030"] * 4
    assert stats.get_value("decode/header_charset_wrong") == 4
    warned = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert [message.split()[3] for message in warned] == ["http://a.example/1", "http://b.example/1"]
    assert all("said once for this host" in message for message in warned)
    later = [record.getMessage() for record in caplog.records if record.levelno == logging.DEBUG]
    assert [message.split()[3] for message in later] == ["http://a.example/2", "http://a.example/3"]
