"""The generic extractor's source (`来源`): under the headline, else right after the text; never a repost marker."""

from __future__ import annotations

from tests.generic.items import generic_item

SENTENCE = "各地市场监管部门持续开展计量器具专项检查，重点检查集贸市场和加油站的计量器具"
TEXT = "".join(f"<p>{SENTENCE}，第{n}次检查已经完成。</p>"
               for n in range(4))


def test_a_source_printed_after_the_text_counts_when_the_header_names_none():
    page = ("<html><body><h1>计量器具专项检查全面完成</h1><div>2024-05-20 09:30更新 来源：转载文章</div>"
            f"<div class='text'>{TEXT}</div><div>来源：中国质量报</div><div>编辑：王五</div></body></html>")
    assert generic_item(page)["source"] == "中国质量报"


def test_the_source_under_the_headline_comes_first():
    page = ("<html><body><h1>计量器具专项检查全面完成</h1><div>2024-05-20 09:30 来源：市场导报</div>"
            f"<div class='text'>{TEXT}</div><div>来源：中国质量报</div></body></html>")
    assert generic_item(page)["source"] == "市场导报"


def test_a_dateline_run_into_the_source_label_gives_both():
    page = ("<html><body><h1>计量器具专项检查全面完成</h1><div>2024-05-20 09:30:00来源：市场导报</div>"
            f"<div class='text'>{TEXT}</div></body></html>")
    item = generic_item(page)
    assert (item["source"], item["published_at"]) == ("市场导报", "2024-05-20T09:30:00+08:00")


def test_the_dateline_above_a_reposts_original_headline_is_read():
    page = ("<html><head><title>计量器具专项检查全面完成_某某网</title></head><body><h1>计量器具专项检查全面完成</h1>"
            "<div>2024-05-20 09:30 来源：市场导报</div><div>原标题：计量器具专项检查全面完成</div>"
            f"<div class='text'>{TEXT}</div></body></html>")
    item = generic_item(page)
    assert (item["title"], item["source"]) == ("计量器具专项检查全面完成", "市场导报")
