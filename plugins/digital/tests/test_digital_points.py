"""Every published option and band of the 2024 index, written out independently of the
spec (from reference §1.3), compared with what digital.yaml declares — plus the sums."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from smesdk_digital import SPEC_PATH

import smesdk

# full id -> {option value: points}; multi-selects include their exclusive "none" at 0.
OPTIONS: dict[str, dict[str, str]] = {
    # 数字化基础 — 网络建设: 2 each
    "foundation.equipment.network": {
        "none": "0", "shopfloor_control": "2", "application_network": "2",
        "industrial_5g": "2", "full_coverage": "2"},
    # 数据采集: 13 steps at 0.7, human resources 0.9
    "foundation.data.auto_collection": {
        "none": "0", "product_design": "0.7", "process_design": "0.7", "marketing": "0.7",
        "after_sales": "0.7", "planning": "0.7", "production_control": "0.7",
        "quality": "0.7", "equipment": "0.7", "safety": "0.7", "energy": "0.7",
        "purchasing": "0.7", "warehousing": "0.7", "finance": "0.7", "hr": "0.9"},
    # 信息系统: 无 0 / 单个 2.5 / 多个 5 / 绝大部分 7.5 / 全覆盖 10
    "foundation.systems.coverage": {
        "none": "0", "single": "2.5", "multiple": "5", "most": "7.5", "all": "10"},
    # 网络安全 / 数据安全: 1.25 per measure
    "foundation.security.network_security": {
        "none": "0", "rules": "1.25", "products": "1.25", "risk_assessment": "1.25",
        "detection": "1.25"},
    "foundation.security.data_security": {
        "none": "0", "rules": "1.25", "products": "1.25", "risk_assessment": "1.25",
        "inventory_checks": "1.25"},
    # 规划实施: 0 / 1.5 / 3 / 4.5 / 6 / 7.5
    "management.planning.plan_execution": {
        "none": "0", "learning": "1.5", "planned": "3", "retrofitting": "4.5",
        "transformed": "6", "leading": "7.5"},
    # 管理机制: 1.875 each
    "management.planning.mechanisms": {
        "none": "0", "workflow": "1.875", "systems_rules": "1.875", "data_rules": "1.875",
        "incentives": "1.875"},
    # 人才建设: 1.5 each
    "management.enablers.talent": {
        "none": "0", "staff": "1.5", "post": "1.5", "training": "1.5", "pay": "1.5",
        "pipeline": "1.5"},
    # 数字化成效: worse / flat / better
    "outcomes.green.energy_intensity": {"increased": "0", "flat": "3.5", "decreased": "7"},
    "outcomes.quality.pass_rate": {"decreased": "0", "flat": "3.5", "increased": "7"},
    "outcomes.market.revenue_per_head": {"decreased": "0", "flat": "1.5", "increased": "3"},
    "outcomes.market.cost_per_revenue": {"increased": "0", "flat": "1.5", "decreased": "3"},
}

# full id -> bands as (lower op, lower, upper op, upper, points), as published:
# [0–10%] 0; (10–20%] …; (20–40%] …; (40–60%] …; (60–100%] …
RATE = [("ge", "0", "le", "10", "0"), ("gt", "10", "le", "20", "1.5"),
        ("gt", "20", "le", "40", "3"), ("gt", "40", "le", "60", "4.5"),
        ("gt", "60", "le", "100", "6")]
BANDS: dict[str, list[tuple[str, str, str, str, str]]] = {
    "foundation.equipment.digital_rate": RATE,
    "foundation.equipment.network_rate": RATE,
    "management.enablers.funding": [
        ("ge", "0", "le", "10", "0"), ("gt", "10", "le", "20", "1.875"),
        ("gt", "20", "le", "40", "3.75"), ("gt", "40", "le", "60", "5.625"),
        ("gt", "60", "le", "100", "7.5")],
}

# Published maxima: 基础 50 = 8 + 6 + 6 + 10 + 10 + 5 + 5; 管理 30 = 4 × 7.5;
# 成效 20 = 7 + 7 + 3 + 3.
MAXIMA = {
    "foundation.equipment.network": "8", "foundation.equipment.digital_rate": "6",
    "foundation.equipment.network_rate": "6", "foundation.data.auto_collection": "10",
    "foundation.systems.coverage": "10", "foundation.security.network_security": "5",
    "foundation.security.data_security": "5", "management.planning.plan_execution": "7.5",
    "management.planning.mechanisms": "7.5", "management.enablers.talent": "7.5",
    "management.enablers.funding": "7.5", "outcomes.green.energy_intensity": "7",
    "outcomes.quality.pass_rate": "7", "outcomes.market.revenue_per_head": "3",
    "outcomes.market.cost_per_revenue": "3",
}
DIMENSIONS = {"foundation": "50", "management": "30", "outcomes": "20"}

SCENES = {
    "lifecycle": ["product_design", "process_design", "marketing", "after_sales"],
    "production": ["planning", "production_control", "quality", "equipment", "safety",
                   "energy"],
    "supply_chain": ["purchasing", "warehousing"],
    "management": ["finance", "hr", "office", "decision"],
}
STARRED = {"product_design", "marketing", "production_control", "quality", "equipment",
           "safety", "energy", "purchasing", "warehousing", "finance"}


@pytest.fixture(scope="module")
def fw() -> smesdk.Framework:
    return smesdk.load_framework(SPEC_PATH)


def _scored(fw: smesdk.Framework) -> dict[str, object]:
    return {iid: ind for iid, ind in fw.iter_indicators()
            if iid.split(".")[0] in DIMENSIONS}


def test_every_scored_item_is_in_the_table(fw: smesdk.Framework) -> None:
    assert set(_scored(fw)) == set(MAXIMA)
    assert len(MAXIMA) == 15


@pytest.mark.parametrize("iid", sorted(OPTIONS))
def test_option_points_match_the_published_table(fw: smesdk.Framework, iid: str) -> None:
    ind = fw.indicator(iid)
    assert {o.value: o.points for o in ind.options} == {k: D(v) for k, v in OPTIONS[iid].items()}
    assert ind.status == "official"
    exclusive = [o.value for o in ind.options if o.exclusive]
    assert exclusive == (["none"] if ind.kind == "multi" else [])


@pytest.mark.parametrize("iid", sorted(BANDS))
def test_bands_match_the_published_bounds(fw: smesdk.Framework, iid: str) -> None:
    ind = fw.indicator(iid)
    assert ind.kind == "percent"
    got = []
    for b in ind.bands:
        lo_op = "ge" if b.ge is not None else "gt"
        hi_op = "le" if b.le is not None else "lt"
        got.append((lo_op, b.ge if b.ge is not None else b.gt, hi_op,
                    b.le if b.le is not None else b.lt, b.points))
    assert got == [(a, D(b), c, D(d), D(e)) for a, b, c, d, e in BANDS[iid]]


@pytest.mark.parametrize("iid", sorted(MAXIMA))
def test_item_maximum(fw: smesdk.Framework, iid: str) -> None:
    assert fw.max_points[iid] == D(MAXIMA[iid])
    assert fw.indicator(iid).status == "official"
    assert fw.indicator(iid).source.primary.doc == "2024"


def test_dimensions_sum_to_exactly_100(fw: smesdk.Framework) -> None:
    by_dim: dict[str, D] = {}
    for iid, top in MAXIMA.items():
        by_dim[iid.split(".")[0]] = by_dim.get(iid.split(".")[0], D(0)) + D(top)
    assert by_dim == {k: D(v) for k, v in DIMENSIONS.items()}
    assert sum(by_dim.values()) == 100
    # and the spec declares the same points at every scored level
    assert fw.spec.points == 100
    assert {d.id: d.points for d in fw.spec.dimensions if d.scored} == {
        k: D(v) for k, v in DIMENSIONS.items()}


def test_doubtful_items_keep_published_figures_and_say_so(fw: smesdk.Framework) -> None:
    for iid in ("management.planning.plan_execution", "management.enablers.funding"):
        ind = fw.indicator(iid)
        assert ind.status == "official"
        assert ind.status_note is not None and ind.status_note.zh and ind.status_note.en


def test_sixteen_scenes_in_four_groups_with_ten_constraining(fw: smesdk.Framework) -> None:
    sets = fw.spec.sets
    expected = [f"operations.{g}.{s}" for g, ss in SCENES.items() for s in ss]
    assert sets["scenes"] == expected
    assert len(expected) == 16
    assert {i.rsplit(".", 1)[1] for i in sets["constrained"]} == STARRED
    for iid in expected:
        ind = fw.indicator(iid)
        assert ind.kind == "scale" and [s.level for s in ind.scale] == [0, 1, 2, 3, 4]
        assert all(s.label.zh and s.label.en for s in ind.scale)
    assert not fw.dimension("operations").scored


def test_every_indicator_cites_a_clause_and_has_a_status(fw: smesdk.Framework) -> None:
    docs = {"001", "2024", "2022"}
    for _iid, ind in fw.iter_indicators():
        assert ind.source.primary.doc in docs and ind.source.primary.clause
        assert ind.status in ("official", "derived", "unverified")
        assert ind.title.zh and ind.title.en and ind.question.zh and ind.question.en
        for o in ind.options:
            assert o.label.zh and o.label.en
