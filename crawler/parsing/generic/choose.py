"""Which parser reads a page no site parser reads, and the fallback when a site parser reads nothing.

A page showing a government CMS's signs goes to the gov-portal family parser, any other page to
the generic extractor. A site parser that gets no title or no body from one of its site's article
pages (a layout it does not know) hands the page to the same choice: the item keeps its site and
names both parsers (`parser` the one used, `fallback_from` the one that failed).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from crawler.capture import warc_location
from crawler.parsing.generic.govportal import GovPortalParser
from crawler.parsing.generic.parser import GenericParser
from crawler.parsing.gov import shows_gov_signs
from crawler.parsing.selector import page_selector

if TYPE_CHECKING:
    from datetime import datetime

    from scrapy.http import TextResponse

    from crawler.items import ArticleDraft

logger = logging.getLogger(__name__)


def unowned_draft(response: TextResponse, captured_at: datetime) -> ArticleDraft:
    """The draft of a page no site parser reads: gov-portal when it shows the signs, else generic."""
    parser = GovPortalParser if shows_gov_signs(page_selector(response)) else GenericParser
    draft = parser(response, captured_at).parse()
    draft.warc = warc_location(response)
    return draft


def missing_fields(draft: ArticleDraft) -> list[str]:
    """The fields without which a draft is no article: `title`, `body`."""
    return [name for name, value in (("title", draft.title), ("body", draft.body_paragraphs)) if not value]


def fallback_draft(failed: ArticleDraft, response: TextResponse, captured_at: datetime) -> ArticleDraft:
    """The gov-portal or generic draft of a page its site parser read no title or body from, as the
    site's item: same site, canonical URL and original, `fallback_from` naming the site parser."""
    draft = unowned_draft(response, captured_at)
    logger.warning("%s got no %s from %s (layout changed?): read with %s instead",
                   failed.parser, " or ".join(missing_fields(failed)), response.url, draft.parser)
    return dataclasses.replace(
        draft, site=failed.site, site_name=failed.site_name, canonical_url=failed.canonical_url,
        original_url=failed.original_url or draft.original_url, fallback_from=failed.parser,
    )
