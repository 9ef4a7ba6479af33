"""Value guards: an author, editor, photographer or source that is not a name becomes empty.

Pages put words in the places names stand that are no names: page-tool words (`网页`, `打印`), the
CMS vendor or the site itself as the author (`大汉网络`, `某某网`), a repost marker instead of an
outlet (`转载`, `转载文章`), an unbalanced bracket left from the markup (`人民网 ]`). Each rejected
value is logged at DEBUG and counted (`normalize/rejected/<field>`); a source loses its stray
brackets and punctuation before it is judged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from crawler.normalize.text import CJK

logger = logging.getLogger(__name__)

UI_WORDS = frozenset({
    "网页", "网站", "首页", "主页", "登录", "注册", "退出", "返回", "打印", "关闭", "分享", "收藏", "更多", "评论",
    "点击", "阅读", "浏览", "查看", "下载", "上传", "搜索", "图片", "视频", "新闻", "正文", "全文", "原文", "详情",
    "来源", "作者", "编辑", "记者", "发布", "时间", "日期", "本站", "本网", "本报", "管理员", "admin", "administrator",
    "本报记者", "本网记者", "特约记者", "见习记者", "通讯员", "匿名", "未知", "不详", "无", "暂无", "佚名",
    "null", "none", "undefined", "unknown",
})
"""Words of page templates and placeholders that stand where a name should."""
REPOST_MARKERS = frozenset({
    "转载", "转载文章", "转帖", "转自", "转自网络", "网络转载", "来自网络", "来源网络", "网络", "互联网",
    "网络来源", "网友投稿", "其他", "其它",
})
"""What pages print in a source's place when they repost: not an outlet's name."""
PUBLISHER_ENDINGS = (
    "网络", "网", "网站", "在线", "频道", "客户端", "平台", "公司", "集团", "科技", "传媒", "软件", "信息技术",
)
"""How a site's, a CMS vendor's or a publisher's name ends (`大汉网络`, `新华网`): such a name is no author."""
MAX_NAME = 40

_JUNK = r"[\s\[\]【】()（）<>《》「」:：,，;；|/\\·\-—_]+"
_EDGE_JUNK = re.compile(rf"^{_JUNK}|{_JUNK}$")
_MARKUP = re.compile(r"[<>=\"]")
"""Characters of markup left in a value (`size="20"`): no outlet's name holds them."""
_HAS_LETTER = re.compile(rf"[{CJK}A-Za-z]")
_PAIRS = {"(": ")", "（": "）", "[": "]", "【": "】", "《": "》", "<": ">", "「": "」"}


@dataclass
class Rejections:
    """The values the guards emptied, as (field, value)."""

    found: list[tuple[str, str]] = field(default_factory=list)

    def keep(self, field_name: str, value: str, test: Callable[[str], bool]) -> bool:
        """Whether a value passes `test`; a failing one is recorded and logged."""
        if test(value):
            return True
        self.found.append((field_name, value))
        logger.debug("not a name, left out of %s: %r", field_name, value)
        return False


def is_person_name(value: str) -> bool:
    """Whether an author, editor or photographer value can be a person's name: not a page-tool word, a
    placeholder, a repost marker or a site's, vendor's or publisher's name."""
    text = value.strip()
    if not text or len(text) > MAX_NAME or not _HAS_LETTER.search(text):
        return False
    lowered = text.lower()
    return lowered not in UI_WORDS and text not in REPOST_MARKERS and not text.endswith(PUBLISHER_ENDINGS)


def tidy_source(value: str) -> str:
    """A source without the brackets and punctuation its markup left at its ends (`人民网 ]` gives
    `人民网`); a balanced pair (`（湖南日报）`) is unwrapped too."""
    text = value.strip()
    while len(text) >= 2 and _PAIRS.get(text[0]) == text[-1]:
        text = text[1:-1].strip()
    return _EDGE_JUNK.sub("", text) if _unbalanced(text) or _EDGE_JUNK.search(text) else text


def _unbalanced(text: str) -> bool:
    return any(text.count(opening) != text.count(closing) for opening, closing in _PAIRS.items())


def is_source_name(value: str) -> bool:
    """Whether a (tidied) source can be an outlet's name: not a repost marker, a page-tool word or a
    piece of markup (`size="20"`)."""
    text = value.strip()
    if not text or not _HAS_LETTER.search(text) or _MARKUP.search(text):
        return False
    return text not in REPOST_MARKERS and text.lower() not in UI_WORDS
