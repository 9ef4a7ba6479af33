"""The edges of an extracted body: what stands above the article text and what closes it.

trafilatura keeps some page furniture at the ends of the text it extracts: the headline lines, a
line of names under them, a dateline (`2003-7-24 钱江晚报`), a closing byline (`□ 本报记者 葛灵丹`)
and, after it, share buttons. `split_edges` takes them off and says what they held.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crawler.normalize.dates import parse_date
from crawler.parsing.generic.credits import author_line, bare_names, closing_names, credit_in, poster_in
from crawler.parsing.generic.markup import MIN_TITLE, squeeze
from crawler.parsing.generic.merge import is_prose

EDGE_PARAGRAPHS = 5
"""How many paragraphs at each end of the body are looked at."""
MAX_HEADLINE = 40
"""Longer paragraphs are text, not headline, dateline or page furniture."""

_SENTENCE_END = re.compile(r"[。！？!?；;]")
_DASH_SUBTITLE = re.compile(r"^\s*(?:——|――|--)")


@dataclass
class Edges:
    """A body without its edges, and what the edges held."""

    body: list[str]
    headline: list[str] = field(default_factory=list)
    """Headline lines printed at the top of the body, main one first as printed."""
    credits: list[str] = field(default_factory=list)
    """Staff lines, as the byline parser reads them."""
    date_lines: list[str] = field(default_factory=list)


def split_edges(paragraphs: list[str]) -> Edges:
    """Take the top (headline lines, then names, staff lines or a dateline) and the bottom (closing
    credits and the short lines after them) off a body."""
    edges = _split_top(paragraphs)
    body, credits, dated = _split_bottom(edges.body)
    edges.body = body
    edges.credits += credits
    edges.date_lines += dated
    return edges


def promote_headline(edges: Edges, *, above_prose: bool = False) -> None:
    """Make the body's first line the headline when it is a short line, not a sentence (and, with
    `above_prose`, only when prose follows it: a post's title, not its poster's fields)."""
    if not edges.headline and edges.body and _is_short(edges.body[0]):
        if above_prose and not (len(edges.body) > 1 and is_prose(edges.body[1])):
            return
        edges.headline.append(edges.body.pop(0).strip())


def _is_short(paragraph: str) -> bool:
    """Whether a paragraph is a short line, not a sentence (a headline may end in `？` or `！`)."""
    text = paragraph.strip()
    return len(text) <= MAX_HEADLINE and not _SENTENCE_END.search(text[:-1])


def _split_top(paragraphs: list[str]) -> Edges:
    """The top block: short lines down to the last byline, names line or dateline among the first
    paragraphs. The line right above the first of those is the headline (lines above it are menus
    or an 引题, and leave the body too); `——` lines right after the block are subtitles."""
    kinds: list[tuple[str, str]] = []
    for paragraph in paragraphs[:EDGE_PARAGRAPHS]:
        if not _is_short(paragraph):
            break
        kinds.append(_top_kind(paragraph, kinds[-1] if kinds else None))
    marks = [index for index, (kind, _) in enumerate(kinds) if kind != "headline"]
    if not marks:
        return Edges(list(paragraphs))
    headline = [paragraphs[marks[0] - 1].strip()] if marks[0] > 0 else []
    end = marks[-1] + 1
    while end < len(paragraphs) and _is_short(paragraphs[end]) and _DASH_SUBTITLE.match(paragraphs[end]):
        headline.append(paragraphs[end].strip())
        end += 1
    credits = [line for kind, line in kinds[:end] if kind in ("credit", "names")]
    dates = [line for kind, line in kinds[:end] if kind == "date"]
    return Edges(paragraphs[end:], headline, credits, dates)


def _top_kind(paragraph: str, previous: tuple[str, str] | None) -> tuple[str, str]:
    """What a short line atop the body is: (`credit`, staff line), (`names`, staff line) for bare
    names under a headline, (`date`, line) or (`headline`, line)."""
    credit = credit_in(paragraph)
    if credit:
        return "credit", credit
    under_headline = previous is not None and previous[0] == "headline" and len(squeeze(previous[1])) >= MIN_TITLE
    names = bare_names(paragraph) if under_headline else []
    if names:
        return "names", author_line(names)[0]
    if parse_date(paragraph):
        return "date", paragraph
    return "headline", paragraph


def _is_closing(paragraph: str) -> bool:
    """Whether a paragraph may be a closing credit: a short line, or a post's footer naming the poster."""
    return _is_short(paragraph) or poster_in(paragraph) is not None


def _split_bottom(paragraphs: list[str]) -> tuple[list[str], list[str], list[str]]:
    """From the first closing credit among the last paragraphs on, credits are taken and short lines
    dropped; a closing parenthesis of bare names on the last paragraph is a credit too. Also returns
    the credit lines that print a date (a post's footer: `ggjjzhzz 发表于 2005-9-15 11:46:00`)."""
    start = max(0, len(paragraphs) - EDGE_PARAGRAPHS)
    first = next(
        (i for i in range(start, len(paragraphs)) if _is_closing(paragraphs[i]) and credit_in(paragraphs[i])), None)
    body = list(paragraphs if first is None else paragraphs[:first])
    credits, dated = [], []
    for paragraph in paragraphs[len(body):]:
        credit = credit_in(paragraph) if _is_closing(paragraph) else None
        if credit:
            credits.append(credit)
            dated += [paragraph] if parse_date(paragraph) else []
        elif not _is_short(paragraph):
            body.append(paragraph)
    if body:
        body[-1], names = closing_names(body[-1])
        credits += author_line(names)
    return [paragraph for paragraph in body if paragraph.strip()], credits, dated
