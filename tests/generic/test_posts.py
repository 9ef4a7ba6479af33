"""Pages of several posts (a blog's front page, a forum thread) give the first post; articles stay whole."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.parsing.generic.markup import squeeze
from crawler.parsing.generic.posts import first_post, stamp_lines, stamp_shape
from tests.generic.items import generic_item

FIRST = ["春天到了。山上的杜鹃花开得正好，我们一家人沿着溪水慢慢往上走，一路说说笑笑，不知不觉就走了两个钟头。",
         "到了半山腰，父亲指着远处的村庄说，那就是他小时候读书的地方，如今已经认不出来了。"]
SECOND = ["今天单位组织体检。排队排了整整一个上午，中午回家的时候已经累得不想说话了。",
          "晚上翻出几年前的旧照片，才发现自己这些年变化这么大，心里有些说不出的滋味。"]
THIRD = ["周末去书店买了两本小说，一本讲海上的渔民，一本讲北方的矿工，都写得很扎实。"]
SIDEBAR = "<div class='side'><p>博客档案</p><p>2005年6月</p><p>2005年5月</p><p>我的好友</p></div>"


def item_of(html: str) -> dict:
    return generic_item(html, "http://home.example.net/u/7/index.html")


def blog_post(title: str, paragraphs: list[str], stamp: str) -> str:
    text = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (f"<div class='entry'><h3 class='entry-title'>{title}</h3><div class='entry-body'>{text}</div>"
            f"<div class='entry-foot'>李明轩 发表于 {stamp} | 阅读(52) | 评论(3)</div></div>")


def test_a_blog_front_page_gives_its_first_post():
    page = ("<html><head><title>李明轩的空间</title></head><body>"
            f"{SIDEBAR}{blog_post('登山记', FIRST, '2006-04-02 21:10')}{blog_post('体检', SECOND, '2006-03-30 22:45')}"
            f"{blog_post('买书', THIRD, '2006-03-28 09:05')}</body></html>")
    item = item_of(page)
    assert item["body"] == "\n\n".join(FIRST)
    assert item["published_at"] == "2006-04-02T21:10:00+08:00"
    assert item["authors"] == ["李明轩"]


def test_a_forum_thread_gives_its_opening_post_not_the_replies():
    floors = "".join(
        f"<div class='floor'><div class='floor-head'>第 {number} 楼 回复时间：2009-10-0{number} 1{number}:30:00</div>"
        f"<div class='floor-user'>楼主： <a href='/u/{number}'>{user}</a></div>"
        f"<div class='floor-text'>{''.join(f'<p>{paragraph}</p>' for paragraph in text)}</div></div>"
        for number, user, text in [(1, "青山", FIRST), (2, "绿水", SECOND), (3, "白云", THIRD)])
    item = item_of(f"<html><head><title>游记一则 - 论坛</title></head><body><h1>游记一则</h1>{floors}</body></html>")
    assert item["body"] == "\n\n".join(FIRST)
    assert item["published_at"] == "2009-10-01T11:30:00+08:00"


def test_an_article_with_a_dated_link_list_after_it_stays_whole():
    related = "".join(f"<li><a href='/n/{n}'>相关新闻第{n}条</a><span>2024-05-1{n} 08:0{n}</span></li>"
                      for n in range(4))
    page = ("<html><body><h1>登山记</h1><div class='info'>2024-05-20 09:30 来源：某某日报</div>"
            f"<div class='article'>{''.join(f'<p>{p}</p>' for p in FIRST + SECOND)}</div>"
            f"<ul class='related'>{related}</ul></body></html>")
    assert item_of(page)["body"] == "\n\n".join(FIRST + SECOND)


def test_an_article_with_dated_reader_comments_keeps_the_article_and_drops_the_comments():
    comments = "".join(f"<div class='c'><div>网友{n} 2024-05-2{n} 1{n}:00</div><p>{text}</p></div>"
                       for n, text in [(1, SECOND[0]), (2, SECOND[1])])
    page = ("<html><body><h1>登山记</h1><div>2024-05-20 09:30</div>"
            f"<div class='article'>{''.join(f'<p>{p}</p>' for p in FIRST)}</div>{comments}</body></html>")
    assert item_of(page)["body"] == "\n\n".join(FIRST)


@pytest.mark.parametrize("line, shape", [
    ("李明轩 发表于 2006-04-02 21:10 | 阅读(52)", "李明轩发表于#-#-#:#|阅读(#)"),
    ("第 2 楼 回复时间：2009-10-02 12:30:00", "第#楼回复时间：#-#-#:#:#"),
    ("2006-04-02 21:10", "#-#-#:#"),
])
def test_stamps_are_short_lines_with_a_time_of_day(line, shape):
    assert stamp_shape(line) == shape


@pytest.mark.parametrize("line", [
    "2006-04-02",  # a day, no time: a dateline or a list date, not a post's stamp
    "发布时间：2006年4月2日",
    "2020年11月18日上午11点半，得知自己减刑释放的他还没缓过神来，被送到了高速路口，家人已在路口候他多时。",
    "阅读(52)",
])
def test_other_lines_are_not_stamps(line):
    assert stamp_shape(line) is None


def test_a_stamp_printed_once_is_no_boundary():
    lines = ["标题", "2006-04-02 21:10", *FIRST, "李明轩 发表于 2006-04-02 21:10", *SECOND]
    assert stamp_lines(lines) == []


@given(st.lists(st.sampled_from(FIRST + SECOND + THIRD + ["导航", "友情链接"]), min_size=1, max_size=12))
def test_a_page_without_repeated_stamps_keeps_every_paragraph(lines):
    keys = [squeeze(line) for line in lines]
    post = first_post(lines, lines, keys)
    assert post.paragraphs == lines
    assert post.end == len(lines)
