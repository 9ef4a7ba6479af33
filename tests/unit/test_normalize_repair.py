"""Mirror-text repair: pinyin annotations and traditional characters (seeds 001 and 003)."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.normalize.repair import (
    PINYIN_REPAIR,
    TRADITIONAL_REPAIR,
    TRADITIONAL_SHARE,
    is_converted,
    is_pinyin,
    remove_pinyin_annotations,
    repair_texts,
    to_simplified,
    traditional_count,
)
from crawler.normalize.text import CJK

DATA = Path(__file__).parent / "data"
CONVERTED_SEEDS = ["001_6e6b5c6e1d76ec17.txt", "003_5ea6c72bd155069a.txt"]
SIMPLIFIED_SEED = "004_c41b6d19b8e72db7.txt"
_ANY_PINYIN = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[1-5]?[)）]")


def _lines(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").split("\n")


@pytest.mark.parametrize(
    ("text", "repaired"),
    [
        ("襄陽產(chǎn)業(yè)發(fā)展", "襄陽產業發展"),
        ("質(zhì)量（zhì）", "質量"),
        ("产(chan3)业(ye4)", "产业"),
        ("发(fā)(zhǎn)展", "发展"),
        ("落户襄阳(xiāng yáng)", "落户襄阳"),
        ("产(chǎn)(广州)(yè)", "产(广州)(yè)"),
        ("集聚区(广州)", "集聚区(广州)"),
        ("在(2024)年", "在(2024)年"),
        ("(文/孙敏坚 李成辉 图/刘尚文 田超)", "(文/孙敏坚 李成辉 图/刘尚文 田超)"),
        ("yes(yè)", "yes(yè)"),
        ("say(yes)", "say(yes)"),
        ("选项(a)", "选项(a)"),
        ("格式(mp3)", "格式(mp3)"),
        ("纸张(A4)", "纸张(A4)"),
        ("注(de)", "注(de)"),
        ("产(chǎn3)", "产(chǎn3)"),
        ("(chǎn)业", "(chǎn)业"),
    ],
)
def test_remove_pinyin_annotations(text, repaired):
    assert remove_pinyin_annotations(text) == repaired


@pytest.mark.parametrize(("annotation", "expected"), [
    ("chǎn", True), ("lǜ", True), ("nv3", True), ("a", False), ("xyz1", False), ("", False),
])
def test_is_pinyin(annotation, expected):
    assert is_pinyin(annotation) is expected


@pytest.mark.parametrize("name", CONVERTED_SEEDS)
def test_converted_seeds_are_repaired(name):
    repaired, repairs = repair_texts(_lines(name))
    text = "\n".join(repaired)
    assert repairs == [PINYIN_REPAIR, TRADITIONAL_REPAIR]
    assert not _ANY_PINYIN.search(text)
    assert opencc.OpenCC("t2s").convert(text) == text
    assert to_simplified(text) == text
    # every character is in GB 2312, the simplified character set (no traditional variant left)
    assert all(ord(ch) < 0x3400 or ch.encode("gb2312", "ignore") for ch in text)


def test_repaired_seed_text():
    repaired = repair_texts(_lines(CONVERTED_SEEDS[0]))[0]
    assert repaired[0] == "襄阳产业发展迎来技术保证"
    assert "代表着一个城市的形象" in repaired[3] and "鄂豫陕渝毗邻地区" in repaired[3]
    head = repair_texts(_lines(CONVERTED_SEEDS[1]))[0][:4]
    assert head == ["2025年全省质量工作暨省长质量奖颁奖大会召开", "深化局省合作 培强质量动能",
                    "为建设质量强国作出湖南贡献", "毛伟明罗文出席并讲话"]


def test_detection_margin_on_the_seeds():
    """Measured shares: 001 0.378, 003 0.414; simplified seeds 0.0 (the threshold is 0.05)."""
    for name in CONVERTED_SEEDS:
        changed, total = traditional_count(_lines(name))
        assert changed / total > 5 * TRADITIONAL_SHARE
    assert traditional_count(_lines(SIMPLIFIED_SEED))[0] == 0


def test_simplified_seed_is_left_alone():
    lines = _lines(SIMPLIFIED_SEED)
    assert repair_texts(lines) == (lines, [])


def test_traditional_detection_is_per_document():
    # One traditional-looking character in a simplified document changes nothing ...
    document = ["乾隆年间的故事", "广东省质量基础设施建设大会在广州召开。"]
    assert not is_converted(document)
    assert repair_texts(document) == (document, [])
    # ... but a converted title is converted with the rest of its document.
    assert repair_texts(["襄陽", "發展質量"]) == (["襄阳", "发展质量"], [TRADITIONAL_REPAIR])


def test_pinyin_only_repair():
    assert repair_texts(["产(chǎn)业"]) == (["产业"], [PINYIN_REPAIR])


# --- properties -------------------------------------------------------------------------------

_SIMPLIFIED = "".join(sorted(set(re.findall(r"[\u4e00-\u9fff]", (DATA / SIMPLIFIED_SEED).read_text(encoding="utf-8")))))
_CLEAN_PIECES = st.one_of(
    st.text(alphabet=_SIMPLIFIED, min_size=1, max_size=8),
    st.sampled_from(
        ["(广州)", "（广东）", "(2024)", "（2024年）", "(a)", "yes(yes)", "(文/孙敏坚 李成辉)", "ISO 9001", "GB/T"]),
    st.sampled_from([" ", ",", "，", "。", "、", "“", "”", "\n", "word", "123", "90.9%"]),
)
_DAMAGED_PIECES = st.one_of(
    _CLEAN_PIECES,
    st.sampled_from(
        ["(chǎn)", "（yè）", "(fā)", "(chan3)", "(xiāng yáng)", "襄陽", "產業", "發展", "質量", "標準", "計量"]),
)


def test_the_simplified_alphabet_is_untouched_by_t2s():
    assert len(_SIMPLIFIED) > 500
    assert traditional_count([_SIMPLIFIED]) == (0, len(_SIMPLIFIED))


def test_conversion_restores_the_particle_zhe():
    assert to_simplified("代表著一個城市,著力構建,隨著發展,著名,顯著") == "代表着一个城市,着力构建,随着发展,著名,显著"


@settings(max_examples=200)
@given(st.lists(st.lists(_CLEAN_PIECES, max_size=30).map("".join), min_size=1, max_size=4))
def test_clean_simplified_text_is_unchanged(texts):
    assert repair_texts(texts) == (texts, [])


@settings(max_examples=200)
@given(st.lists(st.lists(_DAMAGED_PIECES, max_size=30).map("".join), min_size=1, max_size=4))
def test_repair_is_idempotent(texts):
    once, _ = repair_texts(texts)
    assert repair_texts(once) == (once, [])


@settings(max_examples=200)
@given(st.lists(st.lists(_DAMAGED_PIECES, max_size=30).map("".join), max_size=4))
def test_traditional_count_counts_character_by_character(texts):
    t2s = opencc.OpenCC("t2s")
    cjk = [ch for text in texts for ch in text if re.fullmatch(f"[{CJK}]", ch)]
    assert traditional_count(texts) == (sum(t2s.convert(ch) != ch for ch in cjk), len(cjk))
