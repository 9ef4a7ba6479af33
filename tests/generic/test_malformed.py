"""Malformed pages whose text is readable give their item: unclosed tags, tags out of order, an `<h1>` never closed."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse

from crawler.normalize import build_article
from crawler.schema import schema_errors
from spiders.page import page_draft

T = "为深入贯彻落实党中央决策部署，全面提升产品、工程、服务质量，推动质量强国建设取得新成效，各地认真执行。"
P = f"<p>{T}</p>"
PAGES = {
    "unclosed_h1_around_the_article": (
        f"<html><head><title>质量大会召开_某某网</title></head><body><h1>质量大会召开"
        f"<div class='info'>2024-05-20 来源：某某日报</div><div class='content'>{P * 4}</div></body></html>"
    ),
    "tags_out_of_order": f"<html><head><title>质量大会召开</title></head><body><div><h1>质量大会召开</div></h1>"
                         f"<span><p>2024-05-20 10:00</span></p><div class='content'><b><p>{T}</b></p>{P * 3}</div>",
    "h1_closed_by_the_wrong_tag": f"<html><body><h1>质量大会召开</h2><font size=3>{T}<br>{T}<br>{T}<br>{T}</font>",
    "h1_holding_inline_text": f"<html><body><h1>质量大会召开<br>{T}<br>{T}<br>{T}<br>{T}</body></html>",
    "nothing_closed": f"<html><body><h1>质量大会召开<p>作者：张三<p>{T}<p>{T}<p>{T}",
    "h1_in_an_unclosed_table_cell": f"<html><body><table><tr><td><h1>质量大会召开</td></tr><tr><td>{P * 4}</td></tr>",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_malformed_page_gives_its_item(name):
    url = f"http://news.example.cn/{name}.html"
    response = HtmlResponse(url=url, body=PAGES[name].encode("utf-8"), encoding="utf-8")
    item = asdict(build_article(page_draft(response, datetime(2024, 6, 1, tzinfo=UTC))))
    assert item["title"] == "质量大会召开"
    assert T in item["body"]
    assert "质量大会召开" not in item["body"].split("\n\n")[0] or item["body"].startswith(T)
    assert schema_errors({**item, "warc": None}) == []
