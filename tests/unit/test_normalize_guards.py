"""Value guards: authors, editors and sources that are no names are left out, counted and logged."""

from __future__ import annotations

import logging
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scrapy.utils.test import get_crawler

from crawler.items import ArticleDraft
from crawler.normalize import build_article
from crawler.normalize.guards import Rejections, is_person_name, is_source_name, tidy_source
from crawler.normalize.text import clean_text
from crawler.pipelines.normalize import NormalizePipeline


@pytest.mark.parametrize(
    "value", ["网页", "admin", "大汉网络", "新华网", "某某科技有限公司", "转载", "本报记者", "", "123"])
def test_ui_words_publishers_and_markers_are_no_person_names(value):
    assert not is_person_name(value)


@pytest.mark.parametrize("value", ["张三", "欧阳修", "阿依古丽·买买提", "Tom Smith", "吉林省人民政府"])
def test_names_pass(value):
    assert is_person_name(value)


@pytest.mark.parametrize("value, expected", [
    ("人民网 ]", "人民网"), ("（湖南日报）", "湖南日报"), ("《人民日报》", "人民日报"), ("-新华社-", "新华社"),
    ("湖南日报 / 衡阳新闻联播", "湖南日报 / 衡阳新闻联播"), ("中国质量报", "中国质量报"),
])
def test_sources_lose_stray_brackets(value, expected):
    assert tidy_source(value) == expected


def test_a_site_naming_itself_the_origin_keeps_its_source():
    assert is_source_name("本站原创")


@pytest.mark.parametrize("value", ["转载", "转载文章", "网络", "转自网络", "]", "", 'size="20"', "font size=3"])
def test_repost_markers_are_no_sources(value):
    assert not is_source_name(tidy_source(value))


def draft(**fields) -> ArticleDraft:
    return ArticleDraft(url="http://news.example.cn/a/1.html", site="page", site_name="通用网页", parser="generic@x",
                        fetched_at="2024-06-01T00:00:00Z", title="标题", body_paragraphs=["正文。"], **fields)


def test_build_article_empties_what_is_no_name_and_records_it(caplog):
    rejections = Rejections()
    with caplog.at_level(logging.DEBUG, logger="crawler.normalize.guards"):
        article = build_article(draft(byline_texts=["作者：大汉网络 张三", "编辑：网页"], source_text="转载文章"),
                                rejections)
    assert (article.authors, article.editors, article.source) == (["张三"], [], None)
    assert sorted(field for field, _ in rejections.found) == ["authors", "editors", "source"]
    assert sum("not a name" in record.getMessage() for record in caplog.records) == 3


def test_source_with_a_private_use_character_and_a_stray_bracket_is_the_outlet():
    assert build_article(draft(source_text="人民网 ]\ue004")).source == "人民网"


def test_the_pipeline_counts_rejections():
    crawler = get_crawler()
    crawler.stats.open_spider()
    NormalizePipeline.from_crawler(crawler).process_item(draft(byline_texts=["作者：网页"]))
    assert crawler.stats.get_value("normalize/rejected/authors") == 1


@given(st.text())
def test_clean_text_leaves_no_control_or_private_use_character(text):
    cleaned = clean_text(text)
    assert not any(unicodedata.category(ch) in ("Cc", "Co") for ch in cleaned)
    assert clean_text(cleaned) == cleaned


@given(st.text(max_size=30))
def test_tidy_source_is_stable(value):
    tidied = tidy_source(value)
    assert tidy_source(tidied) == tidied
