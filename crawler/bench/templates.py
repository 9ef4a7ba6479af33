"""Page templates for the synthetic mirror, cut from the fixture pages of each site.

An article template is a fixture article page whose headline, URL and body paragraphs (as its
expected item gives them) are replaced by slots; a list template is a fixture list page with
one list entry left as a slotted entry template and the next-page link slotted. Filling the
slots with other text gives pages that the site parsers read exactly as they read the fixture.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree
from parsel import Selector
from scrapy.http import HtmlResponse

from crawler.normalize.labels import PAGE_COUNTER_LABELS, SOURCE_LABELS, STAFF_LABELS, label_pattern
from crawler.parsing import extract
from crawler.parsing.site import Site
from spiders.registry import site_spiders, spider_for_url

SLOT = re.compile(r"@@SLOT_(\w+)@@")
MIN_PARAGRAPH = 30
"""Only body paragraphs this long are replaced: short ones are staff lines, captions or labels."""
LABEL_START = re.compile(rf"^[（(【]?(?:{label_pattern((*SOURCE_LABELS, *STAFF_LABELS, *PAGE_COUNTER_LABELS))})")
PROBE_TITLE = "探针标题"
PROBE_TEXT = "探针正文第"
_BODY_OPEN = re.compile(r"<body[^>]*>", re.IGNORECASE)


def slot(name: str) -> str:
    """The marker of a slot in template text."""
    return f"@@SLOT_{name}@@"


@dataclass
class Slotted:
    """Text split at its slots: `parts[0] slot[0] parts[1] … slot[n-1] parts[n]`."""

    parts: list[str]
    slots: list[str]

    @classmethod
    def parse(cls, text: str) -> Slotted:
        """Split marked text (see `slot`)."""
        pieces = SLOT.split(text)
        return cls(pieces[0::2], pieces[1::2])

    def render(self, values: dict[str, str]) -> str:
        """The text with every slot filled from `values`."""
        out = [self.parts[0]]
        for name, part in zip(self.slots, self.parts[1:], strict=True):
            out.append(values[name])
            out.append(part)
        return "".join(out)


@dataclass
class ArticleTemplate:
    """A fixture article page with slots `url`, `title`, `p0`…`pN` (body paragraphs), `top`, `bottom`."""

    url: str
    page: Slotted
    paragraph_lengths: list[int]
    entry: dict[str, Any]


@dataclass
class ListTemplate:
    """A fixture list page with slots `entries`, `next`, `top`, `bottom`; `item` has `url` and `title`."""

    start_url: str
    second_url: str
    page: Slotted
    item: Slotted
    entry: dict[str, Any]


@dataclass
class SiteTemplates:
    """Every usable template of one fixture site."""

    site: Site
    folder: Path
    listing: ListTemplate
    articles: list[ArticleTemplate] = field(default_factory=list)


def site_templates(fixtures: Path) -> list[SiteTemplates]:
    """The templates of every site spider that has fixture pages under `fixtures`."""
    found = []
    for spider in site_spiders():
        for meta_path in sorted(fixtures.glob("*/meta.json")):
            pages = json.loads(meta_path.read_text(encoding="utf-8"))["pages"]
            if not any(spider.site.owns(page["url"]) for page in pages):
                continue
            templates = _templates_of(spider.site, meta_path.parent, pages)
            if templates is not None:
                found.append(templates)
    return found


def _templates_of(site: Site, folder: Path, pages: list[dict[str, Any]]) -> SiteTemplates | None:
    lists = {page["url"]: page for page in pages if page["kind"] == "list"}
    start = lists.get(site.start_urls[0])
    second = next((page for url, page in lists.items() if url != site.start_urls[0]), None)
    if start is None or second is None:
        return None
    articles = [template for page in pages
                if page["kind"] == "article" and (template := article_template(site, folder, page))]
    if not articles:
        return None
    return SiteTemplates(site, folder, list_template(site, folder, start, second["url"]), articles)


def article_template(site: Site, folder: Path, entry: dict[str, Any]) -> ArticleTemplate | None:
    """The slotted article page, or None when the page cannot serve (repaired text, repost of a known site)."""
    expected_path = folder / entry.get("expected", str(Path(entry["file"]).with_suffix(".json")))
    if not expected_path.exists():
        return None
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    original = spider_for_url(expected.get("original_url") or "")
    if expected["repairs"] or (original is not None and not original.site.owns(entry["url"])):
        return None
    text = (folder / entry["file"]).read_text(encoding="utf-8")
    lengths: list[int] = []
    for paragraph in expected["body"].split("\n\n"):
        if len(paragraph) < MIN_PARAGRAPH or LABEL_START.match(paragraph):
            continue
        for variant in (paragraph, html.escape(paragraph, quote=False)):
            if variant in text:
                text = text.replace(variant, slot(f"p{len(lengths)}"))
                lengths.append(len(paragraph))
                break
    if not lengths or expected["title"] not in text:
        return None
    text = text.replace(entry["url"], slot("url")).replace(expected["title"], slot("title"))
    template = ArticleTemplate(entry["url"], Slotted.parse(_with_chrome_slots(text)), lengths, entry)
    return template if parses_slots(template) else None


def parses_slots(template: ArticleTemplate) -> bool:
    """Whether the site's parser reads the title and body slots of the template as title and body."""
    values = {"url": template.url, "top": "", "bottom": "", "title": PROBE_TITLE}
    values.update((f"p{index}", f"{PROBE_TEXT}{index}。") for index in range(len(template.paragraph_lengths)))
    response = HtmlResponse(template.url, body=template.page.render(values).encode("utf-8"), encoding="utf-8")
    spider = spider_for_url(template.url)
    assert spider is not None
    captured_at = datetime.fromisoformat(template.entry["captured"].replace("Z", "+00:00"))
    draft = spider.extract(response, captured_at=captured_at)
    body = "\n".join(draft.body_paragraphs)
    return draft.title == PROBE_TITLE and all(
        f"{PROBE_TEXT}{index}" in body for index in range(len(template.paragraph_lengths)))


def list_template(site: Site, folder: Path, entry: dict[str, Any], second_url: str) -> ListTemplate:
    """The slotted list page: its first entry becomes the item template, the others go."""
    root = lxml.html.document_fromstring((folder / entry["file"]).read_text(encoding="utf-8"))
    sel = Selector(root=root)
    nodes = extract.select(sel, site.list_entry)
    first = nodes[0].root
    link = extract.select(nodes[0], element_query(site.list_link))[0].root
    link.set("href", slot("url"))
    for child in list(link):
        link.remove(child)
    link.text = slot("title")
    for node in nodes[1:]:
        node.drop()
    item = etree.tostring(first, encoding="unicode", method="html", with_tail=False)
    placeholder = etree.Comment("ENTRIES")
    placeholder.tail = first.tail
    first.getparent().replace(first, placeholder)
    if site.next_page:
        for node in extract.select(sel, element_query(site.next_page)):
            node.root.set("href", slot("next"))
    text = etree.tostring(root.getroottree(), encoding="unicode", method="html")
    text = text.replace("<!--ENTRIES-->", slot("entries"))
    return ListTemplate(entry["url"], second_url, Slotted.parse(_with_chrome_slots(text)), Slotted.parse(item), entry)


def element_query(query: str) -> str:
    """The element part of an attribute query: `a.title::attr(href)` -> `a.title`, `//a/@href` -> `//a`."""
    return re.sub(r"(::attr\(\w+\)|/@\w+)$", "", query)


def _with_chrome_slots(text: str) -> str:
    """Slots for chrome at the top of the body and before its end."""
    text = _BODY_OPEN.sub(lambda m: m.group(0) + slot("top"), text, count=1)
    head, sep, tail = text.rpartition("</body>")
    return head + slot("bottom") + sep + tail if sep else text + slot("bottom")
