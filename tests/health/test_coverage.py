"""Coverage against floors: what counts as drift, from spidermon's coverage stats."""

from __future__ import annotations

from crawler.health.coverage import CONTENT_FIELDS, invalid_share, judge
from crawler.parsing.site import DEFAULT_COVERAGE_FLOORS, Site
from spiders.dutenews import SITE as DUTENEWS


def coverage_stats(items: int, **shares: float) -> dict:
    stats = {"spidermon_item_scraped_count/Article": items, "item_scraped_count": items}
    for field, share in shares.items():
        stats[f"spidermon_field_coverage/Article/{field}"] = share
    stats["spidermon_field_coverage/Article/warc/file"] = 1.0  # nested fields are not fields of the item
    return stats


def by_field(entries):
    return {entry.field: entry for entry in entries}


def test_a_full_floor_counts_from_the_first_item():
    entries = by_field(judge(coverage_stats(1, title=1.0, body=1.0), {"published_at": 1.0}, min_items=5))
    assert entries["published_at"].judged and entries["published_at"].coverage == 0.0
    assert entries["published_at"].below_floor


def test_a_partial_floor_waits_for_enough_items():
    floors = {"authors": 0.5}
    assert not by_field(judge(coverage_stats(4, authors=0.25), floors, min_items=5))["authors"].below_floor
    assert by_field(judge(coverage_stats(5, authors=0.2), floors, min_items=5))["authors"].below_floor
    assert not by_field(judge(coverage_stats(5, authors=0.6), floors, min_items=5))["authors"].below_floor


def test_a_crawl_without_items_judges_nothing():
    assert not any(entry.judged for entry in judge(coverage_stats(0), DEFAULT_COVERAGE_FLOORS, min_items=1))


def test_floored_fields_come_first_then_the_other_content_fields():
    entries = judge(coverage_stats(5, title=1.0, body=1.0, images=0.4), {"title": 1.0, "body": 1.0}, min_items=5)
    assert [entry.field for entry in entries[:2]] == ["title", "body"]
    assert {entry.field for entry in entries} == set(CONTENT_FIELDS)
    images = by_field(entries)["images"]
    assert (images.coverage, images.floor, images.below_floor) == (0.4, None, False)


def test_every_site_has_the_default_floors_and_its_own_on_top():
    bare = Site(name="x", site_name="x", domains=("x.cn",), canonical_host="www.x.cn", start_urls=(), list_entry="li")
    assert bare.floors() == dict(DEFAULT_COVERAGE_FLOORS)
    assert DUTENEWS.floors()["published_at"] == 1.0 and DUTENEWS.floors()["editors"] == 0.8


def test_unusable_share_counts_invalid_and_failed_normalization_only():
    stats = {"item_scraped_count": 6, "items/dropped/invalid": 1, "items/dropped/normalize_error": 1,
             "items/dropped/duplicate": 3, "items/dropped/unchanged": 4}
    assert invalid_share(stats) == (2, 8)


def test_pages_read_by_a_fallback_parser_count_as_unusable_for_the_drift_alarm():
    stats = {"item_scraped_count": 6, "items/dropped/invalid": 1, "parse/fallback/dutenews": 2}
    assert invalid_share(stats) == (3, 7)
