"""Repair of mirror-damaged text: pinyin annotations and traditional characters.

Content-farm mirrors write the pinyin of characters in parentheses after them
(`襄陽產(chǎn)業(yè)`) and convert the text to traditional characters. The raw text stays
in the WARC, so the repair is reversible; `repair_texts` reports what it did by name.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata

import opencc

from crawler.normalize.text import CJK

logger = logging.getLogger(__name__)

PINYIN_REPAIR = "pinyin-annotations"
TRADITIONAL_REPAIR = "traditional-to-simplified"

TRADITIONAL_SHARE = 0.05
"""Share of a document's CJK characters that t2s changes above which the document counts as
converted to traditional. Measured: simplified seeds 000/002/004 0.0 and the 35 real pages at
most 0.0068; converted seeds 001 0.378 and 003 0.414."""
MIN_TRADITIONAL_CHARS = 3
"""At least this many changed characters, so that one `乾` in a short simplified text converts nothing."""

_MISSED_BY_OPENCC = str.maketrans({"陜": "陕"})
"""Traditional variants no OpenCC config converts (陜 U+965C, in seed 001's `鄂豫陜渝`)."""

_CJK_RUN = re.compile(f"[{CJK}]+")
_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# A run of parenthesised annotations right after a CJK character: `產(chǎn)`, `產（chan3）`.
_ANNOTATION_RUN = re.compile(rf"(?<=[{CJK}])(?:[(（][^()（）\n]{{1,40}}[)）])+")
_ANNOTATION = re.compile(r"[(（]([^()（）]*)[)）]")
_SYLLABLE = re.compile(rf"(?P<letters>[a-zü{_TONE_MARKS}]+)(?P<tone>[1-5]?)")
_PINYIN = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|er|in|un|ia|ie|iu|ua|uo|ui|ue|ve"
    r"|a|o|e|i|u|v)"
)


def repair_texts(texts: list[str]) -> tuple[list[str], list[str]]:
    """Repair the texts of one document together; returns them and the repairs done, in order.

    Pinyin annotations are removed wherever found; traditional characters are converted to
    simplified only when the whole document is detected as converted (`is_converted`).
    """
    repaired = [remove_pinyin_annotations(text) for text in texts]
    repairs = [PINYIN_REPAIR] if repaired != texts else []
    if is_converted(repaired):
        repaired = [to_simplified(text) for text in repaired]
        repairs.append(TRADITIONAL_REPAIR)
    if repairs:
        logger.debug("repaired mirror text: %s", ", ".join(repairs))
    return repaired, repairs


def remove_pinyin_annotations(text: str) -> str:
    """Remove parenthesised pinyin (`(chǎn)`, `（yè）`, `(chan3)`) right after CJK characters.

    Real parentheticals (`(广州)`, `(2024)`, `(a)`, `(yes)` after Latin text) are kept.
    """
    if "(" not in text and "（" not in text:  # most texts: two substring searches instead of a regex scan
        return text
    return _ANNOTATION_RUN.sub(_strip_leading_pinyin, text)


def is_pinyin(annotation: str) -> bool:
    """Whether an annotation's content is toned pinyin: 1-4 syllables, each with a tone mark or number."""
    parts = annotation.split()
    return 0 < len(parts) <= 4 and all(_is_toned_syllable(part) for part in parts)


def is_converted(texts: list[str]) -> bool:
    """Whether a document's texts read as converted to traditional characters (see `TRADITIONAL_SHARE`)."""
    changed, total = traditional_count(texts)
    return changed >= MIN_TRADITIONAL_CHARS and changed > TRADITIONAL_SHARE * total


def traditional_count(texts: list[str]) -> tuple[int, int]:
    """(CJK characters that OpenCC `t2s` changes one by one, all CJK characters) over the texts."""
    document = "\n".join(texts)  # one scan of all texts (the separator is no CJK character)
    return len(traditional_chars().findall(document)), sum(map(len, _CJK_RUN.findall(document)))


@functools.cache
def traditional_chars() -> re.Pattern[str]:
    """A character class of every CJK character that OpenCC `t2s` changes when converted on its own.

    Built once from OpenCC: all CJK characters, one per line, in one conversion (no phrase spans a
    line break, so each line converts as the character alone would), so that counting them in a
    document is one regex scan instead of a dictionary lookup per character.
    """
    chars = [chr(code) for low, high in zip(CJK[0::3], CJK[2::3], strict=True)
             for code in range(ord(low), ord(high) + 1)]
    converted = _converter("t2s").convert("\n".join(chars)).split("\n")
    assert len(converted) == len(chars), "t2s changed the line structure"
    changing = [ch for ch, out in zip(chars, converted, strict=True) if out != ch]
    return re.compile("[" + "".join(changing) + "]")


def to_simplified(text: str) -> str:
    """The text converted from traditional to simplified characters by OpenCC `tw2s`.

    `tw2s` rather than `t2s`: mirrors write the particle 着 as 著 (`代表著`, `著力`), which
    `t2s` leaves alone and `tw2s` turns back into 着; on seeds 001 and 003 that is the only
    difference between the two. The price is a few literary words (`专著` becomes `专着`).
    Variants OpenCC misses (`_MISSED_BY_OPENCC`) are mapped after it.
    """
    return _converter("tw2s").convert(text).translate(_MISSED_BY_OPENCC)


def _strip_leading_pinyin(run: re.Match[str]) -> str:
    """Drop the pinyin annotations that open a run; keep the run from its first real parenthetical on."""
    annotations = list(_ANNOTATION.finditer(run.group(0)))
    for annotation in annotations:
        if not is_pinyin(annotation.group(1)):
            return run.group(0)[annotation.start() :]
    return ""


def _is_toned_syllable(part: str) -> bool:
    """`chǎn` or `chan3`: a valid pinyin syllable carrying a tone."""
    match = _SYLLABLE.fullmatch(part)
    if match is None:
        return False
    letters = match["letters"]
    base = "".join(ch for ch in unicodedata.normalize("NFD", letters) if not unicodedata.combining(ch))
    # a tone mark or a tone number, not both
    has_tone = bool(match["tone"]) != any(ch in _TONE_MARKS for ch in letters)
    return has_tone and _PINYIN.fullmatch(base) is not None


@functools.cache
def _converter(config: str) -> opencc.OpenCC:
    """A shared OpenCC converter for a config name (`t2s`, `tw2s`)."""
    return opencc.OpenCC(config)
