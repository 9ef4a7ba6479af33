"""The JSON Schema of the exported `Article` item, and validators for it."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import fastjsonschema
from jsonschema import Draft202012Validator

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

SCHEMA_FILE = "article.schema.json"


@cache
def article_schema() -> dict[str, Any]:
    """The Article JSON Schema as a dict."""
    return json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


@cache
def article_validator() -> Draft202012Validator:
    """A validator of the Article schema."""
    return Draft202012Validator(article_schema())


@cache
def compiled_validator() -> Callable[[Any], Any]:
    """The Article schema compiled to Python code by fastjsonschema (raises on the first error)."""
    return fastjsonschema.compile(article_schema())


def schema_errors(item: dict[str, Any]) -> list[str]:
    """Readable validation errors of an exported item (empty when valid), e.g. `title: '' is too short`."""
    errors = sorted(article_validator().iter_errors(item), key=lambda e: list(e.path))
    return [f"{'.'.join(str(p) for p in error.path) or '<item>'}: {error.message}" for error in errors]


def surely_valid(item: Mapping[str, Any]) -> bool:
    """True when the item validates, decided by the compiled schema (much faster than `schema_errors`).

    False means "ask `schema_errors`": the compiled code reads `$` in a pattern as the end of the
    text (stricter than jsonschema, which also allows a final newline) and takes a tuple for an
    array (laxer), so an item with a tuple-valued field is never vouched for here. The schema's
    arrays are all top-level fields.
    """
    if any(isinstance(value, tuple) for value in item.values()):
        return False
    try:
        compiled_validator()(item)
    except fastjsonschema.JsonSchemaException:
        return False
    return True
