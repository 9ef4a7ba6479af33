"""`GovPortalParser`: the family parser of government portal CMSs, for any page showing their signs.

TRS WCM, Hanweb (大汉), the provincial 集约化 platforms and Founder print articles alike: the
《政府网站发展指引》 `<meta>` tags (ArticleTitle, PubDate, ContentSource, Author), ContentStart /
ContentEnd markers, and the body in one of a few containers (`crawler.parsing.gov.GOV_CONTAINERS`). This
parser reads those first and the generic extractor's rules (headline, dateline, credits) second;
a page whose container holds no text gets the generic extractor's body.

The body keeps the container's tables and the 附件 list printed right after it, and loses the
reading-tool bars (`【字体：大 中 小】`, `打印本页`, `关闭窗口`, `分享到`).
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import TYPE_CHECKING

from crawler.normalize.text import clean_text
from crawler.parsing import extract, gov
from crawler.parsing.generic.furniture import strip_site_suffix, without_furniture
from crawler.parsing.generic.markup import link_texts, meta_values
from crawler.parsing.generic.parser import GenericParser, most_precise_first, without_links

if TYPE_CHECKING:
    from crawler.compat import Element

VERSION = "1"
ATTACHMENT_LABEL = re.compile(r"^\s*(?:相关)?附\s*件\s*[:：\d]")
"""A line opening an attachment list (`附件：`, `附件1：`, `相关附件:`)."""
ATTACHMENT_REACH = 3
"""How many elements after the container may hold its attachment list."""


class GovPortalParser(GenericParser):
    """Government CMS meta tags and containers first, the generic extractor's rules second."""

    version = VERSION

    @classmethod
    def label(cls) -> str:
        """The parser's name in items: `gov-portal@<version>`."""
        return f"gov-portal@{cls.version}"

    @cached_property
    def meta_tags(self) -> dict[str, list[str]]:
        """The page's government meta tags."""
        return gov.gov_meta_tags(self.sel, (*gov.GOV_META, "SiteName", "ColumnName"))

    def main_text(self) -> list[str]:
        """The text between the ContentStart/ContentEnd markers, else the first container holding text,
        without link-only lines and reading tools, with the attachment list after it (its lines are
        links); else the generic extractor's."""
        container = gov.between_markers(self.sel)
        if container is None:
            container = gov.gov_container(self.sel)
        if container is None:
            return super().main_text()
        text = without_links(extract.block_texts(container), link_texts(self.sel))
        return without_furniture([*text, *attachment_lines(container)])

    def title(self) -> str:
        """`ArticleTitle`, else the generic headline, without the portal's name after it."""
        headline, _ = gov.gov_headline(self.sel, self.meta_tags, None, None)
        return strip_site_suffix(headline or super().title(), self.site_names())

    def site_names(self) -> tuple[str, ...]:
        """The portal's own names (`SiteName`, `og:site_name`), cut from titles."""
        names = [gov.gov_meta(self.meta_tags, "SiteName"), *meta_values(self.sel, ("og:site_name",))]
        return tuple(name for name in names if name)

    def date_texts(self) -> list[str]:
        """`PubDate`, then the generic candidates; a more precise time of the same day printed on the page first."""
        texts = [text for text in (gov.gov_meta(self.meta_tags, "PubDate"), *super().date_texts()) if text]
        return most_precise_first(list(dict.fromkeys(texts)))

    def source_text(self) -> str | None:
        """`ContentSource`, else the `来源` printed under the headline."""
        return gov.gov_meta(self.meta_tags, "ContentSource") or super().source_text()

    def byline_texts(self) -> list[str]:
        """The `Author` tag as an `作者` line, then the generic credits."""
        return [*extract.credit_line("作者", gov.gov_meta(self.meta_tags, "Author")), *super().byline_texts()]


def attachment_lines(container: Element) -> list[str]:
    """The lines of an attachment list (`附件：…`) printed in one of the few elements after the container
    or after one of its two nearest ancestors (the list often closes the container's wrapper)."""
    for node in [container, *container.iterancestors()][:ATTACHMENT_REACH]:
        sibling = node.getnext()
        for _ in range(ATTACHMENT_REACH):
            if sibling is None:
                break
            if isinstance(sibling.tag, str):
                lines = extract.block_texts(sibling)
                if lines and ATTACHMENT_LABEL.match(clean_text(lines[0])):
                    return lines
            sibling = sibling.getnext()
    return []
