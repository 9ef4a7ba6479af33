"""The parser base of Chinese government portals (TRS, Hanweb and their siblings).

Government article pages carry the standard `<meta>` tags of the 《政府网站发展指引》
(ArticleTitle, PubDate, ContentSource, Author, ...), often dirty: empty, lower-case, markup in
ArticleTitle. Each field reads the tags first and the visible page second; a site parser only
names its visible selectors as class constants.
"""

from __future__ import annotations

from spiders import extract
from spiders.parser import ArticleParser


class GovArticleParser(ArticleParser):
    """Government meta tags first, the visible page (this class's selectors) second."""

    def title(self) -> str:
        """`ArticleTitle` (its first line when it holds markup), else the visible headline."""
        return extract.gov_headline(self.sel, self.TITLE, self.SUBTITLES)[0]

    def subtitles(self) -> list[str]:
        """The stacked headline's further lines (a `——` mark dropped)."""
        return extract.gov_headline(self.sel, self.TITLE, self.SUBTITLES)[1]

    def date_texts(self) -> list[str]:
        """`PubDate`, then the visible publish dates."""
        return extract.gov_dates(self.sel, *self.DATES)

    def source_text(self) -> str | None:
        """`ContentSource`, else the visible 来源 / 信息来源 (None when both are empty)."""
        return extract.gov_source(self.sel, self.SOURCE)

    def byline_texts(self) -> list[str]:
        """The `Author` tag, then the visible 作者 and 责任编辑 lines."""
        return extract.gov_bylines(self.sel, *self.BYLINES)
