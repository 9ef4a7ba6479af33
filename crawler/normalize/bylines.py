"""Staff and source lines: `来源`, `作者`, `记者`, `文/`, `图/`, `摄`, `编辑`, `责编`, `审读`, `二审` ...

`parse_credits` reads one line into `Credits`; `split_staff_lines` takes staff lines out of an
article body. Both work on the raw text (whitespace not collapsed), because a name spread for
justification (`阳   健`) is told from two names (`孙敏坚 李成辉`) by the width of the gap.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from crawler.normalize.dates import split_trailing_date
from crawler.normalize.labels import AUTHOR_LABELS, DATE_LABELS, EDITOR_ROLES, PHOTOGRAPHER_LABELS, SOURCE_LABELS
from crawler.normalize.text import CJK, clean_text

logger = logging.getLogger(__name__)

ANONYMOUS = frozenset({"佚名"})
PHOTO_MARK = "摄"
"""After names (`记者 张三 摄`), the names are photographers."""

MAX_STAFF_LINE = 150
MAX_SOURCE = 60

_ALL_LABELS = (*SOURCE_LABELS, *DATE_LABELS, *AUTHOR_LABELS, *PHOTOGRAPHER_LABELS, *EDITOR_ROLES)
_WORD_LABELS = sorted((label for label in _ALL_LABELS if len(label) > 1), key=len, reverse=True)
# A label starts a line or follows a space, bracket, list separator, another label's colon
# (`作者:记者 刘畅`) or a digit (a dateline run into it: `2022-02-13 07:00:00来源：央广网`). Word labels may
# be followed by spaces alone (`编辑 白珊珊`); one-character labels need a colon or slash (`文/…`).
_LABEL = re.compile(
    r"(?:^|(?<=[\s(（\[【|,，;；:：\d]))(?:"
    rf"(?P<word>{'|'.join(_WORD_LABELS)})\s*(?:[:：/／]|(?=\s))"
    r"|(?P<char>[文图摄])\s*[:：/／])\s*"
)
# Single CJK characters set apart by 2+ spaces or a U+3000: one name spread for justification.
_SPREAD_NAME = re.compile(rf"(?<![{CJK}])[{CJK}](?:(?:[^\S\u3000]{{2,}}|\s*\u3000\s*)[{CJK}])+(?![{CJK}])")
_CJK_CHAR = re.compile(rf"[{CJK}]")
_LIST_SEPARATOR = re.compile(r"[、，,/／;；]+")
# Personal names only (an organisation as author is parsed but does not make a line removable).
_NAME = re.compile(
    rf"[{CJK}]{{1,4}}|[{CJK}]{{1,8}}[·•][{CJK}]{{1,8}}|[A-Za-z][A-Za-z.'\-]{{0,30}}"
    rf"|(?=[^&_\d]*[&_\d])(?=.*[{CJK}A-Za-z])[{CJK}A-Za-z0-9_&.\-]{{2,20}}"
)
"""A person's name, or an account name (`放飞&心情`, `user_2005`: a digit, `_` or `&` among letters)."""
_SENTENCE_END = re.compile(r"[。！？!?]")
_TRAILING_PARENTHESIS = re.compile(r"[(（]([^()（）]*)[)）]\s*$")
_OPENING, _CLOSING = "(（[【", ")）]】"
_BRACKETS = " \t\u3000" + _OPENING + _CLOSING


@dataclass
class Credits:
    """Who a text came from and who made it, as printed on the page."""

    source: str | None = None
    authors: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    editors: list[dict[str, str]] = field(default_factory=list)
    """`{"role": ..., "name": ...}` in page order, the role exactly as printed (`责编`, `三审` ...)."""
    date_text: str | None = None
    """A date printed on the source line (`09-25`, `2024-10-10`), unparsed."""


def parse_credits(text: str) -> Credits:
    """Read the labelled groups of a staff or source line (text before the first label is ignored).

    `(来源:湖南日报 / 衡阳新闻联播 编辑:谢思思  责编:袁赟昆  三审:阳   健)` gives source
    `湖南日报 / 衡阳新闻联播` and three editors, the last one `阳健`.
    """
    credits = Credits()
    for label, value in _groups(_unwrap(text)):
        _add_group(credits, label, value)
    return credits


def is_staff_line(text: str) -> bool:
    """Whether a line is made only of label + names groups (`编辑 白珊珊 审读 韩绍俊`), brackets allowed."""
    inner = _unwrap(text)
    if not inner or len(inner) > MAX_STAFF_LINE or _SENTENCE_END.search(inner):
        return False
    if _LABEL.match(inner) is None:
        return False
    return all(_valid_group(label, value) for label, value in _groups(inner))


def split_names(value: str) -> tuple[list[str], bool]:
    """The names of a group value and whether a trailing `摄` marks them as photographers.

    Spread names are joined (`阳   健` -> `阳健`), `佚名` is dropped.
    """
    tokens = _name_tokens(value)
    photo = bool(tokens) and tokens[-1] == PHOTO_MARK
    if photo:
        tokens = tokens[:-1]
    return [token for token in tokens if token not in ANONYMOUS], photo


def split_staff_lines(paragraphs: list[str]) -> tuple[list[str], Credits]:
    """Take staff lines out of a body: leading and trailing staff paragraphs, and a parenthesised
    credit closing a paragraph (`…参加有关活动。 (来源:… 编辑:…)`). Real parentheticals stay.

    Returns the remaining paragraphs (raw, uncleaned) and the credits found, in page order.
    """
    first, last = _staff_edges(paragraphs)
    found = [parse_credits(p) for p in paragraphs[:first] if p.strip()]
    body: list[str] = []
    for paragraph in paragraphs[first:last]:
        kept, credit = _split_trailing_credit(paragraph)
        if credit is not None:
            found.append(credit)
        if kept.strip() or credit is None:
            body.append(kept)
    found.extend(parse_credits(p) for p in paragraphs[last:] if p.strip())
    if found:
        logger.debug("took %d staff credits out of the body", len(found))
    return body, merge_credits(found)


def merge_credits(parts: Iterable[Credits]) -> Credits:
    """One `Credits` from several: the first source and date win, names de-duplicated in order."""
    merged = Credits()
    for part in parts:
        merged.source = merged.source or part.source
        merged.date_text = merged.date_text or part.date_text
        merged.authors += [name for name in part.authors if name not in merged.authors]
        merged.photographers += [name for name in part.photographers if name not in merged.photographers]
        merged.editors += [editor for editor in part.editors if editor not in merged.editors]
    return merged


def _unwrap(text: str) -> str:
    """The text without surrounding whitespace and one enclosing pair of brackets."""
    stripped = text.strip()
    if len(stripped) >= 2 and stripped[0] in _OPENING and stripped[-1] in _CLOSING:
        return stripped[1:-1].strip()
    return stripped


def _groups(text: str) -> list[tuple[str, str]]:
    """(label, raw value) pairs in order; a value runs to the next label.

    A label directly followed by another (`作者:记者 刘畅`) gives no group of its own.
    """
    matches = list(_LABEL.finditer(text))
    ends = [m.start() for m in matches[1:]] + [len(text)]
    # Without any label `ends` still holds the text's end: one more than `matches`, and no group.
    groups = [(m["word"] or m["char"], text[m.end() : end]) for m, end in zip(matches, ends, strict=False)]
    return [(label, value) for i, (label, value) in enumerate(groups) if value.strip() or i == len(groups) - 1]


def _name_tokens(value: str) -> list[str]:
    """Name tokens of a raw group value, spread names joined, brackets dropped."""
    joined = _SPREAD_NAME.sub(lambda m: re.sub(r"\s+", "", m.group(0)), value.strip(_BRACKETS))
    return [name for part in _LIST_SEPARATOR.split(joined) for name in _joined_single_characters(part.split())]


def _joined_single_characters(tokens: list[str]) -> list[str]:
    """Runs of one-character CJK tokens joined into names: typesetting pads a two-character name to a
    three-character width with a space (`赵 六`), and hardly anyone is named with one character. A run of two
    or three is one name; a longer run is names of two (the last of three when the run is odd). A
    closing `摄` is the photo mark, not part of a name."""
    result: list[str] = []
    run: list[str] = []
    for index, token in enumerate([*tokens, ""]):
        photo_mark = token == PHOTO_MARK and index == len(tokens) - 1
        single = len(token) == 1 and _CJK_CHAR.fullmatch(token) and not photo_mark
        if single:
            run.append(token)
            continue
        result += _names_of_run(run)
        run = []
        if token:
            result.append(token)
    return result


def _names_of_run(run: list[str]) -> list[str]:
    if len(run) < 2:
        return run
    if len(run) <= 3:
        return ["".join(run)]
    cut = len(run) - (3 if len(run) % 2 else 2)
    return [*("".join(run[i:i + 2]) for i in range(0, cut, 2)), "".join(run[cut:])]


def _add_group(credits: Credits, label: str, value: str) -> None:
    """Record one labelled group in `credits`."""
    if label in SOURCE_LABELS:
        source, date_text = split_trailing_date(clean_text(value.strip(_BRACKETS)))
        credits.source = credits.source or source or None
        credits.date_text = credits.date_text or date_text
    elif label in DATE_LABELS:
        credits.date_text = credits.date_text or clean_text(value.strip(_BRACKETS)) or None
    else:
        names, photo = split_names(value)
        if label in EDITOR_ROLES:
            credits.editors += [{"role": label, "name": name} for name in names]
        elif photo or label in PHOTOGRAPHER_LABELS:
            credits.photographers += names
        else:
            credits.authors += names


def _valid_group(label: str, value: str) -> bool:
    """Whether a group looks like credits rather than prose."""
    if label in SOURCE_LABELS:
        return 0 < len(clean_text(value)) <= MAX_SOURCE
    if label in DATE_LABELS:
        return any(ch.isdigit() for ch in value)
    tokens = _name_tokens(value)
    return bool(tokens) and all(_NAME.fullmatch(token) for token in tokens)


def _is_blank_or_staff(paragraph: str) -> bool:
    """Whether a paragraph is empty or a whole staff line."""
    return not paragraph.strip() or is_staff_line(paragraph)


def _staff_edges(paragraphs: list[str]) -> tuple[int, int]:
    """Indexes (first, last) such that paragraphs[first:last] is the body without staff runs at its ends."""
    first, last = 0, len(paragraphs)
    while first < last and _is_blank_or_staff(paragraphs[first]):
        first += 1
    while last > first and _is_blank_or_staff(paragraphs[last - 1]):
        last -= 1
    return first, last


def _split_trailing_credit(paragraph: str) -> tuple[str, Credits | None]:
    """Split a parenthesised credit closing a paragraph off it; real parentheticals are left alone."""
    match = _TRAILING_PARENTHESIS.search(paragraph)
    if match is None or not is_staff_line(match.group(1)):
        return paragraph, None
    return paragraph[: match.start()].rstrip(), parse_credits(match.group(1))
