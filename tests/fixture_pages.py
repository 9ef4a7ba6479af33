"""The fixture mirror's pages as test data: meta.json entries, responses built from them, expected items."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse
from scrapy.settings import Settings

from crawler.charsets import decoder_for
from crawler.middlewares.charset import redecode
from crawler.mirror import DEFAULT_ROOT, MirrorPage
from crawler.normalize import build_article
from spiders.registry import spider_for_url

FIXTURES = DEFAULT_ROOT
CAPTURE_DEPENDENT = ("fetched_at", "warc", "version")
SERVED = ("encoding",)
"""Fields that depend on how the mirror serves the page: checked against meta.json, not the expected JSON."""


@dataclass
class FixturePage:
    """One page of a fixture site, with its expected item when it is an article."""

    host: str
    entry: dict[str, Any]
    folder: Path

    @property
    def url(self) -> str:
        return self.entry["url"]

    @property
    def captured(self) -> datetime:
        return datetime.fromisoformat(self.entry["captured"].replace("Z", "+00:00"))

    @property
    def expected_path(self) -> Path:
        return self.folder / self.entry.get("expected", str(Path(self.entry["file"]).with_suffix(".json")))

    def expected(self) -> dict[str, Any]:
        return json.loads(self.expected_path.read_text(encoding="utf-8"))

    @property
    def expected_encoding(self) -> str | None:
        """The charset the page is served in, as w3lib names it (`gbk` -> `gb18030`)."""
        return decoder_for(self.entry.get("charset", "utf-8"))

    def response(self) -> HtmlResponse:
        """The page as the crawler would receive it: bytes and Content-Type as the mirror sends them."""
        page = MirrorPage(url=self.url, path=self.folder / self.entry["file"],
                          charset=self.entry.get("charset", "utf-8"), content_type=self.entry.get("content_type"))
        headers = {"Content-Type": page.header_content_type()}
        return HtmlResponse(url=self.url, body=page.body(), headers=headers)

    def __str__(self) -> str:
        return f"{self.host}:{self.entry['file']}"


def fixture_pages(kind: str | None = None, root: Path = FIXTURES) -> list[FixturePage]:
    """Every page of every fixture site under `root` (of one kind when given)."""
    pages = []
    for meta_path in sorted(root.glob("*/meta.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        for entry in meta["pages"]:
            if kind is None or entry["kind"] == kind:
                pages.append(FixturePage(meta_path.parent.name, entry, meta_path.parent))
    return pages


def expected_articles() -> list[FixturePage]:
    """Article pages (and other pages) that carry an expected item."""
    return [page for page in fixture_pages() if page.entry["kind"] != "list" and page.expected_path.exists()]


def parsed_item(page: FixturePage) -> dict[str, Any]:
    """The item of the page alone, as the crawl makes it: read in the charset the crawl's `CharsetMiddleware`
    chooses, parsed by the site spider owning its URL at its capture date, normalized. `reposted_from` is
    left unset: it is a crawl-level result. Raises `LookupError` when no site spider owns the URL."""
    spider = spider_for_url(page.url)
    if spider is None:
        raise LookupError(f"no site spider owns {page.url}")
    settings = Settings()
    settings.setmodule("crawler.settings")
    response, _ = redecode(page.response(), settings.getlist("CHARSET_FALLBACKS"),
                           settings.getfloat("CHARSET_MAX_INVALID_RATIO"))
    return vars(build_article(spider.extract(response, captured_at=page.captured)))


def without_capture(item: dict[str, Any]) -> dict[str, Any]:
    """An item without the fields that depend on the capture or on how the page is served."""
    return {key: value for key, value in item.items() if key not in CAPTURE_DEPENDENT + SERVED}


def read_items(path: Path) -> list[dict[str, Any]]:
    """The items of a JSON-lines export (none when the file does not exist)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
