"""Every numbered item of sections 二–十 of the guide is in the framework, with citations."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

import smesdk
from smesdk.cli import cli

# Written out from the guide (seed 000), not from the spec: section → its numbered items.
GUIDE_ITEMS = {
    "二": ["一", "二", "三"],            # 战略管理: 战略定位、市场定位、企业文化
    "三": ["一", "二", "三", "四"],      # 人力资源: 人员配备、薪酬、培训、福利
    "四": ["一", "二", "三", "四"],      # 创新: 创新文化、产品创新、知识产权、客户参与
    "五": ["一", "二", "三", "四", "五"],  # 生产: 精益、智能化、质量、绿色、应急
    "六": ["一", "二"],                  # 供应链: 供应商、库存物流
    "七": ["一", "二", "三"],            # 营销: 资质、客户关系、渠道
    "八": ["一", "二", "三", "四"],      # 财务: 现金流、成本预算、内控内审、融资
    "九": ["一", "二", "三"],            # 决策: 治理、数字化、决策支持
    "十": ["一", "二"],                  # 公共形象: 公共关系、社会声誉
}
CLAUSES = [f"{sec}（{item}）" for sec, items in GUIDE_ITEMS.items() for item in items]
AREAS = ["strategy", "hr", "innovation", "production", "supply_chain", "marketing", "finance",
         "decision", "image"]
RED_LINES = {
    "social_insurance": ("hr.h4.social_insurance", "三（四）"),
    "pollution_compliance": ("production.p4.pollutant_compliance", "五（四）"),
    "safety_duties": ("production.p5.safety_duties", "五（五）"),
    "lawful_operation": ("image.r2.lawful_operation", "十（二）"),
}


@pytest.fixture(scope="module")
def shown() -> dict:
    out = CliRunner().invoke(cli, ["show", "management", "--json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


def test_thirty_clause_labels_written_independently() -> None:
    assert len(CLAUSES) == 30
    assert len(set(CLAUSES)) == 30


def test_show_lists_nine_areas_and_thirty_items(shown: dict) -> None:
    spec = shown["framework"]
    assert [a["id"] for a in spec["dimensions"]] == AREAS
    items = [(a, s) for a in spec["dimensions"] for s in a["dimensions"]]
    assert len(items) == 30
    assert sorted(s["source"]["clause"] for _, s in items) == sorted(CLAUSES)
    # each area cites its section, each item sits under the area of its section
    for area, item in items:
        assert item["source"]["clause"].startswith(area["source"]["clause"] + "（")


@pytest.mark.parametrize("clause", CLAUSES)
def test_each_item_has_two_to_four_cited_practices(shown: dict, clause: str) -> None:
    items = [s for a in shown["framework"]["dimensions"] for s in a["dimensions"]
             if s["source"]["clause"] == clause]
    assert len(items) == 1, f"item {clause} missing or duplicated"
    indicators = items[0]["indicators"]
    assert 2 <= len(indicators) <= 4
    for ind in indicators:
        assert ind["source"] == {"doc": "000", "clause": clause} or (
            ind["source"]["doc"] == "000" and ind["source"]["clause"] == clause)
        assert ind["status"] == "derived"


def test_at_least_seventy_indicators_all_bilingual_and_cited() -> None:
    fw = smesdk.load_framework("management")
    indicators = list(fw.iter_indicators())
    assert len(indicators) >= 70
    for full_id, ind in indicators:
        assert re.fullmatch(r"[a-z_]+\.[a-z]\d\.[a-z0-9_]+", full_id), full_id
        assert ind.source.primary.doc == "000" and ind.source.primary.clause in CLAUSES, full_id
        for text in (ind.title, ind.question, ind.recommendation):
            assert text is not None and text.zh.strip() and text.en.strip(), full_id
        for option in ind.options:
            assert option.label.zh.strip() and option.label.en.strip(), full_id
        for rung in ind.scale:
            assert rung.label.zh.strip() and rung.label.en.strip(), full_id


def test_levels_are_derived_and_described() -> None:
    spec = smesdk.load_framework("management").spec
    assert 4 <= len(spec.levels) <= 5
    for level in spec.levels:
        assert level.status == "derived"
        assert level.description is not None
        assert level.description.zh.strip() and level.description.en.strip()


def test_red_lines_are_level_caps_on_the_named_obligations() -> None:
    spec = smesdk.load_framework("management").spec
    caps = {cap.id: cap for cap in spec.level_caps}
    assert set(caps) == set(RED_LINES)
    for cap_id, (indicator, clause) in RED_LINES.items():
        cap = caps[cap_id]
        assert cap.when.indicator is not None and cap.when.indicator.id == indicator
        assert cap.source is not None and cap.source.primary.clause == clause
        assert cap.max_level == "l1"
        assert cap.recommendation is not None


def test_shared_fact_keys() -> None:
    fw = smesdk.load_framework("management")
    facts = {ind.fact: full_id for full_id, ind in fw.iter_indicators() if ind.fact}
    assert facts == {
        "cert.iso9001.valid": "production.p3.qms_certificate",
        "digital.business_links_digitalised": "decision.d2.business_links_digitalised",
        "finance.debt_to_asset_ratio": "finance.f4.debt_to_asset_ratio",
        "finance.net_profit_margin": "finance.f3.net_profit_margin",
        "brand.own_brand": "image.r1.own_brand",
    }
