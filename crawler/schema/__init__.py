"""The JSON Schema of the exported `Article` item, and a validator for it."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_FILE = "article.schema.json"


@cache
def article_schema() -> dict[str, Any]:
    """The Article JSON Schema as a dict."""
    return json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


@cache
def article_validator() -> Draft202012Validator:
    """A validator of the Article schema."""
    return Draft202012Validator(article_schema())


def schema_errors(item: dict[str, Any]) -> list[str]:
    """Readable validation errors of an exported item (empty when valid), e.g. `title: '' is too short`."""
    errors = sorted(article_validator().iter_errors(item), key=lambda e: list(e.path))
    return [f"{'.'.join(str(p) for p in error.path) or '<item>'}: {error.message}" for error in errors]
