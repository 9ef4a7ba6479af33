"""Page furniture: reading-tool bars, share bars, and site names after a title."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.parsing.generic.furniture import (
    heading_before_suffix,
    is_furniture,
    strip_site_suffix,
    title_tail,
    without_original_label,
)
from tests.generic.items import generic_item


@pytest.mark.parametrize("line", [
    "【字体：大 中 小】", "字号：大 中 小", "【打印本页】【关闭窗口】", "打印本页 关闭窗口", "分享到：微信 微博 QQ空间",
    "【 分享至 】", "[ 返回顶部 ]", "我要纠错 | 打印 | 关闭",
])
def test_reading_tools_and_share_bars_are_furniture(line):
    assert is_furniture(line)


@pytest.mark.parametrize("line", [
    "大中小", "中国的大小问题", "会议要求关闭违规窗口单位。", "分享到：" + "为加强计量监管，保障量值准确可靠，" * 3, "",
])
def test_text_is_not_furniture(line):
    assert not is_furniture(line)


@pytest.mark.parametrize("title, expected", [
    ("关于印发某某办法的通知_湖南省人民政府门户网站", "关于印发某某办法的通知"),
    ("国务院办公厅关于加强计量数据管理的意见_政策_中国政府网", "国务院办公厅关于加强计量数据管理的意见_政策"),
    ("市场监管局召开会议-某某市人民政府", "市场监管局召开会议"),
    ("标题 | 新华网", "标题"),
    ("网站建设_要点", "网站建设_要点"),
    ("2023-2024年度计量工作要点", "2023-2024年度计量工作要点"),
    ("只有标题", "只有标题"),
    ("多维博客 » 播客热潮迅速蔓延", "播客热潮迅速蔓延"),
    ("江南游记 | blog.example.com", "江南游记"),
    ("图说洛阳| 剪窗花过廉洁之年", "图说洛阳| 剪窗花过廉洁之年"),
    ("新华网 - 标题", "标题"),
])
def test_site_suffix_is_cut_from_titles(title, expected):
    assert strip_site_suffix(title) == expected


def test_a_declared_site_name_is_cut_whatever_its_ending():
    assert strip_site_suffix("标题_某某质量技术监督", ("某某质量技术监督",)) == "标题"


@given(st.text(alphabet="计量标准认证检验质量会议通知关于 _-|年0123", max_size=30))
def test_suffix_cut_leaves_a_prefix_of_the_title(title):
    cut = strip_site_suffix(title)
    assert title.strip().startswith(cut)
    assert cut or not title.strip()


@pytest.mark.parametrize("title, tail", [
    ("金属材料 - 开放百科，人人可编的知识库", "开放百科，人人可编的知识库"),
    ("标题_频道_某某网", "某某网"),
    ("只有标题", ""),
    ("- 以分隔符开头", ""),
])
def test_the_title_tail_is_its_last_part(title, tail):
    assert title_tail(title) == tail


@pytest.mark.parametrize("title, heading, expected", [
    ("金属材料 - 开放百科，人人可编的知识库", "金属材料", "金属材料"),
    ("金属材料 - 开放百科，人人可编的知识库", "开放百科", "金属材料 - 开放百科，人人可编的知识库"),
    ("金属材料", "金属材料", "金属材料"),
    ("多维 » 播客热潮", "", "多维 » 播客热潮"),
])
def test_a_heading_followed_by_a_suffix_is_the_headline(title, heading, expected):
    assert heading_before_suffix(title, heading) == expected


@pytest.mark.parametrize("title, expected", [
    ("原标题：计量器具强检目录调整", "计量器具强检目录调整"),
    ("原标题: 计量器具强检目录调整", "计量器具强检目录调整"),
    ("关于原标题：的说明", "关于原标题：的说明"),
])
def test_the_original_headline_label_is_no_part_of_a_headline(title, expected):
    assert without_original_label(title) == expected


def test_a_tagline_printed_over_the_text_is_not_the_headline():
    sentence = "不锈钢是在空气中或化学腐蚀介质中能够抵抗腐蚀的一种高合金钢，具有美观的表面和良好的耐腐蚀性能"
    text = "".join(f"<p>{sentence}，第{n}段。</p>" for n in range(4))
    html = ("<html><head><title>不锈钢 - 开放百科，人人可编的知识库</title></head><body>"
            "<h1>不锈钢</h1><div>开放百科，人人可编的知识库</div>"
            f"<div class='content'>{text}</div></body></html>")
    item = generic_item(html, "http://wiki.example.org/w/1")
    assert item["title"] == "不锈钢"
