"""Page furniture in text: reading-tool bars (`【字体：大 中 小】`, `打印本页`, `关闭窗口`, `分享到：`)
and a site name closing a page title (`…_湖南省人民政府门户网站`).

Both are the words of page templates, not of articles, and every CMS prints them alike, so the rules
name template words and site-name endings, never a site.
"""

from __future__ import annotations

import re

from crawler.normalize.labels import ORIGINAL_HEADLINE_LABEL

MAX_FURNITURE_LINE = 40
"""Longer lines are text, whatever words they hold."""

_TOOL_WORDS = (
    "字体", "字号", "大", "中", "小", "默认", "打印本页", "打印本文", "打印文章", "打印",
    "关闭窗口", "关闭本页", "关闭",
    "收藏本页", "收藏", "返回顶部", "回到顶部", "返回", "顶部", "纠错", "我要纠错", "分享", "扫一扫", "在手机打开",
    "视力保护色", "护眼模式", "放大", "缩小", "保存", "保存本页", "【", "】", "[", "]", "(", ")", "（", "）",
)
_TOOLS = re.compile("|".join(sorted(map(re.escape, _TOOL_WORDS), key=len, reverse=True)))
_SEPARATORS = re.compile(r"[\s:：|｜/、,，·•-]+")
_SHARE_BAR = re.compile(r"^\s*[【\[]?\s*分享(?:到|至)\s*[:：]?")
MAX_SHARE_TAIL = 30
"""A share bar names a few services after its label (`分享到：微信 微博 QQ空间`)."""

_TITLE_SEPARATOR = re.compile(r"\s*(?:_|\||｜|»|«|[-–—]{1,2})\s*")
_SITE_ENDINGS = (
    "网站", "门户", "政府", "官网", "网", "平台", "频道", "首页", "在线", "日报", "晚报", "新闻",
    "博客", "论坛", "社区",
)
_DOMAIN = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$", re.IGNORECASE)
"""How a site or outlet name ends (`湖南省人民政府门户网站`, `中国政府网`, `新华网`, `人民日报`)."""


def is_furniture(line: str) -> bool:
    """Whether a short line is only reading-tool words (`【字体：大 中 小】 打印本页 关闭窗口`) or a share bar."""
    text = line.strip()
    if not text or len(text) > MAX_FURNITURE_LINE:
        return False
    share = _SHARE_BAR.match(text)
    if share is not None:
        return len(text) - share.end() <= MAX_SHARE_TAIL
    words = _TOOLS.findall(text)
    left = _SEPARATORS.sub("", _TOOLS.sub("", text))
    return not left and any(len(word) > 1 for word in words)


def without_furniture(paragraphs: list[str]) -> list[str]:
    """The paragraphs that are not page furniture."""
    return [paragraph for paragraph in paragraphs if not is_furniture(paragraph)]


def strip_site_suffix(title: str, site_names: tuple[str, ...] = ()) -> str:
    """A title without the site names its page template appends (`标题_湖南省人民政府门户网站` gives `标题`):
    trailing parts after a separator that are one of `site_names` or end like a site name. The first part stays."""
    parts = _TITLE_SEPARATOR.split(title.strip())
    if not parts[0]:
        return title.strip()
    while len(parts) > 1 and _is_site_name(parts[-1], site_names):
        parts.pop()
    if len(parts) == len(_TITLE_SEPARATOR.split(title.strip())):
        return _without_site_prefix(title.strip(), site_names)
    return _without_site_prefix(_joined(title.strip(), len(parts)), site_names)


def title_tail(title: str) -> str:
    """The last part of a page's `<title>` after a separator (`金锺国 - 维基百科，自由的百科全书` gives the
    tagline), or "" for a title of one part: a page may print its site's name or tagline on a line of its
    own, and that line is no headline."""
    parts = _TITLE_SEPARATOR.split(title.strip())
    return parts[-1].strip() if len(parts) > 1 and parts[0].strip() else ""


def heading_before_suffix(title: str, heading: str) -> str:
    """The page's `<h1>` when a title is that heading followed by a suffix (`金锺国 - 维基百科，自由的百科全书`
    with the `<h1>` `金锺国`): the two agree on the headline; else the title as it is."""
    parts = _TITLE_SEPARATOR.split(title.strip())
    key = re.sub(r"\s+", "", heading)
    return heading.strip() if len(parts) > 1 and key and re.sub(r"\s+", "", parts[0]) == key else title


def without_original_label(title: str) -> str:
    """A headline without the `原标题：` (original headline) label a repost prints before it."""
    return _ORIGINAL_LABEL.sub("", title)


_ORIGINAL_LABEL = re.compile(rf"^\s*{ORIGINAL_HEADLINE_LABEL}\s*[:：]\s*")


def _without_site_prefix(title: str, site_names: tuple[str, ...]) -> str:
    """A title without a site name its template puts before it (`多维博客 » 标题` gives `标题`)."""
    first = _TITLE_SEPARATOR.search(title)
    if first is None or not _is_site_name(title[:first.start()], site_names) or not title[first.end():].strip():
        return title
    return title[first.end():].strip()


def _is_site_name(part: str, site_names: tuple[str, ...]) -> bool:
    text = part.strip()
    return bool(text) and (text in site_names or text.endswith(_SITE_ENDINGS) or bool(_DOMAIN.match(text))
                           or ".gov.cn" in text.lower())


def _joined(title: str, keep: int) -> str:
    """The title up to (not including) the separator after its first `keep` parts, as printed."""
    separators = list(_TITLE_SEPARATOR.finditer(title))
    return title[:separators[keep - 1].start()].strip()
