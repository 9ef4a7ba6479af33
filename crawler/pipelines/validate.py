"""Checks every Article against the project's JSON Schema; invalid ones are dropped with the reason."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

from crawler.items import Article
from crawler.pipelines import ItemRejected
from crawler.schema import schema_errors, surely_valid

if TYPE_CHECKING:
    from scrapy import Spider


class ValidatePipeline:
    """Drops items that do not validate (`items/dropped/invalid`), or that are not Articles."""

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        """Pass valid Articles on; raise `ItemRejected` for anything else.

        An Article's fields are checked as they are (no `ItemAdapter` copy) by the compiled schema;
        only an item it does not vouch for is copied and judged, with readable errors, by jsonschema.
        """
        if not isinstance(item, Article):
            raise ItemRejected("not_an_article", f"unexpected item type {type(item).__name__}")
        if surely_valid(vars(item)):
            return item
        errors = schema_errors(ItemAdapter(item).asdict())
        if errors:
            raise ItemRejected("invalid", "; ".join(errors[:5]))
        return item
