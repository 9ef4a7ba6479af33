"""build_article: drafts shaped like the seed pages become exact Articles."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from crawler.items import Article, ArticleDraft, ImageRef
from crawler.normalize import build_article
from crawler.normalize.article import capture_time, resolve_published


def _draft(**fields) -> ArticleDraft:
    base = {"url": "https://www.dutenews.com/n/article/7957291", "site": "dutenews", "site_name": "读特",
            "parser": "dutenews@2024", "fetched_at": "2024-01-20T02:00:00Z"}
    return ArticleDraft(**{**base, **fields})


def test_bjhnqysh_repost_with_parenthesised_credit():
    draft = _draft(
        url="http://i64n0y.bjhnqysh.cn/shfwInfo.jhtml?id=1124120587585716224&newType=ZCJD#top",
        site="bjhnqysh", site_name="北京湖南企业商会", parser="bjhnqysh@2024", fetched_at="2024-10-11T01:02:03Z",
        canonical_url="http://www.bjhnqysh.cn/shfwInfo.jhtml?id=1124120587585716224&newType=ZCJD",
        title="  国家市场监管总局与湖南省政府签署合作协议: 共建\"三个高地\" 共育衡器产业园 ",
        body_paragraphs=[
            "      9月24日下午,国家市场监督管理总局与湖南省政府在长沙签署合作框架协议。",
            "",
            (
                "      省领导吴桂英、王俊寿,省政府秘书长瞿海参加有关活动。 "
                "(来源:湖南日报 / 衡阳新闻联播 编辑:谢思思  责编:袁赟昆  三审:阳   健)"
            ),
        ],
        date_texts=["2024-10-10"],
        source_text="湖南日报 / 看衡阳  09-25",
        images=[ImageRef("http://www.bjhnqysh.cn/u/微信截图_20241010101536.png")],
        warc={"file": "a.warc.gz", "offset": 0, "record_id": "<urn:uuid:1>"},
    )
    body = (
        "9月24日下午,国家市场监督管理总局与湖南省政府在长沙签署合作框架协议。\n\n"
        "省领导吴桂英、王俊寿,省政府秘书长瞿海参加有关活动。"
    )
    assert build_article(draft) == Article(
        url=draft.url,
        canonical_url="http://www.bjhnqysh.cn/shfwInfo.jhtml?id=1124120587585716224&newType=ZCJD",
        site="bjhnqysh", site_name="北京湖南企业商会",
        title='国家市场监管总局与湖南省政府签署合作协议: 共建"三个高地" 共育衡器产业园',
        subtitles=[],
        published_at="2024-10-10T00:00:00+08:00", published_precision="day",
        source="湖南日报 / 看衡阳", original_url=None,
        authors=[], photographers=[],
        editors=[{"role": "编辑", "name": "谢思思"}, {"role": "责编", "name": "袁赟昆"},
                 {"role": "三审", "name": "阳健"}],
        body=body,
        images=[{"url": "http://www.bjhnqysh.cn/u/微信截图_20241010101536.png", "caption": ""}],
        repairs=[], fetched_at="2024-10-11T01:02:03Z",
        warc={"file": "a.warc.gz", "offset": 0, "record_id": "<urn:uuid:1>"},
        body_sha1=hashlib.sha1(body.encode("utf-8")).hexdigest(),
        reposted_from=None, parser="bjhnqysh@2024",
    )


def test_aqsczx_anonymous_author_and_original_url():
    draft = _draft(
        url="http://aqsczx.org.cn/show-63836.html?utm_source=feed", site="aqsczx", site_name="安全生产资讯网",
        title="坚持靠大做强 强基突破跨越", subtitles=["——海南省市场监管局与质量基础设施“国家队”签署战略合作协议"],
        body_paragraphs=["\u3000\u3000近日，海南省市场监管局与中国计量科学研究院在北京举行战略合作协议签署仪式。"],
        date_texts=["2024-05-02"], source_text="海南省市场监督管理局", byline_texts=["作者:佚名"],
        original_url="https://amr.hainan.gov.cn/yw/gzdt/202404/t20240430_3656724.html",
    )
    article = build_article(draft)
    assert article.canonical_url == "http://aqsczx.org.cn/show-63836.html"
    assert (article.source, article.authors, article.editors) == ("海南省市场监督管理局", [], [])
    assert article.original_url == "https://amr.hainan.gov.cn/yw/gzdt/202404/t20240430_3656724.html"
    assert article.subtitles == ["——海南省市场监管局与质量基础设施“国家队”签署战略合作协议"]
    assert article.body == "近日，海南省市场监管局与中国计量科学研究院在北京举行战略合作协议签署仪式。"
    assert (article.published_at, article.published_precision) == ("2024-05-02T00:00:00+08:00", "day")


def test_hunan_gov_mirror_damage_and_year_less_date():
    draft = _draft(
        url="https://www.hunan.gov.cn/hnszf/szf/zfld/wjs/wjshd/202511/t20251110_33846061.html",
        site="hunan_gov", site_name="湖南省人民政府", parser="hunan_gov@2025", fetched_at="2025-11-12T00:00:00Z",
        title="2025年全省質(zhì)量工作暨省長質(zhì)量獎頒獎大會召開",
        subtitles=["深化局省合作 培強質(zhì)量動能", "毛偉明羅文出席並講話"],
        body_paragraphs=["11月10日下午,2025年全省質(zhì)量工作暨省長質(zhì)量獎頒獎大會在長沙舉行。",
                         "（文/孫敏堅 李成輝 圖/劉尚文 田超）"],
        date_texts=["11月10日下午"],
        images=[ImageRef("https://www.hunan.gov.cn/img/1.jpg", " 毛偉明講話。 ")],
    )
    article = build_article(draft)
    assert article.repairs == ["pinyin-annotations", "traditional-to-simplified"]
    assert article.title == "2025年全省质量工作暨省长质量奖颁奖大会召开"
    assert article.subtitles == ["深化局省合作 培强质量动能", "毛伟明罗文出席并讲话"]
    assert article.body == "11月10日下午,2025年全省质量工作暨省长质量奖颁奖大会在长沙举行。"
    assert (article.authors, article.photographers) == (["孙敏坚", "李成辉"], ["刘尚文", "田超"])
    assert article.images == [{"url": "https://www.hunan.gov.cn/img/1.jpg", "caption": "毛伟明讲话。"}]
    assert (article.published_at, article.published_precision) == ("2025-11-10T00:00:00+08:00", "day")


def test_dutenews_staff_line_and_capture_reference():
    draft = _draft(
        title="广东省质量基础设施建设大会召开",
        body_paragraphs=["1月19日,广东省质量基础设施建设大会在广州召开。",
                         "编辑 白珊珊 审读 韩绍俊 二审 党毅浩 三审 甘霖"],
        date_texts=["1月19日"],
    )
    article = build_article(draft)
    assert article.body == "1月19日,广东省质量基础设施建设大会在广州召开。"
    assert article.editors == [
        {"role": "编辑", "name": "白珊珊"}, {"role": "审读", "name": "韩绍俊"},
        {"role": "二审", "name": "党毅浩"}, {"role": "三审", "name": "甘霖"},
    ]
    assert (article.published_at, article.published_precision) == ("2024-01-19T00:00:00+08:00", "day")
    assert article.canonical_url == "https://www.dutenews.com/n/article/7957291"
    assert article.reposted_from is None


def test_byline_credits_merge_with_body_credits_in_order():
    draft = _draft(
        body_paragraphs=["正文。", "责任编辑：张三"],
        byline_texts=["来源：深圳特区报 记者 李四", "记者 李四 通讯员 王五"],
    )
    article = build_article(draft)
    assert (article.source, article.authors) == ("深圳特区报", ["李四", "王五"])
    assert article.editors == [{"role": "责任编辑", "name": "张三"}]


def test_draft_source_wins_over_credits_source():
    article = build_article(_draft(source_text=" 新华社 ", byline_texts=["来源：人民日报"]))
    assert article.source == "新华社"


@pytest.mark.parametrize(
    ("date_texts", "url", "fetched_at", "expected"),
    [
        (["09-25", "发布时间:2024-10-10 10:15"], "http://a.cn/x", "2024-10-11T00:00:00Z",
         ("2024-10-10T10:15:00+08:00", "minute")),
        (["12-30"], "http://a.cn/202501/t20250103_1.html", "2025-06-01T00:00:00Z",
         ("2024-12-30T00:00:00+08:00", "day")),
        (["12-30"], "http://a.cn/x", "2025-01-03T00:00:00Z", ("2024-12-30T00:00:00+08:00", "day")),
        (["12-30"], "http://a.cn/news/202412/index.html", "2026-01-03T00:00:00Z", ("2024-12-30T00:00:00+08:00", "day")),
        ([], "http://a.cn/202404/t20240430_1.html", "2025-01-03T00:00:00Z", ("2024-04-30T00:00:00+08:00", "day")),
        (["没有日期"], "http://a.cn/analyst/detail/220/230518-3f033ad2.html", "2025-01-03T00:00:00Z",
         ("2023-05-18T00:00:00+08:00", "day")),
        ([], "http://a.cn/news/202404/index.html", "2025-01-03T00:00:00Z", None),
        (["09-25"], "http://a.cn/x", "not a time", None),
        ([], "http://a.cn/x", "2025-01-03T00:00:00Z", None),
    ],
)
def test_resolve_published(date_texts, url, fetched_at, expected):
    parsed = resolve_published(date_texts, url, fetched_at)
    assert ((parsed.isoformat(), parsed.precision) if parsed else None) == expected


def test_no_date_at_all_gives_nulls():
    article = build_article(_draft(url="http://aqsczx.org.cn/show-1.html", fetched_at="2024-01-01T00:00:00Z"))
    assert (article.published_at, article.published_precision) == (None, None)


def test_capture_time_is_utc_when_no_offset_is_printed():
    assert capture_time("2024-10-10T02:15:36").isoformat() == "2024-10-10T02:15:36+00:00"
    assert capture_time("bad") is None


def test_build_article_does_not_change_the_draft():
    draft = _draft(title="襄陽產(chǎn)業(yè)發(fā)展", body_paragraphs=["正文。", "编辑 白珊珊"])
    snapshot = replace(draft, body_paragraphs=list(draft.body_paragraphs))
    build_article(draft)
    assert draft == snapshot
