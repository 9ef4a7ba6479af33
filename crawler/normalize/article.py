"""From `ArticleDraft` (the page's pieces as printed) to `Article` (the exported item contract)."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

from dateutil.parser import isoparse

from crawler.items import Article, ArticleDraft, ImageRef
from crawler.normalize.bylines import Credits, merge_credits, parse_credits, split_staff_lines
from crawler.normalize.dates import ParsedDate, date_from_url, parse_date, reference_from_url, split_trailing_date
from crawler.normalize.guards import Rejections, is_person_name, is_source_name, tidy_source
from crawler.normalize.repair import repair_texts
from crawler.normalize.text import canonicalize_url, clean_paragraphs, clean_text, join_paragraphs

logger = logging.getLogger(__name__)


def build_article(draft: ArticleDraft, rejections: Rejections | None = None) -> Article:
    """Normalize a draft: repair mirror damage, clean whitespace, split credits, resolve the date, and
    leave out the author, editor and source values that are no names (recorded in `rejections`)."""
    repaired, repairs = repair_draft(draft)
    body_paragraphs, body_credits = split_staff_lines(repaired.body_paragraphs)
    rejections = rejections if rejections is not None else Rejections()
    credits = guard_credits(merge_credits([*(parse_credits(text) for text in repaired.byline_texts), body_credits]),
                            rejections)
    source, source_date = resolve_source(repaired.source_text, credits)
    source = tidy_source(source) if source else None
    if source is not None and not rejections.keep("source", source, is_source_name):
        source = None
    dates = [*draft.date_texts, *(text for text in (source_date, credits.date_text) if text)]
    published = resolve_published(dates, draft.url, draft.fetched_at)
    body = join_paragraphs(clean_paragraphs(body_paragraphs))
    return Article(
        url=draft.url,
        canonical_url=draft.canonical_url or canonicalize_url(draft.url),
        site=draft.site,
        site_name=draft.site_name,
        title=clean_text(repaired.title),
        subtitles=clean_paragraphs(repaired.subtitles),
        published_at=published.isoformat() if published else None,
        published_precision=published.precision if published else None,
        source=source,
        original_url=draft.original_url,
        authors=credits.authors,
        photographers=credits.photographers,
        editors=credits.editors,
        body=body,
        images=[{"url": image.url, "caption": clean_text(image.caption)} for image in repaired.images],
        repairs=repairs,
        fetched_at=draft.fetched_at,
        warc=draft.warc,
        body_sha1=hashlib.sha1(body.encode("utf-8")).hexdigest(),
        reposted_from=None,
        parser=draft.parser,
        fallback_from=draft.fallback_from,
        encoding=draft.encoding,
        version=1,
    )


def guard_credits(credits: Credits, rejections: Rejections) -> Credits:
    """The credits without the names that are none (see `crawler.normalize.guards`)."""
    return dataclasses.replace(
        credits,
        authors=[name for name in credits.authors if rejections.keep("authors", name, is_person_name)],
        photographers=[name for name in credits.photographers
                       if rejections.keep("photographers", name, is_person_name)],
        editors=[editor for editor in credits.editors if rejections.keep("editors", editor["name"], is_person_name)],
    )


def repair_draft(draft: ArticleDraft) -> tuple[ArticleDraft, list[str]]:
    """A copy of the draft with all its texts repaired together (one decision per document)."""
    texts = [
        draft.title,
        *draft.subtitles,
        *draft.body_paragraphs,
        *draft.byline_texts,
        draft.source_text or "",
        *(image.caption for image in draft.images),
    ]
    repaired, repairs = repair_texts(texts)
    parts = iter(repaired)
    title = next(parts)
    subtitles = _take(parts, len(draft.subtitles))
    body_paragraphs = _take(parts, len(draft.body_paragraphs))
    byline_texts = _take(parts, len(draft.byline_texts))
    source_text = next(parts)
    images = [ImageRef(image.url, caption) for image, caption in zip(draft.images, parts, strict=True)]
    copy = dataclasses.replace(
        draft, title=title, subtitles=subtitles, body_paragraphs=body_paragraphs,
        byline_texts=byline_texts, source_text=source_text if draft.source_text is not None else None,
        images=images,
    )
    return copy, repairs


def resolve_source(source_text: str | None, credits: Credits) -> tuple[str | None, str | None]:
    """The `来源` as printed and a date printed after it: the draft's source wins over the credits'."""
    if source_text:
        source, date_text = split_trailing_date(clean_text(source_text))
        if source:
            return source, date_text
    return credits.source, None


def resolve_published(date_texts: list[str], url: str, fetched_at: str) -> ParsedDate | None:
    """The publish date: the first date with a year; else a year-less one resolved against the URL
    date (or, without one, the capture date); else the URL's day; else None."""
    for text in date_texts:
        parsed = parse_date(text)
        if parsed is not None:
            return parsed
    reference = reference_from_url(url) or capture_time(fetched_at)
    if reference is not None:
        for text in date_texts:
            parsed = parse_date(text, reference)
            if parsed is not None:
                return parsed
    parsed = date_from_url(url)
    if parsed is None:
        logger.debug("no publish date for %s", url)
    return parsed


def capture_time(fetched_at: str) -> datetime | None:
    """The capture time (WARC-Date, UTC when no offset is printed), or None when unreadable."""
    try:
        value = isoparse(fetched_at)
    except ValueError:
        logger.warning("unreadable capture time %r", fetched_at)
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _take(parts: Iterator[str], count: int) -> list[str]:
    """The next `count` items of an iterator."""
    return [next(parts) for _ in range(count)]
