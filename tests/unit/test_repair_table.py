"""The table of traditional characters equals OpenCC `t2s` applied to each CJK character alone."""

from __future__ import annotations

from crawler.normalize.repair import _converter, traditional_chars, traditional_count
from crawler.normalize.text import CJK


def test_every_cjk_character_is_in_the_table_exactly_when_t2s_changes_it_alone():
    table = traditional_chars()
    converter = _converter("t2s")
    for low, high in zip(CJK[0::3], CJK[2::3], strict=True):
        for code in range(ord(low), ord(high) + 1):
            ch = chr(code)
            assert (table.fullmatch(ch) is not None) == (converter.convert(ch) != ch), f"U+{code:04X} {ch}"


def test_count_of_a_mixed_text():
    assert traditional_count(["質量基礎設施 质量 quality", "檢驗檢測"]) == (7, 12)
