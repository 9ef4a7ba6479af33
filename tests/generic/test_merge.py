"""Merging trafilatura's and readability's article texts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from crawler.parsing.generic.merge import is_prose, merge, prose_lines, readability_paragraphs

A = "为深入贯彻落实党中央决策部署，全面提升产品、工程、服务质量，推动质量强国建设取得新成效。"
B = "各地区各部门要结合实际认真贯彻执行，加强计量、标准、认证认可、检验检测等质量基础设施建设。"
C = "会议强调，要坚持问题导向，聚焦群众反映强烈的质量问题，开展专项整治，守住质量安全底线。"


def test_prose_needs_length_and_a_sentence_end():
    assert is_prose(A)
    assert not is_prose("云南日报报业集团 版权所有，未经许可不得转载")
    assert not is_prose("好。")


def test_a_prose_paragraph_only_the_other_found_is_added_in_its_place():
    assert merge([A, C], [A, B, C]) == [A, B, C]


def test_footers_and_labels_only_the_other_found_stay_out():
    other = [A, "发布时间：2022-02-13 来源：某某日报", C, "某某网 版权所有 滇ICP备11000491号-1"]
    assert merge([A, C], other) == [A, C]


def test_prose_after_the_last_shared_paragraph_stays_out():
    assert merge([A, B], [A, B, C]) == [A, B]


def test_paragraphs_split_differently_are_not_added_twice():
    assert merge([A + B, C], [A, B, C]) == [A + B, C]


def test_without_shared_paragraphs_the_text_with_more_prose_wins():
    assert merge(["首页 新闻 关于我们"], [A, B]) == [A, B]
    assert merge([A, B], ["x"]) == [A, B]
    assert merge([], [A]) == [A]


def test_readability_reads_the_article_container():
    page = (f"<html><body><div class='nav'><a href='/'>首页</a></div>"
            f"<div class='article'><p>{A}</p><p>{B}</p></div></body></html>")
    assert readability_paragraphs(page, "http://x.example.cn/a.html") == [A, B]
    assert readability_paragraphs("", "http://x.example.cn/a.html") == []


def test_prose_lines_of_a_page_nobody_reads():
    assert prose_lines(["首页", A, "版权所有", B]) == [A, B]


@given(main=st.lists(st.sampled_from([A, B, C, "短行"]), max_size=5),
       other=st.lists(st.sampled_from([A, B, C, "短行", "页脚 版权所有"]), max_size=6))
def test_merge_keeps_every_main_paragraph_in_order(main, other):
    merged = merge(main, other)
    if any(paragraph in main for paragraph in other) or not other:
        iterator = iter(merged)
        assert all(paragraph in iterator for paragraph in main)
