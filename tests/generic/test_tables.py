"""Data tables inside the article come back into the generic extractor's body; layout and link tables do not."""

from __future__ import annotations

from crawler.parsing.generic.tables import with_tables
from tests.generic.items import generic_item

P = [("市场监管总局近日组织开展了电动自行车产品质量国家监督抽查。本次抽查覆盖生产企业八十余家，检验项目包括整车质量、"
      "制动性能和电气安全等方面。"),
     "抽查发现，部分产品在制动性能和防篡改方面存在问题。对抽查不合格的企业，当地市场监管部门将依法处理，并督促整改到位。",
     "市场监管总局提醒消费者，选购电动自行车时应查看产品合格证和强制性认证标志，不要私自改装车辆。"]
RESULTS = ("<table class='grid'><tr><th>序号</th><th>产品名称</th><th>结果</th></tr>"
           "<tr><td>1</td><td>电动自行车</td><td>合格</td></tr>"
           "<tr><td>2</td><td>电动自行车充电器</td><td>不合格</td></tr></table>")
CELLS = ["序号", "产品名称", "结果", "1", "电动自行车", "合格", "2", "电动自行车充电器", "不合格"]


def body_of(html: str) -> list[str]:
    item = generic_item(html)
    return [line for line in item["body"].split("\n") if line]


def page(article: str, around: str = "") -> str:
    return (f"<html><head><title>电动自行车抽查结果</title></head><body>{around}<h1>电动自行车抽查结果</h1>"
            f"<div class='info'>2024-05-20 09:30</div><div class='article'>{article}</div>{around}</body></html>")


def test_a_data_table_between_paragraphs_keeps_its_place_in_the_body():
    body = body_of(page(f"<p>{P[0]}</p><p>{P[1]}</p>{RESULTS}<p>{P[2]}</p>"))
    assert body == [P[0], P[1], *CELLS, P[2]]


def test_a_box_of_links_in_the_article_is_not_data():
    links = "".join(f"<tr><td><a href='/n/{n}'>相关报道第{n}篇</a></td><td><a href='/n/{n}'>详情</a></td></tr>"
                    for n in range(4))
    body = body_of(page(f"<p>{P[0]}</p><p>{P[1]}</p><table>{links}</table><p>{P[2]}</p>"))
    assert body == P


def test_a_one_row_table_is_a_layout_box_not_data():
    dateline = "<table><tr><td>来源：某某日报</td><td>编辑：王五</td></tr></table>"
    body = body_of(page(f"<p>{P[0]}</p>{dateline}<p>{P[1]}</p><p>{P[2]}</p>"))
    assert "来源：某某日报" not in body


def test_tables_outside_the_article_stay_out():
    body = body_of(page(f"<p>{P[0]}</p><p>{P[1]}</p><p>{P[2]}</p>", around=RESULTS))
    assert body == P


def test_a_layout_table_holding_the_article_adds_nothing():
    html = ("<html><body><table><tr><td><a href='/'>首页</a></td><td><a href='/x'>新闻</a></td></tr>"
            f"<tr><td>导航</td><td><h1>电动自行车抽查结果</h1><p>{P[0]}</p><p>{P[1]}</p><p>{P[2]}</p></td></tr>"
            "</table></body></html>")
    assert body_of(html) == P


def test_a_table_already_in_the_text_is_not_added_twice():
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(f"<html><body><div><p>{P[0]}</p>{RESULTS}<p>{P[1]}</p></div></body></html>")
    paragraphs = [P[0], *CELLS, P[1]]
    assert with_tables(root, paragraphs) == paragraphs
