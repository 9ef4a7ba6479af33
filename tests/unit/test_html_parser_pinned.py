"""What the parsers rely on from the HTML parser under Scrapy's selectors (parsel over lxml/libxml2).

These are lxml/parsel defaults, not our settings: a release that changed one would change items
silently, so each is asserted here on a page of its own.
"""

from scrapy.http import HtmlResponse


def _selector(html: str):
    return HtmlResponse("https://a.cn/p.html", body=html.encode("utf-8"), encoding="utf-8").selector


def test_comments_are_kept_in_the_tree():
    """Government CMS pages mark the article with <!--ContentStart--> ... <!--ContentEnd-->."""
    selector = _selector("<html><body><!--ContentStart--><p>正文</p><!--ContentEnd--></body></html>")
    assert selector.xpath("//comment()").getall() == ["<!--ContentStart-->", "<!--ContentEnd-->"]


def test_malformed_markup_is_recovered_not_refused():
    selector = _selector("<html><body><h1>标题<div><p>第一段<p>第二段</div></td></span><p>第三段</body>")
    assert selector.xpath("string(//h1)").get().startswith("标题")
    assert [p.xpath("string()").get() for p in selector.xpath("//p")] == ["第一段", "第二段", "第三段"]


def test_deep_nesting_and_huge_text_nodes_are_parsed_whole():
    """libxml2 refuses trees deeper than 256 and text nodes over 10 MB unless huge_tree is on."""
    deep = "<div>" * 600 + "深处" + "</div>" * 600
    assert _selector(f"<html><body>{deep}</body></html>").xpath("string(//body)").get() == "深处"
    text = "字" * (4 * 1024 * 1024)  # 12 MiB of UTF-8 in one text node
    assert len(_selector(f"<html><body><p>{text}</p></body></html>").xpath("string(//p)").get()) == len(text)


def test_entities_and_whitespace_are_kept_as_written():
    selector = _selector("<html><body><p>&nbsp;甲&amp;乙\u3000丙 </p></body></html>")
    assert selector.xpath("string(//p)").get() == "\xa0甲&乙\u3000丙 "
