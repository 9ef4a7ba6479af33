"""The labels Chinese news and government pages print before a value (`来源:`, `作者:`, `发布时间:`), each list once.

The byline parser, the parsers' meta-line reader (`crawler.parsing.extract.labelled`) and the generic
extractor's date finder build their patterns from these lists; `label_pattern` puts a longer
label before a label it ends with or starts with (`信息来源` before `来源`), so a regex takes the whole label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SOURCE_LABELS = ("来源", "信息来源")
"""Labels of the source (the publication an article comes from)."""
DATE_LABELS = ("发布时间", "发布日期", "时间", "日期")
"""Labels of the publish date in a staff or meta line."""
AUTHOR_LABELS = ("作者", "撰文", "记者", "通讯员", "实习生", "文")
PHOTOGRAPHER_LABELS = ("图", "摄", "摄影")
EDITOR_ROLES = ("编辑", "责编", "责任编辑", "审读", "审核", "二审", "三审", "终审")
"""Labels of editors; the label is the role an item's `editors` entry names."""

PAGE_COUNTER_LABELS = ("浏览次数", "点击数", "阅读", "字号", "原文链接")
"""Labels a meta line prints beside the article's facts: counters and page tools."""
META_LINE_LABELS = (*SOURCE_LABELS, *DATE_LABELS, "作者", "记者", "通讯员", "责任编辑", "编辑", *PAGE_COUNTER_LABELS)
"""Every label that starts a value in a page's meta line (`时间:… 来源:… 作者:… 浏览次数:…`): a value ends
where the next one starts."""

STAFF_LABELS = (*AUTHOR_LABELS, *PHOTOGRAPHER_LABELS, *EDITOR_ROLES)
"""Every label of a staff credit (author, photographer, editor)."""

ORIGINAL_HEADLINE_LABEL = "原标题"
"""The label of a repost's original headline, printed atop its text (`原标题：…`)."""

PUBLISHED_LABELS = (*DATE_LABELS, "发表时间", "发表日期", "发表于", "发布于", "更新时间", "发布")
"""Labels of a date line under a headline, wider than a staff line's (`发表于 2024-05-20`, `更新时间:…`)."""


def label_pattern(labels: Iterable[str]) -> str:
    """A regex alternation of `labels`, longest first, so that `信息来源` is never read as `来源` after `信息`."""
    return "|".join(map(re.escape, sorted(set(labels), key=len, reverse=True)))
