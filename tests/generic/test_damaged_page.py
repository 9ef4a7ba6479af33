"""A mirror-damaged page on an unknown host, read by `scrapy crawl page` over loopback, comes out repaired
and complete: traditional characters with pinyin annotations, a year-less date resolved from the URL's
date, staff lines in several styles (a leading 记者/通讯员 line, a closing `（文/… 图/…）` credit, a
`编辑：… 责编：… 三审：阳   健` line)."""

from __future__ import annotations

import json

import pytest

from crawler.schema import schema_errors
from tests.generic.realpages import crawl, serve
from tests.generic.test_generic_parser import FIXTURES

PAGE = "damaged_mirror_copy.html"
PATH = "news/202410/t20241010_5566.html"
BODY = "\n\n".join([
    "10月9日，湖南省市场监管局在长沙召开全省计量工作会议，总结今年以来计量工作，部署下一阶段重点任务。",
    "会议指出，要加快建设现代先进测量体系，推动计量器具强制检定改革，提升计量服务产业发展能力。",
    "会议要求，各地要聚焦智能计量衡器产业，强化计量监督检查，守护民生计量安全。",
])


@pytest.fixture(scope="module")
def item(tmp_path_factory):
    served = tmp_path_factory.mktemp("served")
    (served / PATH).parent.mkdir(parents=True)
    (served / PATH).write_bytes((FIXTURES / PAGE).read_bytes())
    out = tmp_path_factory.mktemp("crawl")
    with serve(served) as base:
        items = crawl([base + PATH], out)
    lines = items.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def test_text_is_repaired(item):
    assert item["repairs"] == ["pinyin-annotations", "traditional-to-simplified"]
    assert item["title"] == "湖南省市场监管局召开全省计量工作会议"
    assert item["body"] == BODY


def test_year_less_date_takes_the_year_of_the_url(item):
    assert (item["published_at"], item["published_precision"]) == ("2024-10-10T09:30:00+08:00", "minute")


def test_staff_lines_in_every_style_become_credits(item):
    assert item["source"] == "湖南日报"
    assert item["authors"] == ["张三", "李四", "王五"]
    assert item["photographers"] == ["赵六"]
    assert item["editors"] == [{"role": "编辑", "name": "谢思思"}, {"role": "责编", "name": "袁赟昆"},
                               {"role": "三审", "name": "阳健"}]


def test_item_is_valid_and_generic(item):
    assert schema_errors(item) == []
    assert item["parser"].startswith("generic@")
