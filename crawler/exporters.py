"""Feed exporters of the project: CSV whose list and object fields are JSON text.

Scrapy's `CsvItemExporter` joins a list with commas and writes an object as its Python repr
(`[{'role': '责任编辑', 'name': '刘宇'}]`), which no spreadsheet or CSV reader can take apart again.
Here every list or object field (`authors`, `editors`, `images`, `warc`, `repairs`…) is one cell of
JSON (UTF-8, not escaped); scalars are written as Scrapy writes them. With
`FEED_EXPORT_ENCODING=utf-8-sig` the file starts with a byte order mark, which Excel needs to read
UTF-8.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from scrapy.exporters import CsvItemExporter

if TYPE_CHECKING:
    from collections.abc import Mapping

    from scrapy import Field


class JsonFieldsCsvItemExporter(CsvItemExporter):
    """`CsvItemExporter` with list and object fields serialized as JSON."""

    def serialize_field(self, field: Mapping[str, Any] | Field, name: str, value: Any) -> Any:
        """A list or dict as compact JSON text; anything else as Scrapy serializes it."""
        if isinstance(value, list | tuple | dict):
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return super().serialize_field(field, name, value)
