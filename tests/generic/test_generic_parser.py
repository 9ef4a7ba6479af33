"""GenericParser on hand-written pages (tests/generic/fixtures/), and its line rules on their own."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from crawler.normalize import build_article
from crawler.normalize.dates import parse_date
from crawler.parsing.generic import GenericParser
from crawler.parsing.generic.credits import bare_names, bracketed_names, closing_names, credit_in, personal_names
from crawler.parsing.generic.edges import split_edges
from crawler.parsing.generic.parser import most_precise_first

FIXTURES = Path(__file__).parent / "fixtures"
CAPTURED = datetime(2024, 6, 1, tzinfo=UTC)


def fixture_bytes(name: str) -> bytes:
    """A fixture page's bytes as served: `*.utf8.html` pages are served as GB18030 (see the README)."""
    data = (FIXTURES / name).read_bytes()
    return data.decode("utf-8").encode("gb18030") if name.endswith(".utf8.html") else data


def parse(name: str, encoding: str | None = None) -> dict:
    response = HtmlResponse(url=f"http://127.0.0.1/{name}", body=fixture_bytes(name), encoding=encoding,
                            headers={"Content-Type": "text/html"})
    return vars(build_article(GenericParser(response, CAPTURED).parse()))


def test_portal_article_fields():
    item = parse("portal_article.html")
    assert item["title"] == "市场监管总局部署2024年产品质量国家监督抽查工作"
    assert item["published_at"] == "2024-05-20T09:30:00+08:00"  # the meta line's minute beats the day-only meta tag
    assert item["published_precision"] == "minute"
    assert item["source"] == "中国质量报"
    assert item["authors"] == ["张晓明", "李华"]
    assert item["editors"] == [{"role": "责任编辑", "name": "王晓燕"}]
    paragraphs = item["body"].split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("5月20日，市场监管总局召开视频会议")
    assert paragraphs[-1].endswith("技术帮扶的具体举措。")
    for chrome in ("首页", "分享到", "相关新闻", "ICP", "责任编辑", "来源"):
        assert chrome not in item["body"]


def test_portal_article_item_identity():
    item = parse("portal_article.html")
    assert (item["site"], item["site_name"]) == ("page", "通用网页")
    assert item["parser"].startswith("generic@trafilatura-")
    assert item["canonical_url"] == "http://127.0.0.1/portal_article.html"
    assert item["images"] == []


def test_old_portal_headline_byline_and_us_date():
    item = parse("old_portal.utf8.html", encoding="gb18030")
    assert item["title"] == "计量是工业生产的眼睛"
    assert item["subtitles"] == []
    assert item["authors"] == ["周建国"]
    assert item["source"] == "本站原创"
    assert item["published_at"] == "2004-09-17T17:54:13+08:00"
    assert item["body"].startswith("在一家机械厂的车间里")
    assert item["body"].endswith("对得起用户的信任。")
    for chrome in ("质量月活动启动", "周建国", "发布日期", "CopyRight"):
        assert chrome not in item["body"]


def test_meta_date_and_closing_names():
    item = parse("meta_closing_names.html")
    assert item["title"] == "全省检验检测机构能力验证结果公布"
    assert item["published_at"] == "2024-03-01T10:15:00+08:00"  # article:published_time in UTC
    assert item["authors"] == ["陈一鸣", "刘芳"]
    assert item["body"].endswith("推动检验检测数据更加准确可靠。")
    assert not item["body"].startswith("全省检验检测机构能力验证结果公布")  # the repeated headline left the body
    assert "分享" not in item["body"]


def test_page_without_text_gives_an_empty_body_not_an_error():
    response = HtmlResponse(url="http://127.0.0.1/empty.html", body=b"<html><body><script>x()</script></body></html>",
                            headers={"Content-Type": "text/html; charset=utf-8"})
    draft = GenericParser(response, CAPTURED).parse()
    assert draft.body_paragraphs == []
    assert draft.parser.startswith("generic@")


@pytest.mark.parametrize(("line", "credit"), [
    ("编辑：山石", "编辑：山石"),
    ("光明日报记者 王建宏 张文攀", "记者 王建宏 张文攀"),
    ("新京报记者 彭冲 山东冠县报道", "记者 彭冲"),
    ("□ 本报记者 葛灵丹", "记者 葛灵丹"),
    ("【编辑:刘欢】 返回搜狐，查看更多", "编辑:刘欢"),
    ("记者从市场监管局获悉，全省抽查合格率稳步提高。", None),
    ("作者简介：张三，北京大学教授", None),
    ("", None),
])
def test_credit_in(line, credit):
    assert credit_in(line) == credit


def test_names():
    assert personal_names("赵 培") == ["赵培"]
    assert personal_names("张三, 李四") == ["张三", "李四"]
    assert personal_names("www.yunnan.cn,云南日报报业集团,云南网") == []
    assert personal_names("Discuz! Team and Comsenz UI Team") == []
    assert bare_names("常书香 马丹阳") == ["常书香", "马丹阳"]
    assert bare_names("新华社") == []  # an organisation
    assert bare_names("记者 胡晓蓉") == []  # a label is no name
    assert bare_names("会议指出要加强质量监管") == []
    assert bracketed_names("2004年7月16日08:19 [ 黄宇 ]  来源：[ 国际金融报 ]") == ["黄宇"]
    assert closing_names("……过廉洁之年。（常书香 马丹阳 ）") == ("……过廉洁之年。", ["常书香", "马丹阳"])
    assert closing_names("……这是括号（内容说明）。") == ("……这是括号（内容说明）。", [])


def test_split_edges_top_and_bottom():
    text = "会议要求，各地要聚焦与群众生活密切相关的重点产品，加大抽查力度，提高抽查的针对性和有效性。"
    edges = split_edges(["首页", "质量之声", "计量是工业生产的眼睛", "周建国", "——一家机械厂的计量故事", text, text,
                         "□ 本报记者 葛灵丹", "分享让更多人看到", "- 评论"])
    assert edges.body == [text, text]
    assert edges.headline == ["计量是工业生产的眼睛", "——一家机械厂的计量故事"]
    assert edges.credits == ["作者:周建国", "记者 葛灵丹"]


def test_split_edges_leaves_plain_text_alone():
    paragraphs = ["人物画像", "汤先生夫妇二人，虽说刚三十出头，但经过这几年的精打细算，已有存款。", "方案1"]
    assert split_edges(paragraphs).body == paragraphs


def test_most_precise_first_keeps_the_day_of_the_best_candidate():
    assert most_precise_first(["2024-05-20", "2024-05-20 09:30", "2024-05-21 10:00:00"])[0] == "2024-05-20 09:30"
    assert most_precise_first(["2024-05-20", "2024-05-21 10:00:00"])[0] == "2024-05-20"
    assert most_precise_first(["no date"]) == ["no date"]


@pytest.mark.parametrize(("text", "iso", "precision"), [
    ("发布日期： 9/17/2004 5:54:13 AM", "2004-09-17T05:54:13+08:00", "second"),
    ("7/5/2005 9:23:57 PM", "2005-07-05T21:23:57+08:00", "second"),
    ("12/1/2020 12:05 AM", "2020-12-01T00:05:00+08:00", "minute"),
])
def test_us_dates_with_am_pm(text, iso, precision):
    parsed = parse_date(text)
    assert parsed is not None
    assert (parsed.isoformat(), parsed.precision) == (iso, precision)


@pytest.mark.parametrize("text", ["1/2/2020", "3/4/2020 13:00 PM", "13/1/2020 9:00 AM"])
def test_ambiguous_or_impossible_slash_dates_are_not_read(text):
    assert parse_date(text) is None


def test_page_without_any_title_takes_its_first_short_line():
    html = ("<html><body><div>" + "<p>质量强国建设纲要解读</p>"
            + "<p>为深入贯彻落实党中央决策部署，全面提升产品、工程、服务质量，"
            "各地区各部门结合实际认真贯彻执行，推动质量强国建设取得新成效。</p>" * 3 + "</div></body></html>")
    response = HtmlResponse(url="http://127.0.0.1/untitled.html", body=html.encode("utf-8"),
                            headers={"Content-Type": "text/html; charset=utf-8"})
    item = vars(build_article(GenericParser(response, CAPTURED).parse()))
    assert item["title"] == "质量强国建设纲要解读"
    assert item["body"].startswith("为深入贯彻落实党中央决策部署")


def test_lines_that_are_only_link_text_leave_the_body():
    text = ("<p>为深入贯彻落实党中央决策部署，全面提升产品、工程、服务质量，"
            "推动质量强国建设取得新成效，各地认真贯彻执行。</p>")
    html = ("<html><head><title>质量工作会议召开</title></head><body><h1>质量工作会议召开</h1><div class='c'>"
            + text * 3 + "<p><a href='/x'>上一篇：计量工作要点</a></p><p><a href='/y'>下一篇：标准化工作要点</a></p>"
            + text + "</div></body></html>")
    response = HtmlResponse(url="http://127.0.0.1/links.html", body=html.encode("utf-8"),
                            headers={"Content-Type": "text/html; charset=utf-8"})
    body = GenericParser(response, CAPTURED).parse().body_paragraphs
    assert len(body) == 4
    assert not any("篇" in paragraph for paragraph in body)


def test_bracketed_column_tag_atop_the_body_is_no_headline():
    text = "<p>为深入贯彻落实党中央决策部署，全面提升产品、工程、服务质量，推动质量强国建设取得新成效。</p>"
    html = ("<html><head><title>土豆种薯繁育见闻_某某网</title></head><body><div class='nav'><a>首页</a></div>"
            "<h2>土豆种薯繁育见闻</h2><div><span>2022-02-13 09:57 某某网</span></div>"
            f"<div class='c'><p>【新春走基层】</p><p>本报记者 王建宏 张文攀</p>{text * 3}</div></body></html>")
    response = HtmlResponse(url="http://127.0.0.1/tag.html", body=html.encode("utf-8"), encoding="utf-8")
    item = vars(build_article(GenericParser(response, CAPTURED).parse()))
    assert item["title"] == "土豆种薯繁育见闻"
    assert item["published_at"] == "2022-02-13T09:57:00+08:00"
    assert item["authors"] == ["王建宏", "张文攀"]
    assert "新春走基层" not in item["body"]
