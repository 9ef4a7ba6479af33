"""Normalization: the one place for text rules, shared by spiders and pipelines.

`text` (whitespace, URLs), `dates` (publish dates), `bylines` (staff and source lines),
`repair` (mirror damage) and `article` (draft to exported item). No Scrapy imports here.
"""

from crawler.normalize.article import build_article

__all__ = ["build_article"]
