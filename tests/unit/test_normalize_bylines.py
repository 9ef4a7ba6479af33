"""Staff and source lines: parsing credits and taking them out of a body."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.normalize.bylines import Credits, is_staff_line, merge_credits, parse_credits, split_staff_lines


def _editors(*pairs: str) -> list[dict[str, str]]:
    return [{"role": role, "name": name} for role, name in (pair.split("=") for pair in pairs)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "(来源:湖南日报 / 衡阳新闻联播 编辑:谢思思  责编:袁赟昆  三审:阳   健)",
            Credits(source="湖南日报 / 衡阳新闻联播", editors=_editors("编辑=谢思思", "责编=袁赟昆", "三审=阳健")),
        ),
        ("来源:湖南日报 / 看衡阳  09-25", Credits(source="湖南日报 / 看衡阳", date_text="09-25")),
        (
            "编辑 白珊珊 审读 韩绍俊 二审 党毅浩 三审 甘霖",
            Credits(editors=_editors("编辑=白珊珊", "审读=韩绍俊", "二审=党毅浩", "三审=甘霖")),
        ),
        (
            "（文/孙敏坚 李成辉 图/刘尚文 田超）",
            Credits(authors=["孙敏坚", "李成辉"], photographers=["刘尚文", "田超"]),
        ),
        (
            "(文／孙敏坚、李成辉 图／刘尚文，田超)",
            Credits(authors=["孙敏坚", "李成辉"], photographers=["刘尚文", "田超"]),
        ),
        (
            "时间:2024-05-02 来源:海南省市场监督管理局 作者:佚名",
            Credits(source="海南省市场监督管理局", date_text="2024-05-02"),
        ),
        ("来源:湖南企业商会    发布时间:2024-10-10", Credits(source="湖南企业商会", date_text="2024-10-10")),
        ("作者:佚名", Credits()),
        ("作者：王建宏 张文攀", Credits(authors=["王建宏", "张文攀"])),
        ("作者/王建宏,张文攀", Credits(authors=["王建宏", "张文攀"])),
        ("记者 张三 通讯员 李四", Credits(authors=["张三", "李四"])),
        ("撰文：张三 摄影：李四", Credits(authors=["张三"], photographers=["李四"])),
        ("2022-02-13 07:00:00来源：中国质量报", Credits(source="中国质量报")),
        ("记者 张三 摄", Credits(photographers=["张三"])),
        (
            "时间:2024-04-18 来源:中国质量新闻网 作者:记者 刘畅 通讯员 陈晨",
            Credits(source="中国质量新闻网", authors=["刘畅", "陈晨"], date_text="2024-04-18"),
        ),
        ("摄影：王五", Credits(photographers=["王五"])),
        ("摄/王五", Credits(photographers=["王五"])),
        ("责任编辑：张三", Credits(editors=_editors("责任编辑=张三"))),
        ("审核：李四 终审：王五", Credits(editors=_editors("审核=李四", "终审=王五"))),
        ("责编:袁赟昆", Credits(editors=_editors("责编=袁赟昆"))),
        ("三审:阳\u3000健", Credits(editors=_editors("三审=阳健"))),
        ("编辑：孙敏坚 李成辉", Credits(editors=_editors("编辑=孙敏坚", "编辑=李成辉"))),
        ("信息来源：湖南省市场监督管理局", Credits(source="湖南省市场监督管理局")),
        ("【来源：人民日报】", Credits(source="人民日报")),
        ("来源：人民日报）", Credits(source="人民日报")),
        ("本报讯 没有标签的一句话。", Credits()),
    ],
)
def test_parse_credits(text, expected):
    assert parse_credits(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "编辑 白珊珊 审读 韩绍俊 二审 党毅浩 三审 甘霖",
        "（文/孙敏坚 李成辉 图/刘尚文 田超）",
        "(来源:湖南日报 / 衡阳新闻联播 编辑:谢思思  责编:袁赟昆  三审:阳   健)",
        "责任编辑：张三",
        "作者:佚名",
        "记者 张三 通讯员 李四",
        "作者：买买提·艾力",
        "作者:记者 刘畅 通讯员 陈晨",
    ],
)
def test_staff_lines(text):
    assert is_staff_line(text)


@pytest.mark.parametrize(
    "text",
    [
        "编辑部门的同志们认真工作。",
        "编辑 是一项需要耐心的工作，也需要细心。",
        "记者从会上获悉，广东将加快建设。",
        "(广州)",
        "(2024)",
        "（广东）清远基地",
        "编辑：",
        "1月19日,广东省质量基础设施建设大会在广州召开。",
        "文化和旅游部门",
    ],
)
def test_not_staff_lines(text):
    assert not is_staff_line(text)


def test_split_staff_lines_trailing_paragraph():
    body, credits = split_staff_lines(
        ["会议以视频形式开至各地级以上市市场监管局。", "编辑 白珊珊 审读 韩绍俊 二审 党毅浩 三审 甘霖"]
    )
    assert body == ["会议以视频形式开至各地级以上市市场监管局。"]
    assert credits == Credits(editors=_editors("编辑=白珊珊", "审读=韩绍俊", "二审=党毅浩", "三审=甘霖"))


def test_split_staff_lines_parenthesised_credit_closing_a_paragraph():
    last = ("省领导吴桂英、王俊寿,省政府秘书长瞿海参加有关活动。 "
            "(来源:湖南日报 / 衡阳新闻联播 编辑:谢思思  责编:袁赟昆  三审:阳   健)")
    body, credits = split_staff_lines(["会前,毛伟明、罗文一行还在长沙调研。", last, ""])
    assert body == ["会前,毛伟明、罗文一行还在长沙调研。", "省领导吴桂英、王俊寿,省政府秘书长瞿海参加有关活动。"]
    assert credits.source == "湖南日报 / 衡阳新闻联播"
    assert credits.editors == _editors("编辑=谢思思", "责编=袁赟昆", "三审=阳健")


def test_split_staff_lines_leading_and_trailing_credit_paragraphs():
    body, credits = split_staff_lines(
        ["记者 张三 通讯员 李四", "第一段。", "第二段。", "（文/孙敏坚 李成辉 图/刘尚文 田超）", "责任编辑：王五"]
    )
    assert body == ["第一段。", "第二段。"]
    assert credits == Credits(
        authors=["张三", "李四", "孙敏坚", "李成辉"],
        photographers=["刘尚文", "田超"],
        editors=_editors("责任编辑=王五"),
    )


def test_split_staff_lines_keeps_real_parentheticals():
    paragraphs = [
        "广东在全国率先建成国家检验检测高技术服务集聚区(广州)",
        "国家服装产品质量检验检测中心（广东）清远基地建成并投入运营(2024)",
        "编辑部门的同志们认真工作。",
    ]
    assert split_staff_lines(paragraphs) == (paragraphs, Credits())


def test_split_staff_lines_without_credits_returns_the_paragraphs():
    assert split_staff_lines(["第一段。", "", "第二段。"]) == (["第一段。", "", "第二段。"], Credits())


def test_merge_credits_keeps_the_first_source_and_deduplicates():
    merged = merge_credits(
        [
            Credits(source="新华社", authors=["张三"], editors=_editors("编辑=李四")),
            Credits(source="人民日报", authors=["张三", "王五"], photographers=["赵六"], editors=_editors("编辑=李四")),
        ]
    )
    assert merged == Credits(
        source="新华社", authors=["张三", "王五"], photographers=["赵六"], editors=_editors("编辑=李四")
    )


# --- properties -------------------------------------------------------------------------------

# Name characters that are not label characters (文 图 摄 ...), so that a name never reads as a label.
_NAME_CHARS = (
    "张王李赵刘陈杨黄周吴孙马朱胡林郭何高罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶程魏苏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严"
    "覃武戴莫孔向汤敏坚成辉健珊俊浩霖思赟昆明伟"
)
_NAMES = st.lists(st.text(alphabet=_NAME_CHARS, min_size=2, max_size=4), min_size=1, max_size=4, unique=True)


@settings(max_examples=200)
@given(
    names=_NAMES,
    label=st.sampled_from(
        ["作者", "记者", "通讯员", "文", "图", "摄影", "编辑", "责编", "责任编辑", "审读", "二审", "三审", "终审"]),
    label_sep=st.sampled_from([":", "：", "/", "／", " ", "  "]),
    name_sep=st.sampled_from([" ", "、", "，", ",", "/", "／", "、 "]),
    brackets=st.sampled_from([("", ""), ("(", ")"), ("（", "）")]),
)
def test_names_survive_any_separator(names, label, label_sep, name_sep, brackets):
    if label in {"文", "图"} and not label_sep.strip():
        label_sep = "/"  # one-character labels need a colon or slash
    line = f"{brackets[0]}{label}{label_sep}{name_sep.join(names)}{brackets[1]}"
    credits = parse_credits(line)
    found = [e["name"] for e in credits.editors] or credits.authors or credits.photographers
    assert found == names
    assert is_staff_line(line)


@settings(max_examples=200)
@given(names=_NAMES, gap=st.sampled_from(["  ", "   ", "\u3000", " \u3000 "]))
def test_spread_single_character_names_are_joined(names, gap):
    spread = " ".join(gap.join(name) for name in names)
    credits = parse_credits(f"编辑：{spread}")
    assert [e["name"] for e in credits.editors] == names


@settings(max_examples=200)
@given(names=st.lists(st.text(alphabet="张王李赵刘陈杨黄周吴徐孙马朱胡林何高罗郑", min_size=2, max_size=2),
                      min_size=1, max_size=4),
       label=st.sampled_from(["作者：", "编辑：", "三审 ", "记者 "]))
def test_two_character_names_padded_with_a_space_stay_one_name(names, label):
    padded = " ".join(" ".join(name) for name in names)
    credits = parse_credits(label + padded)
    found = [e["name"] for e in credits.editors] or credits.authors
    assert found == names


def test_padded_names_keep_list_separators_and_the_photo_mark():
    assert parse_credits("作者：张 三、李 四").authors == ["张三", "李四"]
    assert parse_credits("作者：张、李").authors == ["张", "李"]
    assert parse_credits("记者 王 摄").photographers == ["王"]
    assert parse_credits("作者：王 小 明").authors == ["王小明"]
