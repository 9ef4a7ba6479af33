"""Page furniture: reading-tool bars, share bars, and site names after a title."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.parsing.generic.furniture import is_furniture, strip_site_suffix


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
