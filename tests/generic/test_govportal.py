"""The gov-portal family parser: signs, containers, furniture, and four CMS layouts with their expected items."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html
from parsel import Selector
from scrapy.http import HtmlResponse

from crawler.normalize import build_article
from crawler.parsing.generic.govportal import attachment_lines
from crawler.parsing.gov import between_markers, gov_container, shows_gov_signs
from crawler.schema import schema_errors
from spiders.page import page_draft

LAYOUTS = Path(__file__).parent / "fixtures" / "govportal"
CAPTURED = datetime(2024, 6, 1, tzinfo=UTC)
TEXT = "<p>为加强民生计量监管，保障计量器具量值准确可靠，省局决定开展专项监督检查，现将有关事项通知如下。</p>"


def item_of(html: str | bytes, url: str = "http://portal.example.cn/art/1.html") -> dict:
    body = html.encode("utf-8") if isinstance(html, str) else html
    response = HtmlResponse(url=url, body=body, encoding="utf-8")
    return asdict(build_article(page_draft(response, CAPTURED)))


@pytest.mark.parametrize("page", sorted(path.name for path in LAYOUTS.glob("*.html")))
def test_layout_gives_its_expected_item(page):
    expected = json.loads((LAYOUTS / page).with_suffix(".json").read_text(encoding="utf-8"))
    item = item_of((LAYOUTS / page).read_bytes(), f"http://portal.example.cn/art/{page}")
    for field, value in expected.items():
        assert item[field] == value, f"{page}: {field}"


def test_there_are_at_least_four_layouts():
    assert len(list(LAYOUTS.glob("*.html"))) >= 4


@pytest.mark.parametrize("head, body", [
    ('<meta name="PubDate" content="2024-01-02">', "<div>x</div>"),
    ("", "<ucapcontent>x</ucapcontent>"),
    ("", "<div id='UCAP-CONTENT'>x</div>"),
    ("", "<div><!--ContentStart--><p>x</p><!--ContentEnd--></div>"),
    ("", "<div class='a TRS_Editor'>x</div>"),
])
def test_cms_signs_are_recognised(head, body):
    assert shows_gov_signs(Selector(text=f"<html><head>{head}</head><body>{body}</body></html>"))


@pytest.mark.parametrize("page", [
    "<html><head><meta name='PubDate' content=''></head><body><div class='article-content'>x</div></body></html>",
    "<html><body><div id='zoom'>x</div><div class='TRS_EditorX'>y</div></body></html>",
])
def test_empty_tags_and_look_alike_classes_are_no_signs(page):
    assert not shows_gov_signs(Selector(text=page))


def test_a_page_without_signs_goes_to_the_generic_extractor():
    page = f"<html><head><title>计量会议</title></head><body><h1>计量会议</h1><div>{TEXT * 3}</div></body></html>"
    assert item_of(page)["parser"].startswith("generic@")


def test_container_with_most_text_wins_and_a_short_one_is_none():
    sel = Selector(text=f"<div class='TRS_Editor'><p>页脚</p></div><div class='TRS_Editor'>{TEXT}</div>")
    assert "民生计量" in "".join(gov_container(sel).itertext())
    assert gov_container(Selector(text="<div id='zoom'><p>太短</p></div>")) is None


def test_containers_are_tried_in_order():
    sel = Selector(text=f"<div class='detail_text'>{TEXT}</div><div id='zoom'>{TEXT.replace('省局', '市局')}</div>")
    assert "市局" in "".join(gov_container(sel).itertext())


def test_text_between_comment_markers_only():
    sel = Selector(text=f"<div><p>导航</p><!--ContentStart-->{TEXT}<!--ContentEnd--><p>分享到：微信</p></div>")
    assert [text.strip() for text in between_markers(sel).itertext() if text.strip()] == [TEXT[3:-4]]


def test_markers_under_different_parents_give_nothing():
    sel = Selector(text=f"<div><!--ContentStart-->{TEXT}</div><div><!--ContentEnd--></div>")
    assert between_markers(sel) is None


def test_attachment_list_after_the_wrapper_is_kept_and_other_blocks_are_not():
    root = lxml_html.fromstring(f"<div><div id='w'><div id='c'>{TEXT}</div></div>"
                                "<div><p>附件：1.申报表.docx</p><p>2.名单.xls</p></div></div>")
    assert attachment_lines(root.get_element_by_id("c")) == ["附件：1.申报表.docx", "2.名单.xls"]
    root = lxml_html.fromstring(f"<div><div id='c'>{TEXT}</div><div><p>相关新闻：计量工作要点</p></div></div>")
    assert attachment_lines(root.get_element_by_id("c")) == []


def test_gov_page_body_keeps_its_table_and_drops_reading_tools():
    page = ("<html><head><meta name='ArticleTitle' content='检定规程'></head><body><div id='zoom'>"
            f"<p>【字体：大 中 小】</p>{TEXT}<table><tr><td>器具</td><td>周期</td></tr></table>"
            "<p>【打印本页】【关闭窗口】</p><p>分享到：微信 微博</p></div></body></html>")
    item = item_of(page)
    assert item["parser"] == "gov-portal@1"
    assert item["body"].split("\n\n") == [TEXT[3:-4], "器具", "周期"]


@pytest.mark.parametrize("page", sorted(path.name for path in LAYOUTS.glob("*.html")))
def test_layout_item_is_valid_under_the_schema(page):
    item = item_of((LAYOUTS / page).read_bytes(), f"http://portal.example.cn/art/{page}")
    assert schema_errors({**item, "warc": None}) == []
