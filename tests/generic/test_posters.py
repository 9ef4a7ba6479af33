"""Bylines and dates of blogs and forums: the poster beside the date, `by NAME`, a byline away from the
headline, the blog owner in the `<title>`, a closing `（NAME PLACE报道）`, account names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.normalize.bylines import parse_credits
from crawler.parsing.generic.credits import blog_owner, closing_names, is_author_line, poster_in
from tests.generic.items import generic_item

T = "为深入贯彻落实党中央决策部署，全面提升产品、工程、服务质量，推动质量强国建设取得新成效，各地认真执行。"
MENU = "<div class='nav'><a href='/'>首页</a> <a href='/b'>博客</a> <a href='/f'>论坛</a></div>"


def item_of(html: str) -> dict:
    return generic_item(html, "http://blog.example.cn/post/1.html")


@pytest.mark.parametrize("line, staff", [
    ("由海棠张贴 @ 2005-06-14 03:25:55 (370)   共 11 篇评论 发表评论 >>>", "作者:海棠"),
    ("abc_2005 发表于 2005-9-15 11:46:00", "作者:abc_2005"),
    ("Posted by Lin at 2005/06/14 10:00", "作者:Lin"),
    ("by 王小明", "作者:王小明"),
    ("By John Smith", "作者:John Smith"),
])
def test_poster_lines_name_the_author(line, staff):
    assert poster_in(line) == staff


@pytest.mark.parametrize("line", ["本文发表于 2005-06-14", "发表于 2005-06-14", "by the way", "CopyRight @ 2005 某某网",
                                  "张三 2005-06-14", "作者 发表于 2005-06-14"])
def test_lines_naming_no_poster(line):
    assert poster_in(line) is None


def test_post_footer_after_the_text_gives_author_and_date():
    page = (f"<html><head><title>江南游记</title></head><body>{MENU}<h2>江南游记</h2>"
            f"<div class='post'><p>{T}</p><p>{T}</p><p>{T}</p></div>"
            "<div class='foot'>由海棠张贴 @ 2005-06-14 03:25:55 (370) 共 11 篇评论 发表评论 &gt;&gt;&gt;</div>"
            "<div class='side'>文章分类 友情链接</div></body></html>")
    item = item_of(page)
    assert item["authors"] == ["海棠"]
    assert item["published_at"] == "2005-06-14T03:25:55+08:00"


def test_byline_away_from_the_headline_with_an_account_name():
    page = (f"<html><body>{MENU}<div>楼层： 第 1 楼 时间：2005-08-28 20:56:20</div><div>分数：100</div>"
            "<div>作者： <a href='/u/1'>放飞&amp;心情</a></div>"
            f"<div class='post'><p>{T}</p><p>{T}</p><p>{T}</p></div></body></html>")
    assert item_of(page)["authors"] == ["放飞&心情"]


def test_blog_owner_named_only_in_the_title():
    page = (f"<html><head><title>江南游记 - 海棠的博客</title></head><body>{MENU}"
            f"<div><p>{T}</p><p>{T}</p></div></body></html>")
    assert item_of(page)["authors"] == ["海棠"]
    assert blog_owner("无博客的标题") == []


def test_closing_parenthesis_with_a_dateline_names_the_author():
    assert closing_names(f"{T}（姚峰 上海报道）") == (T, ["姚峰"])


def test_author_lines_need_a_label_and_names():
    assert is_author_line("作者： 放飞&心情")
    assert not is_author_line("作者认为，这是一个问题。")
    assert not is_author_line("编辑：张三")


@given(st.text(alphabet="张王李海棠赵abc_12 @发表于张贴由2005-06-14:", max_size=40))
def test_a_poster_is_a_staff_line_the_byline_parser_reads(line):
    staff = poster_in(line)
    if staff is not None:
        assert parse_credits(staff).authors


def test_an_intern_reporter_line_is_a_credit_not_a_headline():
    page = (f"<html><head><title>拆房屡出命案</title></head><body>{MENU}<div class='c'><p>拆房屡出命案</p>"
            f"<p>本报实习生 刘一 周二</p><p>{T}</p><p>{T}</p></div></body></html>")
    item = item_of(page)
    assert (item["title"], item["authors"]) == ("拆房屡出命案", ["刘一", "周二"])
