"""Levels: bands on the total, gates, red lines, next-level blockers, and their spec checks."""

from __future__ import annotations

import copy
from decimal import Decimal as D
from fractions import Fraction as F
from typing import Any

import pytest

import smesdk
from smesdk import Framework, Result, SpecError
from smesdk.convert import converter
from smesdk.gates import ScoreView, failures, holds
from smesdk.loading import spec_from_data
from smesdk.spec import Gate
from smesdk.text import Text

T = {"zh": "题", "en": "q"}
SCALE = [{"level": n, "label": {"zh": str(n), "en": str(n)}} for n in range(5)]


def ind(id: str, en: str, kind: str = "yesno", **kw: Any) -> dict[str, Any]:
    return {"id": id, "title": {"zh": en, "en": en}, "question": T, "kind": kind,
            "source": {"doc": "d", "clause": "1"}, "status": "derived", **kw}


def level(id: str, lo: float, hi: float | None = None, **kw: Any) -> dict[str, Any]:
    out = {"id": id, "title": {"zh": f"{id}级", "en": f"Level {id}"}, "min": lo, **kw}
    if hi is not None:
        out["max"] = hi
    return out


SPEC: dict[str, Any] = {
    "id": "lv", "version": "1", "title": T, "description": T,
    "source": {"id": "d", "title": T, "issuer": T},
    "dimensions": [
        {"id": "a", "title": {"zh": "管理", "en": "Management"}, "indicators": [
            ind("s", "Mission", "scale", scale=SCALE),
            ind("y", "Insurance"),
        ]},
        {"id": "b", "title": {"zh": "运营", "en": "Operations"}, "indicators": [
            ind("x", "ERP"),
            ind("z", "MES"),
        ]},
    ],
    "sets": {"core": ["a.s", "b.x", "b.z"]},
    "levels": [
        level("l1", 20, 40),
        level("l2", 40, 60),
        level("l3", 60, 80, gate={"all": [
            {"dimension": {"id": "a", "measure": "score", "ge": 50}},
            {"count": {"set": "core", "measure": "score", "ge": 100, "at_least": 2}},
        ]}),
        level("l4", 80, None, gate={"any": [
            {"indicator": {"id": "a.s", "measure": "level", "ge": 4}},
            {"fact": {"key": "cert.x", "eq": True}},
        ]}),
    ],
    "level_caps": [{
        "id": "insurance", "title": {"zh": "依法缴纳社保", "en": "Social insurance paid"},
        "when": {"indicator": {"id": "a.y", "measure": "answer", "eq": True}},
        "max_level": "l1",
    }],
}


@pytest.fixture(scope="module")
def fw() -> Framework:
    return Framework.from_spec(spec_from_data(SPEC))


def assess(fw: Framework, s: int, y: bool, x: bool, z: bool,
           facts: dict[str, Any] | None = None) -> Result:
    return fw.assess(smesdk.answers_from_data({
        "enterprise": {"name": "e", "size": "small"}, "date": "2026-01-01",
        "answers": {"a.s": s, "a.y": y, "b.x": x, "b.z": z}, "facts": facts or {}}))


def blockers(r: Result) -> list[tuple[str, str | None, str]]:
    assert r.next_level is not None
    return [(b.kind, b.ref, b.message.en) for b in r.next_level.blockers]


def test_top_level_reached_with_any_gate_first_alternative(fw: Framework) -> None:
    r = assess(fw, 4, True, True, True)
    # a = (1 + 1)/2 = 1, b = 1 -> total 100; l4 gate: Mission level 4 >= 4
    assert r.total == D(100)
    assert r.level is not None
    assert (r.level.id, r.level.rank, r.level.title.en) == ("l4", 4, "Level l4")
    assert r.next_level is None
    assert r.caps == []


def test_any_gate_second_alternative_and_blockers(fw: Framework) -> None:
    # a = (3/4 + 1)/2 = 0.875, b = 1 -> total (0.875 + 1)/2 * 100 = 93.75
    r = assess(fw, 3, True, True, True)
    assert r.total == D("93.75")
    assert r.level is not None and r.level.id == "l3"
    assert r.next_level is not None and r.next_level.level.id == "l4"
    # the total is above 80, so only the `any` gate blocks, as one line of alternatives
    assert blockers(r) == [("gate", "l4", "any one of: 'Mission' level ≥ 4 (now 3) | "
                                          "fact cert.x = true (now -)")]
    r = assess(fw, 3, True, True, True, facts={"cert.x": True})
    assert r.level is not None and r.level.id == "l4"


def test_all_gate_failing_count_lists_each_failure(fw: Framework) -> None:
    # a = (0.75 + 1)/2 = 0.875, b = (1 + 0)/2 = 0.5 -> total (0.875+0.5)/2*100 = 68.75
    # l3: a score 87.5 >= 50 holds; core at score 100: only ERP -> 1 < 2 fails -> l2
    r = assess(fw, 3, True, True, False)
    assert r.total == D("68.75")
    assert r.level is not None and r.level.id == "l2"
    assert r.next_level is not None and r.next_level.level.id == "l3"
    assert blockers(r) == [("gate", "l3", "at least 2 of core with score ≥ 100 "
                                          "(now 1; not yet: Mission, MES)")]


def test_points_blocker_and_several_gate_failures(fw: Framework) -> None:
    # a = (0 + 1)/2 = 0.5, b = (0 + 0)/2 = 0 -> total 25 -> l1 (no gate)
    r = assess(fw, 0, True, False, False)
    assert r.total == D(25)
    assert r.level is not None and r.level.id == "l1"
    assert r.next_level is not None and r.next_level.level.id == "l2"
    # 40 - 25 = 15 points missing; l2 has no gate
    assert blockers(r) == [("points", None, "15 more points needed (total 40)")]
    assert r.next_level.blockers[0].missing == D(15)
    assert r.next_level.blockers[0].message.zh == "总分还差 15 分（需 40）"


def test_below_the_first_level() -> None:
    data = copy.deepcopy(SPEC)
    data["level_caps"] = []
    fw = Framework.from_spec(spec_from_data(data))
    # a = (1/4 + 0)/2 = 1/8, b = 0 -> total 1/16 * 100 = 6.25 < 20
    r = assess(fw, 1, False, False, False)
    assert r.total == D("6.25")
    assert r.level is None
    assert r.next_level is not None and r.next_level.level.id == "l1"
    # 20 - 6.25 = 13.75
    assert blockers(r) == [("points", None, "13.75 more points needed (total 20)")]


def test_band_min_is_inclusive() -> None:
    data = with_levels([level("low", 0, 37.5), level("high", 37.5)], level_caps=[])
    fw = Framework.from_spec(spec_from_data(data))
    # s = 2, y yes: a = (2/4 + 1)/2 = 0.75; b = 0 -> total 0.75/2 * 100 = 37.5 exactly
    r = assess(fw, 2, True, False, False)
    assert r.total == D("37.5")
    assert r.level is not None and r.level.id == "high"
    # s = 1: a = (1/4 + 1)/2 = 0.625 -> total 31.25 < 37.5
    r = assess(fw, 1, True, False, False)
    assert r.level is not None and r.level.id == "low"
    assert r.next_level is not None
    # 37.5 - 31.25 = 6.25
    assert r.next_level.blockers[0].missing == D("6.25")


def test_red_line_caps_level_and_blocks_next(fw: Framework) -> None:
    # a = (1 + 0)/2 = 0.5, b = 1 -> total 75; l3 gate: a 50 >= 50 (boundary), core all 100
    # -> l3 by bands and gates, but insurance not paid caps the level at l1
    r = assess(fw, 4, False, True, True)
    assert r.total == D(75)
    assert r.level is not None and r.level.id == "l1"
    assert [(c.kind, c.ref, c.message.en) for c in r.caps] == [
        ("cap", "insurance", "red line not met: Social insurance paid (capped at Level l1)")]
    assert r.caps[0].message.zh == "红线未达：依法缴纳社保（最高l1级）"
    # next level l2: 75 >= 40, no gate; only the red line stands in the way
    assert r.next_level is not None and r.next_level.level.id == "l2"
    assert blockers(r) == [
        ("cap", "insurance", "red line not met: Social insurance paid (capped at Level l1)")]


def test_red_line_without_a_level_at_all() -> None:
    data = copy.deepcopy(SPEC)
    data["level_caps"][0]["max_level"] = None
    fw = Framework.from_spec(spec_from_data(data))
    r = assess(fw, 4, False, True, True)
    assert r.level is None
    assert r.caps[0].message.en == "red line not met: Social insurance paid (no level)"
    assert r.next_level is not None and r.next_level.level.id == "l1"
    assert [b.kind for b in r.next_level.blockers] == ["cap"]


def test_red_line_higher_than_reached_level_is_listed_but_not_a_blocker() -> None:
    data = copy.deepcopy(SPEC)
    data["level_caps"][0]["max_level"] = "l3"
    fw = Framework.from_spec(spec_from_data(data))
    # a = (0 + 0)/2 = 0, b = (1 + 1)/2 = 1 -> total 50 -> l2; cap at l3 is not in the way of l3
    r = assess(fw, 0, False, True, True)
    assert r.total == D(50)
    assert r.level is not None and r.level.id == "l2"
    assert [c.ref for c in r.caps] == ["insurance"]
    # next l3: 60 - 50 = 10 points missing; gate: a score 0 < 50 fails; count: ERP, MES
    # pass (2 >= 2) holds, so it is not listed; the red line at l3 is not in the way
    assert blockers(r) == [("points", None, "10 more points needed (total 60)"),
                           ("gate", "l3", "Management score ≥ 50 (now 0)")]


def test_gate_label_replaces_generated_text() -> None:
    data = copy.deepcopy(SPEC)
    data["levels"][2]["gate"]["all"][1]["label"] = {"zh": "核心两项", "en": "two core items"}
    fw = Framework.from_spec(spec_from_data(data))
    r = assess(fw, 3, True, True, False)
    assert blockers(r) == [("gate", "l3", "two core items")]


# --- gates on a hand-made score view -------------------------------------------------------


@pytest.fixture
def view() -> ScoreView:
    name = Text(zh="甲", en="A")
    return ScoreView(
        total=F(125, 2),  # 62.5
        dim_score={"a": F(50), "b": None},
        dim_points={"a": F(7, 2), "b": F(0)},
        ind_score={"a.p": F(100), "a.q": F(0), "a.r": None},
        ind_points={"a.p": F(2), "a.q": F(0), "a.r": F(0)},
        ind_level={"a.p": F(3), "a.q": F(1), "a.r": None},
        ind_answer={"a.p": "fully", "a.q": False, "a.r": None},
        facts={"cert.x": True, "staff": 120, "name": "x"},
        sets={"s": ["a.p", "a.q", "a.r"]},
        names={"a": name},
    )


def gate(data: dict[str, Any]) -> Gate:
    return converter.structure(data, Gate)


@pytest.mark.parametrize(("data", "expected"), [
    ({"total": {"ge": 62.5}}, True),
    ({"total": {"gt": 62.5}}, False),
    ({"total": {"le": 62.5}}, True),
    ({"total": {"lt": 62.5}}, False),
    ({"total": {"ge": 60, "lt": 63}}, True),
    ({"dimension": {"id": "a", "ge": 50}}, True),
    ({"dimension": {"id": "a", "gt": 50}}, False),
    ({"dimension": {"id": "a", "measure": "points", "ge": 3.5}}, True),
    ({"dimension": {"id": "a", "measure": "points", "gt": 3.5}}, False),
    ({"dimension": {"id": "b", "le": 100}}, False),             # left out: fails
    ({"indicator": {"id": "a.p", "measure": "points", "ge": 2}}, True),
    ({"indicator": {"id": "a.p", "measure": "level", "ge": 4}}, False),
    ({"indicator": {"id": "a.p", "measure": "answer", "eq": "fully"}}, True),
    ({"indicator": {"id": "a.q", "measure": "answer", "eq": True}}, False),
    ({"indicator": {"id": "a.r", "ge": 0}}, False),             # no score: fails
    ({"fact": {"key": "cert.x", "eq": True}}, True),
    ({"fact": {"key": "staff", "ge": 100, "lt": 300}}, True),
    ({"fact": {"key": "staff", "gt": 120}}, False),
    ({"fact": {"key": "name", "ge": 1}}, False),                # not a number
    ({"fact": {"key": "missing", "eq": True}}, False),
    ({"count": {"set": "s", "measure": "level", "ge": 1, "at_least": 2}}, True),
    ({"count": {"set": "s", "measure": "level", "ge": 2, "at_least": 2}}, False),
    ({"count": {"ids": ["a.p", "a.q"], "measure": "score", "ge": 0, "at_least": 2}}, True),
    ({"not": {"total": {"ge": 60}}}, False),
    ({"not": {"fact": {"key": "missing", "eq": True}}}, True),
    ({"all": [{"total": {"ge": 60}}, {"fact": {"key": "cert.x", "eq": True}}]}, True),
    ({"all": [{"total": {"ge": 60}}, {"total": {"ge": 70}}]}, False),
    ({"any": [{"total": {"ge": 70}}, {"fact": {"key": "cert.x", "eq": True}}]}, True),
    ({"any": [{"total": {"ge": 70}}, {"fact": {"key": "cert.x", "eq": False}}]}, False),
])
def test_gates_hold(view: ScoreView, data: dict[str, Any], expected: bool) -> None:
    assert holds(gate(data), view) is expected


def test_failures_of_all_are_listed_each(view: ScoreView) -> None:
    g = gate({"all": [{"total": {"ge": 70}}, {"fact": {"key": "cert.x", "eq": True}},
                      {"not": {"dimension": {"id": "a", "ge": 50}}}]})
    assert [t.en for t in failures(g, view)] == [
        "total ≥ 70 (now 62.5)",
        "not (A score ≥ 50 (now 50))",
    ]
    assert failures(gate({"total": {"ge": 60}}), view) == []


# --- spec checks ---------------------------------------------------------------------------


def spec_problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(SpecError) as info:
        Framework.from_spec(spec_from_data(data))
    return [(p.path, p.message) for p in info.value.problems]


def with_levels(levels: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    data = copy.deepcopy(SPEC)
    data["levels"] = levels
    data.update(extra)
    return data


def test_overlapping_bands() -> None:
    data = with_levels([level("l1", 20, 45), level("l2", 40, 60)], level_caps=[])
    assert spec_problems(data) == [
        ("levels[1]", "band of 'l2' [40, 60) overlaps band of 'l1' [20, 45)")]


def test_gapped_bands() -> None:
    data = with_levels([level("l1", 20, 35), level("l2", 40, 60)], level_caps=[])
    assert spec_problems(data) == [
        ("levels[1]", "gap between band of 'l1' [20, 35) and band of 'l2' [40, 60)")]


@pytest.mark.parametrize(("levels", "expected"), [
    ([level("l1", 20, 40), level("l1", 40)], [("levels[0].id", "duplicate level id 'l1'"),
                                             ("levels[1].id", "duplicate level id 'l1'")]),
    ([level("l1", 20, 20), level("l2", 20)], [
        ("levels[0]", "band [20, 20) is empty"),
        ("levels[1].min", "levels are listed lowest first with rising min")]),
    ([level("l1", 20, 40), level("l2", 40, 101), level("l3", 101)], [
        ("levels[2].min", "must lie within 0–100")]),
    ([level("l1", 40, 60), level("l2", 20, 40)], [
        ("levels[1].min", "levels are listed lowest first with rising min")]),
    ([level("l1", 20), level("l2", 40)], [
        ("levels[0].max", "band of 'l1' is open but 'l2' follows")]),
], ids=["duplicate", "empty", "range", "order", "open"])
def test_other_band_problems(levels: list[dict[str, Any]],
                             expected: list[tuple[str, str]]) -> None:
    assert spec_problems(with_levels(levels, level_caps=[])) == expected


def test_unknown_references_in_gates() -> None:
    data = copy.deepcopy(SPEC)
    data["levels"][2]["gate"] = {"all": [
        {"dimension": {"id": "nope", "ge": 50}},
        {"indicator": {"id": "a.nope", "ge": 50}},
        {"count": {"set": "nosuch", "ge": 1, "at_least": 1}},
        {"count": {"ids": ["b.gone"], "ge": 1, "at_least": 1}},
    ]}
    data["level_caps"][0]["when"] = {"indicator": {"id": "a.yy", "measure": "answer",
                                                   "eq": True}}
    data["level_caps"][0]["max_level"] = "l9"
    data["sets"]["core"].append("b.q")
    assert sorted(spec_problems(data)) == sorted([
        ("sets.core[3]", "unknown indicator 'b.q'"),
        ("level_caps[0].max_level", "unknown level 'l9'"),
        ("levels[2].gate", "unknown dimension 'nope'"),
        ("levels[2].gate", "unknown indicator 'a.nope'"),
        ("levels[2].gate", "unknown set 'nosuch'"),
        ("levels[2].gate", "unknown indicator 'b.gone'"),
        ("level_caps[0].when", "unknown indicator 'a.yy'"),
    ])


def test_gate_shape_problems() -> None:
    data = copy.deepcopy(SPEC)
    data["levels"][2]["gate"] = {"total": {"ge": 1}, "fact": {"key": "k", "eq": 1}}
    data["levels"][3]["gate"] = {"any": [{}, {"total": {}},
                                         {"count": {"ge": 1, "at_least": 0}}]}
    assert spec_problems(data) == [
        ("levels[2].gate", "a gate sets exactly one of all/any/not/total/dimension/indicator/"
                           "fact/count, got total, fact"),
        ("levels[3].gate.any[0]", "a gate sets exactly one of all/any/not/total/dimension/"
                                  "indicator/fact/count, got nothing"),
        ("levels[3].gate.any[1].total", "a comparison needs ge, gt, le, lt or eq"),
        ("levels[3].gate.any[2].count.at_least", "must be at least 1"),
        ("levels[3].gate.any[2].count", "give either set or ids"),
    ]
