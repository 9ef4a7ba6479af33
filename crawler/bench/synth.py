"""The synthetic mirror: thousands of realistic Chinese article and list pages in fixture-mirror form.

`generate(root, lists_per_site)` writes, for every site with fixture templates, `lists_per_site`
list pages of `ENTRIES_PER_LIST` articles each, paging from the site's start URL, into
`root/<host>/` with a `meta.json` that `crawler.mirror.load_routes` reads. Article pages take a
fixture article of the site as template, with a new URL (its ID replaced), headline and body
text (sentences of the fixture articles, shuffled), and page chrome to a size between
`PAGE_SIZE` bounds. Everything is seeded: the same arguments give the same bytes.
"""

from __future__ import annotations

import html
import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.bench.chrome import pad
from crawler.bench.templates import ArticleTemplate, ListTemplate, SiteTemplates, site_templates
from crawler.mirror import DEFAULT_ROOT

ENTRIES_PER_LIST = 20
PAGE_SIZE = (40 * 1024, 60 * 1024)
TOP_SHARE = 0.3
"""Share of the chrome placed above the content (navigation); the rest follows it."""
ENTRY_KEYS = ("charset", "content_type", "chunked", "captured", "headers")
"""What a generated page inherits from its template's meta.json entry."""
_URL_ID = re.compile(r"\d{5,}|[0-9a-f]{8}(?=[^/]*$)")
_LAST_NUMBER = re.compile(r"\d+(?=\D*$)")
_SENTENCE_END = re.compile(r"(?<=[。！？；])")


@dataclass
class Corpus:
    """Sentences and headlines of the fixture articles, encodable in GBK (some templates are served in it)."""

    sentences: list[str]
    titles: list[str]

    @classmethod
    def from_fixtures(cls, fixtures: Path) -> Corpus:
        """Every body sentence and title of the expected items under `fixtures`."""
        sentences: set[str] = set()
        titles: set[str] = set()
        for path in sorted(fixtures.glob("*/article/*.json")):
            item = json.loads(path.read_text(encoding="utf-8"))
            titles.add(item["title"])
            for paragraph in item["body"].split("\n\n"):
                sentences.update(s for s in _SENTENCE_END.split(paragraph) if len(s) >= 8)
        return cls(sorted(filter(_gbk, sentences)), sorted(filter(_gbk, titles)))

    def text(self, rng: random.Random, length: int) -> str:
        """Sentences adding up to at least `length` characters, HTML-escaped."""
        out: list[str] = []
        total = 0
        while total < length:
            sentence = rng.choice(self.sentences)
            out.append(sentence)
            total += len(sentence)
        return html.escape("".join(out))


@dataclass
class Manifest:
    """What `generate` wrote: pages per site and every article's (site, URL, file, title)."""

    root: Path
    lists_per_site: int
    sites: list[str] = field(default_factory=list)
    articles: list[tuple[str, str, Path, str]] = field(default_factory=list)
    pages: int = 0
    bytes: int = 0

    def pages_for(self, max_lists: int) -> int:
        """Pages a crawl bounded at `max_lists` list pages per site fetches (robots.txt excluded)."""
        return len(self.sites) * min(max_lists, self.lists_per_site) * (1 + ENTRIES_PER_LIST)


def generate(root: Path, lists_per_site: int, fixtures: Path = DEFAULT_ROOT, seed: int = 8) -> Manifest:
    """Write the synthetic mirror under `root` (emptied first)."""
    if root.exists():
        shutil.rmtree(root)
    corpus = Corpus.from_fixtures(fixtures)
    manifest = Manifest(root, lists_per_site)
    for number, templates in enumerate(site_templates(fixtures)):
        rng = random.Random(seed * 1000 + number)
        _write_site(templates, corpus, rng, manifest)
    return manifest


def _write_site(templates: SiteTemplates, corpus: Corpus, rng: random.Random, manifest: Manifest) -> None:
    folder = manifest.root / templates.folder.name
    (folder / "list").mkdir(parents=True)
    (folder / "article").mkdir()
    robots = templates.folder / "robots.txt"
    if robots.exists():
        shutil.copy(robots, folder / "robots.txt")
    entries: list[dict[str, Any]] = []
    for index in range(manifest.lists_per_site):
        articles = []
        for offset in range(ENTRIES_PER_LIST):
            number = index * ENTRIES_PER_LIST + offset
            template = templates.articles[number % len(templates.articles)]
            articles.append(_write_article(template, number, corpus, rng, folder, manifest))
            entries.append({"url": articles[-1][0], "file": f"article/{number}.html", "kind": "article",
                            "title": articles[-1][1], **_inherited(template.entry)})
            manifest.articles.append(
                (templates.site.name, articles[-1][0], folder / entries[-1]["file"], articles[-1][1]))
        url = list_url(templates.listing, index)
        following = list_url(templates.listing, index + 1) if index + 1 < manifest.lists_per_site else "#"
        page = _list_page(templates.listing, articles, following, corpus, rng)
        _write(folder / f"list/{index}.html", page, manifest)
        entries.append(
            {"url": url, "file": f"list/{index}.html", "kind": "list", **_inherited(templates.listing.entry)})
    meta = {"site": templates.site.name, "pages": entries}
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=0), encoding="utf-8")
    manifest.sites.append(templates.site.name)


def _write_article(template: ArticleTemplate, number: int, corpus: Corpus, rng: random.Random,
                   folder: Path, manifest: Manifest) -> tuple[str, str]:
    url = article_url(template.url, number)
    title = rng.choice(corpus.titles)
    values = {"url": url, "title": html.escape(title), "top": "", "bottom": ""}
    for index, length in enumerate(template.paragraph_lengths):
        values[f"p{index}"] = corpus.text(rng, int(length * rng.uniform(1.5, 3.0)))
    _write(folder / f"article/{number}.html", _padded(template.page.render, values, corpus, rng), manifest)
    return url, title


def _list_page(template: ListTemplate, articles: list[tuple[str, str]], following: str, corpus: Corpus,
               rng: random.Random) -> str:
    items = "\n".join(template.item.render({"url": url, "title": html.escape(title)}) for url, title in articles)
    values = {"entries": items, "next": following, "top": "", "bottom": ""}
    return _padded(template.page.render, values, corpus, rng)


def _padded(render, values: dict[str, str], corpus: Corpus, rng: random.Random) -> str:  # type: ignore[no-untyped-def]
    """The page rendered with chrome filling it to a random size within `PAGE_SIZE`."""
    missing = rng.randint(*PAGE_SIZE) - len(render(values).encode("utf-8"))
    if missing > 0:
        values["top"] = pad(rng, corpus.titles, int(missing * TOP_SHARE))
        values["bottom"] = pad(rng, corpus.titles, missing - len(values["top"].encode("utf-8")))
    return render(values)


def article_url(template_url: str, number: int) -> str:
    """The template's URL with its ID (the last 5+ digit run, or an 8-hex tag) replaced by a number's."""
    last = list(_URL_ID.finditer(template_url))[-1]
    token = last.group(0)
    new = f"{number:08x}" if not token.isdigit() else str(10 ** (len(token) - 1) + number)
    return template_url[: last.start()] + new + template_url[last.end():]


def list_url(template: ListTemplate, index: int) -> str:
    """The URL of list page `index` (0 = the start URL), numbered like the fixture's second page."""
    if index == 0:
        return template.start_url
    match = _LAST_NUMBER.search(template.second_url)
    assert match is not None, template.second_url
    number = int(match.group(0)) + index - 1
    return template.second_url[: match.start()] + str(number) + template.second_url[match.end():]


def _inherited(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: entry[key] for key in ENTRY_KEYS if key in entry}


def _write(path: Path, text: str, manifest: Manifest) -> None:
    data = text.encode("utf-8")
    path.write_bytes(data)
    manifest.pages += 1
    manifest.bytes += len(data)


def _gbk(text: str) -> bool:
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True
