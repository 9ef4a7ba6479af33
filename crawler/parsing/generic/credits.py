"""Staff credits and personal names in one line, as pages nobody wrote a parser for print them.

The project's byline parser (`crawler.normalize.bylines`) reads a staff line once it is found;
this module finds one in lines that carry more: a media name before the label
(`光明日报记者 王建宏 张文攀`), a dateline after the names (`新京报记者 彭冲 山东冠县报道`), a credit
in brackets beside other text (`【编辑:刘欢】 返回搜狐`). It also reads the names pages print
without a label: a line of bare names under a headline (`胡平`), a closing parenthesis of names
(`（常书香 马丹阳 ）`), a bracketed name on a dateline (`2004年7月16日08:19 [ 黄宇 ]`).
"""

from __future__ import annotations

import re

from crawler.normalize.bylines import is_staff_line, parse_credits
from crawler.normalize.labels import AUTHOR_LABELS, STAFF_LABELS, label_pattern
from crawler.normalize.repair import to_simplified
from crawler.normalize.text import CJK

MAX_CREDIT_LINE = 60
"""Longer lines are prose, not credits."""
MAX_BARE_NAMES = 4

_CREDIT_LABEL = re.compile(rf"(?:{label_pattern(STAFF_LABELS)})\s*[:：/／]?")
_DECORATION = "□■◎●·-—  \u3000"
_DATELINE_TAIL = re.compile(r"\s+\S{1,12}(?:报道|电)$")
_BRACKETED = re.compile(r"[\[【(（]\s*([^\[\]【】()（）]{1,40}?)\s*[\]】)）]")
_CLOSING_BRACKETS = re.compile(r"[(（]([^()（）]{2,30})[)）]\s*$")
_CLOSING_DATELINE = re.compile(r"\s+\S{1,8}(?:报道|电|讯)$")
"""A dateline closing the names in a closing parenthesis (`（姚峰 上海报道）`)."""
_PERSONAL_NAME = re.compile(rf"[{CJK}]{{2,4}}|[{CJK}]{{1,6}}[·•][{CJK}]{{1,8}}")
_BARE_NAME = re.compile(rf"[{CJK}]{{2,3}}")
_ORG_ENDING = tuple("报网社台站部局厅委会办院所处司组室团队刊")
"""A name-shaped word ending in one of these is an organisation (`新华社`, `本报`), not a person."""
_LIST_SEPARATOR = re.compile(r"[,，;；、/|]+")


def credit_in(line: str) -> str | None:
    """The staff line a short line holds, or None: the line itself (`编辑：山石`), its part from a
    label on (`光明日报记者 王建宏 张文攀` gives `记者 王建宏 张文攀`; a closing `…报道` dateline is
    dropped), or a bracketed part (`【编辑:刘欢】 返回搜狐` gives `编辑:刘欢`). Labels printed in
    traditional characters count (a converting mirror's `記者 張三`); the text is returned as printed.
    A blog or forum line naming the poster beside the date gives an `作者` line (see `poster_in`)."""
    text = line.strip().strip(_DECORATION)
    if not text or len(text) > MAX_CREDIT_LINE:
        return None
    candidates = [text, *(text[m.start():] for m in _CREDIT_LABEL.finditer(text)), *_BRACKETED.findall(text)]
    for candidate in candidates:
        candidate = _DATELINE_TAIL.sub("", candidate.strip())
        if candidate and (is_staff_line(candidate) or is_staff_line(to_simplified(candidate))):
            return candidate
    return poster_in(text)


_POSTER = re.compile(
    rf"^\s*(?:由\s*)?(?P<name>[{CJK}A-Za-z0-9_&.\-]{{2,20}}?)\s*(?:发表于|发布于|张贴于|张贴|写于|发表|posted|@)\s*[@:：]?\s*(?=\d)"
    r"|^\s*(?:posted|written|published)\s+by\s+(?P<by>[A-Za-z0-9_&.\- ]{2,30}?|[^\s]{2,20})\s+(?:at|on|@|于)\s*(?=\d)",
    re.IGNORECASE,
)
_BY_LINE = re.compile(
    r"^\s*[Bb][Yy]\s+(?P<name>[A-Z][A-Za-z.'\-]*(?:\s[A-Z][A-Za-z.'\-]*){0,3}|[^\sA-Za-z\d]{2,8})\s*$"
)
_NOT_POSTERS = frozenset({"本文", "此文", "文章", "该文", "原文", "本帖", "最后", "编辑"})
"""Words that open a `… 发表于 DATE` line without naming anyone (`本文发表于 2005-06-14`)."""


def poster_in(line: str) -> str | None:
    """The poster a blog or forum line names beside the post's date (`由海姑娘张贴 @ 2005-06-14 03:25:55`,
    `ggjjzhzz 发表于 2005-9-15 11:46:00`, `Posted by Tom at 2005/06/14`), as a staff line; or the name of a
    `by NAME` line. None when the line names no one."""
    text = line.strip()
    if len(text) > MAX_CREDIT_LINE:
        return None
    match = _POSTER.match(text) or _BY_LINE.match(text)
    if match is None:
        return None
    name = (match.groupdict().get("name") or match.groupdict().get("by") or "").strip()
    if not name or name in _NOT_POSTERS or _CREDIT_LABEL.fullmatch(name) or name.lower().startswith("copyright"):
        return None
    return f"作者:{name}"


_AUTHOR_LABEL = re.compile(rf"^\s*[【\[(（]?\s*(?:作\s+者|{label_pattern(AUTHOR_LABELS)})\s*[:：/／]")
_BLOG_OWNER = re.compile(rf"([{CJK}A-Za-z0-9_&.\-]{{2,20}}?)的(?:博客|BLOG|blog|Blog|空间|专栏|个人主页)")


def is_author_line(line: str) -> bool:
    """Whether a line is a whole staff line opening with an author label and a colon (`作者： 放飞&心情`)."""
    text = line.strip()
    return bool(_AUTHOR_LABEL.match(text)) and len(text) <= MAX_CREDIT_LINE and is_staff_line(text)


def blog_owner(title: str) -> list[str]:
    """The owner a page title names as its blog's (`播客热潮_张三的博客` gives [`张三`]), else []."""
    match = _BLOG_OWNER.search(title)
    return [match.group(1)] if match else []


def personal_names(value: str) -> list[str]:
    """The personal names in an author value (`赵 培`, `张三, 李四`); URLs, organisations and Latin
    strings give none. Spaces inside one CJK name are justification: `赵 培` is `赵培`."""
    names = []
    for part in _LIST_SEPARATOR.split(value):
        token = re.sub(r"\s+", "", part)
        if _PERSONAL_NAME.fullmatch(token) and not token.endswith(_ORG_ENDING):
            names.append(token)
    return names


def bare_names(line: str) -> list[str]:
    """The names of a line made only of one to four bare personal names (`胡平`, `常书香 马丹阳`), else []."""
    tokens = line.split()
    if not 1 <= len(tokens) <= MAX_BARE_NAMES:
        return []
    if all(_is_bare_name(token) for token in tokens):
        return tokens
    return []


def _is_bare_name(token: str) -> bool:
    return bool(_BARE_NAME.fullmatch(token)) and not token.endswith(_ORG_ENDING) and not _CREDIT_LABEL.fullmatch(token)


def bracketed_names(line: str) -> list[str]:
    """Names a line prints in brackets on their own (`2004年7月16日08:19 [ 黄宇 ]  来源：[ 国际金融报 ]`
    gives `黄宇`: the source's bracket holds no personal name)."""
    return [name for inner in _BRACKETED.findall(line) for name in bare_names(inner)]


def closing_names(paragraph: str) -> tuple[str, list[str]]:
    """Split a closing parenthesis of bare names off a paragraph (`…之年。（常书香 马丹阳 ）`)."""
    match = _CLOSING_BRACKETS.search(paragraph)
    names = bare_names(_CLOSING_DATELINE.sub("", match.group(1).strip())) if match else []
    if match is None or not names:
        return paragraph, []
    return paragraph[:match.start()].rstrip(), names


def author_line(names: list[str]) -> list[str]:
    """A staff line for names printed without a label (`作者:常书香 马丹阳`), or [] for no names."""
    return [f"作者:{' '.join(names)}"] if names else []


def traditional_source_line(line: str) -> bool:
    """Whether a line names its `来源` only in traditional characters (`來源：湖南日報`, as converting
    mirrors print it): normalization reads such a line's credits after repairing the text."""
    return parse_credits(line).source is None and parse_credits(to_simplified(line)).source is not None
