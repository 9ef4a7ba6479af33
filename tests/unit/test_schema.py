"""The compiled schema's fast verdict never passes an item jsonschema would refuse, and passes the real ones."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.schema import article_schema, schema_errors, surely_valid
from tests.fixture_pages import expected_articles

WARC = {"file": "nqi-x.warc.gz", "offset": 0, "record_id": "<urn:uuid:0a8c8e0e-1234>"}
ITEMS = [
    {**page.expected(), "warc": WARC, "fetched_at": "2024-05-01T00:00:00Z", "version": 1,
     "encoding": page.expected_encoding}
    for page in expected_articles()
]

VALUES = [
    None, "", "x", "x\n", "\n", "https://a.cn/1", "https://a.cn/1\n", "https://a.cn/#x", "ftp://a",
    "2024-05-01T08:00:00+08:00", "2024-05-01T08:00:00+08:00\n", "2024-05-01T08:00:00.5Z", "day", "second",
    "pinyin-annotations", "a" * 40, "A" * 40,
    "dutenews@2024-01", "Dutenews@1", "<urn:uuid:ab-12>", "<urn:uuid:AB>", 0, 1, -1, 2, 1.0, 0.5, -1.0, True, False,
    [], ["x"], [""], ["x", None], ("x",), (), ["day"], ["pinyin-annotations", "x"], {}, {"role": "r", "name": "n"},
    [{"role": "r", "name": "n"}], [{"role": "", "name": "n"}], [{"role": "r"}], [{"role": "r", "name": "n", "x": 1}],
    [{"url": "https://a.cn/1.jpg", "caption": ""}], [{"url": "/1.jpg", "caption": ""}],
    [({"url": "https://a", "caption": ""},)],
    {"file": "f", "offset": 0, "record_id": "<urn:uuid:1>"}, {"file": "f", "offset": -1, "record_id": "<urn:uuid:1>"},
    {"file": "f", "offset": 1.0, "record_id": "<urn:uuid:1>"},
    {"file": "f", "offset": True, "record_id": "<urn:uuid:1>"},
    {"file": "", "offset": 0, "record_id": "<urn:uuid:1>"}, {"file": "f", "offset": 0},
    [{"url": "https://a", "caption": None}],
]
FIELDS = sorted(article_schema()["properties"])


def mutated(item: dict, changes: list[tuple[str, int]], dropped: list[str], extra: bool) -> dict:
    result = {**item, **{field: VALUES[index] for field, index in changes}}
    for field in dropped:
        result.pop(field, None)
    if extra:
        result["unexpected"] = 1
    return result


def test_every_real_item_is_vouched_for():
    assert len(ITEMS) >= 30
    assert all(surely_valid(item) for item in ITEMS)


@settings(max_examples=600)
@given(
    st.sampled_from(ITEMS),
    st.lists(st.tuples(st.sampled_from(FIELDS), st.integers(0, len(VALUES) - 1)), max_size=3),
    st.lists(st.sampled_from(FIELDS), max_size=1),
    st.booleans(),
)
def test_the_fast_verdict_never_passes_an_invalid_item(item, changes, dropped, extra):
    candidate = mutated(item, changes, dropped, extra)
    if surely_valid(candidate):
        assert schema_errors(candidate) == []


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_each_value_in_each_field(field, value):
    candidate = {**ITEMS[0], field: value}
    if surely_valid(candidate):
        assert schema_errors(candidate) == []


def test_a_tuple_is_left_to_jsonschema():
    candidate = {**ITEMS[0], "authors": ("张三",)}
    assert not surely_valid(candidate)
    assert schema_errors(candidate) == ["authors: ('张三',) is not of type 'array'"]


def test_arrays_are_top_level_fields_only():
    """`surely_valid` looks for tuples among the top-level values: that is where the schema's arrays are."""

    def arrays(schema: dict, path: tuple) -> list[tuple]:
        types = schema.get("type") if isinstance(schema.get("type"), list) else [schema.get("type")]
        found = [path] if "array" in types else []
        for name, sub in schema.get("properties", {}).items():
            found += arrays(sub, (*path, name))
        if isinstance(schema.get("items"), dict):
            found += arrays(schema["items"], (*path, "[]"))
        return found

    assert all(len(path) == 1 for path in arrays(article_schema(), ()))
