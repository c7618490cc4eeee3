"""Scores, levels, red lines, profiles and shared facts, against hand-computed expectations.

Scale level L scores L/4; yes/no scores 1 or 0; a multi-select in fraction mode scores
chosen / options; percentages and ratios score band points / 4. Items, areas and the total are
weighted means. Expected numbers are worked out in the comments, not taken from the code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import smesdk
from smesdk import Answer, Evidence

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
AREAS = ["strategy", "hr", "innovation", "production", "supply_chain", "marketing", "finance",
         "decision", "image"]


def example(name: str) -> smesdk.AnswerSet:
    return smesdk.load_answers(EXAMPLES / f"{name}.yaml")


def with_answers(answers: smesdk.AnswerSet, **changes: object) -> smesdk.AnswerSet:
    """A copy with answers replaced; keys use '__' for '.' (hr__h4__social_insurance)."""
    new = dict(answers.answers)
    for key, value in changes.items():
        new[key.replace("__", ".")] = value if isinstance(value, Answer) else Answer(value=value)
    return attrs.evolve(answers, answers=new)


def assess(answers: smesdk.AnswerSet, profile: str | None = None) -> smesdk.Result:
    return smesdk.load_framework("management", profile).assess(answers)


# -- the three examples ------------------------------------------------------------------------

ALL_EXAMPLES = ["micro_workshop", "zjtx_midsize", "struggling_redline", "quick_scan_first_visit"]


def test_examples_directory_holds_exactly_these() -> None:
    assert sorted(p.stem for p in EXAMPLES.glob("*.yaml")) == sorted(ALL_EXAMPLES)


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_example_scores_as_its_file_states(name: str) -> None:
    answers = example(name)
    exp = answers.expected
    result = assess(answers, answers.profile)
    assert answers.profile == exp["profile"]
    assert result.total == Decimal(exp["total"])
    assert result.level is not None and result.level.id == exp["level"]
    assert [c.ref for c in result.caps] == exp["caps"]
    for area in AREAS:
        assert result.dimension(area).score == Decimal(exp["dimensions"][area]), area
    assert not [w for w in result.warnings if w.code == "plugin_failed"]


def test_example_totals_match_hand_arithmetic() -> None:
    # Independent of the files' expected blocks (see the comments in each example):
    # micro: (0.25×5 + 0.3375×2 + 0.375 + 0.34375) / 9 = 2.64375 / 9 = 0.29375
    assert assess(example("micro_workshop")).total == Decimal("29.3750")
    # zjtx with profile zjtx: (7×0.75 + 0.8125 + 2×0.9) / 10 = 0.78625
    assert assess(example("zjtx_midsize"), "zjtx").total == Decimal("78.6250")
    # struggling: (5×0.5 + 0.4 + 0.475 + 0.46875 + 0.4375) / 9 = 4.28125 / 9 = 0.475694…
    assert assess(example("struggling_redline")).total == Decimal("47.5694")
    # quick scan: (0.5×5 + 0.625×2 + 0.8 + 1.0) / 9 = 5.55 / 9 = 0.61666…
    assert assess(example("quick_scan_first_visit"), "quick").total == Decimal("61.6667")


def test_quick_scan_example_blockers_name_the_weak_areas() -> None:
    # l3 reached; l4 needs 75 (13.3333 short) and every area ≥ 60: the areas at 50 fail
    # (strategy, innovation, supply chain, marketing, decision); hr/finance 62.5 pass
    result = assess(example("quick_scan_first_visit"), "quick")
    assert result.next_level is not None and result.next_level.level.id == "l4"
    points = [b for b in result.next_level.blockers if b.kind == "points"]
    assert [b.missing for b in points] == [Decimal("13.3333")]
    gates = [b.message.en for b in result.next_level.blockers if b.kind == "gate"]
    assert len(gates) == 5
    for name in ("Strategic", "Innovation", "Supply chain", "Marketing", "Decision-making"):
        assert any(g.startswith(name) for g in gates), name


def test_zjtx_example_without_profile() -> None:
    # innovation unweighted inside: (1 + 1 + 0.75 + 1)/4 = 0.9375;
    # total = (7×0.75 + 0.8125 + 0.9375) / 9 = 7/9 = 77.7778 → still l4
    result = assess(example("zjtx_midsize"))
    assert result.total == Decimal("77.7778")
    assert result.level is not None and result.level.id == "l4"


def test_micro_firm_budgeting_does_not_apply() -> None:
    result = assess(example("micro_workshop"))
    assert result.indicator("finance.f2.budgeting").status == "not_applicable"
    # f2 = mean(cost 1/4, digital finance 1/4) = 0.25, budgeting left out
    assert result.dimension("finance.f2").score == Decimal("25.0000")


def test_family_firm_question_na_is_left_out() -> None:
    result = assess(example("zjtx_midsize"), "zjtx")
    assert result.indicator("decision.d1.property_separation").status == "na"
    # d1 = governance 3/4 only
    assert result.dimension("decision.d1").score == Decimal("75.0000")


# -- next level and its blockers ---------------------------------------------------------------

def test_micro_next_level_needs_points() -> None:
    result = assess(example("micro_workshop"))
    assert result.next_level is not None and result.next_level.level.id == "l2"
    points = [b for b in result.next_level.blockers if b.kind == "points"]
    assert len(points) == 1 and points[0].missing == Decimal("10.6250")  # 40 − 29.375


def test_weak_area_gate_blocks_systematic_level() -> None:
    # zjtx example under the zjtx profile, with every image practice at zero
    # (lawful operation kept, or the red line would bite):
    #   r1 = 0; r2 = (1 + 0 + 0)/3 = 1/3; image = 1/6
    #   total = (6×0.75 + 0.8125 + 2×0.9 + 1/6) / 10 = 7.279166… → 72.7917 (band l3, 60–75)
    #   l3's gate (every area ≥ 40) fails on image 16.67 → level l2, blocked by the gate only
    answers = with_answers(
        example("zjtx_midsize"),
        image__r1__pr_strategy=0, image__r1__brand_strategy=0, image__r1__own_brand=False,
        image__r1__crisis_plan=0, image__r2__quality_reputation=0,
        image__r2__social_responsibility=["none"],
    )
    # own_brand is also a shared fact in the example: the answer replaces it (the two must
    # not disagree), so the fact goes.
    answers = attrs.evolve(answers, facts={k: v for k, v in answers.facts.items()
                                           if k != "brand.own_brand"})
    result = assess(answers, "zjtx")
    assert result.total == Decimal("72.7917")
    assert result.level is not None and result.level.id == "l2"
    assert result.next_level is not None and result.next_level.level.id == "l3"
    kinds = [b.kind for b in result.next_level.blockers]
    assert kinds == ["gate"]
    message = result.next_level.blockers[0].message
    assert "Public image management" in message.en and "40" in message.en
    assert "公共形象管理" in message.zh


# -- red lines ---------------------------------------------------------------------------------

RED_LINE_FAILS = {
    "social_insurance": {"hr__h4__social_insurance": False},
    "pollution_compliance": {"production__p4__pollutant_compliance": "violation"},
    "safety_duties": {"production__p5__safety_duties": False},
    "lawful_operation": {"image__r2__lawful_operation": False},
}


@pytest.mark.parametrize("cap", list(RED_LINE_FAILS))
def test_each_red_line_caps_an_l4_firm_at_l1_and_is_named(cap: str) -> None:
    answers = with_answers(example("zjtx_midsize"), **RED_LINE_FAILS[cap])
    result = assess(answers, "zjtx")
    assert result.level is not None and result.level.id == "l1"
    assert [c.ref for c in result.caps] == [cap]
    assert result.next_level is not None
    assert [b.ref for b in result.next_level.blockers if b.kind == "cap"] == [cap]
    # the red line's own advice comes first, citing its clause
    first = result.recommendations[0]
    assert first.origin == "management"
    assert first.text.zh.startswith("【底线】")
    assert first.source is not None
    assert first.source.primary.clause in {"三（四）", "五（四）", "五（五）", "十（二）"}


def test_social_insurance_red_line_total_by_hand() -> None:
    # h4 = (0 + 1)/2 = 0.5; hr = (3×0.75 + 0.5)/4 = 0.6875
    # total = (7 areas × 0.75 + hr 0.6875 + 2 × innovation 0.9) / 10
    #       = (5.25 + 0.6875 + 1.8) / 10 = 0.77375 → 77.3750
    # band l4 and its gate hold (hr 68.75 ≥ 60), but the red line caps the level at l1
    answers = with_answers(example("zjtx_midsize"), hr__h4__social_insurance=False)
    result = assess(answers, "zjtx")
    assert result.total == Decimal("77.3750")
    assert result.level is not None and result.level.id == "l1"


def test_no_discharge_passes_the_pollution_red_line() -> None:
    answers = with_answers(example("zjtx_midsize"),
                           production__p4__pollutant_compliance="no_discharge")
    result = assess(answers, "zjtx")
    assert result.caps == []
    assert result.total == Decimal("78.6250")  # no_discharge scores as compliant: 1


def test_struggling_example_names_the_red_line() -> None:
    result = assess(example("struggling_redline"))
    assert [c.ref for c in result.caps] == ["social_insurance"]
    assert "五险一金" in result.caps[0].message.zh
    assert "Social insurance" in result.caps[0].message.en
    # without the red line it would be l2: 47.5694 lies in [40, 60)
    fixed = with_answers(example("struggling_redline"), hr__h4__social_insurance=True)
    # h4 = (1 + 0.2)/2 = 0.6; hr = (1.5 + 0.6)/4 = 0.525
    # total = (2.5 + 0.525 + 0.475 + 0.46875 + 0.4375) / 9 = 4.40625 / 9 = 48.9583
    result = assess(fixed)
    assert result.total == Decimal("48.9583")
    assert result.level is not None and result.level.id == "l2" and result.caps == []


# -- profiles ----------------------------------------------------------------------------------

def test_quick_scan_is_one_question_per_item() -> None:
    fw = smesdk.load_framework("management", "quick")
    ids = [full_id for full_id, _ in fw.iter_indicators()]
    assert len(ids) == 30
    items = {i.rsplit(".", 1)[0] for i in ids}
    assert len(items) == 30
    for red_line in ("hr.h4.social_insurance", "production.p4.pollutant_compliance",
                     "production.p5.safety_duties", "image.r2.lawful_operation"):
        assert red_line in ids
    assert len(fw.spec.level_caps) == 4


def test_quick_scan_of_the_micro_workshop() -> None:
    # The micro workshop's answers to the 30 quick questions:
    #   strategy (1,1,1) 0.25; hr (1, 1, 1, insurance yes) = 1.75/4 = 0.4375
    #   innovation (1, 1, 1 of 4, 1) 0.25; production (1, 20%→1, no cert 0, no discharge 1,
    #   safety yes 1) = 2.5/5 = 0.5; supply (1,1) 0.25; marketing (1, 1, 1 of 4) 0.25
    #   finance (1, 1, 1 of 4, debt 75%→1) 0.25; decision (1, 20%→1, 1) 0.25
    #   image (own brand no 0, lawful yes 1) 0.5
    #   total = (0.25×6 + 0.4375 + 0.5 + 0.5) / 9 = 2.9375 / 9 = 0.326388… → 32.6389, l1
    fw = smesdk.load_framework("management", "quick")
    keep = {full_id for full_id, _ in fw.iter_indicators()}
    full = example("micro_workshop")
    answers = attrs.evolve(full, answers={k: v for k, v in full.answers.items() if k in keep})
    result = fw.assess(answers)
    assert result.total == Decimal("32.6389")
    assert result.level is not None and result.level.id == "l1"


@pytest.mark.parametrize(("profile", "total"), [
    # innovative: innovation weight 2, items equal: innovation = 3.75/4 = 0.9375
    #   (7×0.75 + 0.8125 + 2×0.9375) / 10 = 7.9375 / 10
    ("innovative", "79.3750"),
    # zjtx: + IP item weight 2: innovation = (1 + 1 + 2×0.75 + 1)/5 = 0.9
    #   (5.25 + 0.8125 + 1.8) / 10
    ("zjtx", "78.6250"),
    # little_giant: innovation weight 3: (5.25 + 0.8125 + 3×0.9) / 11 = 8.7625 / 11 = 0.796590…
    ("little_giant", "79.6591"),
    # other and full: nine areas equal, as without a profile: 7/9
    ("other", "77.7778"),
    ("full", "77.7778"),
])
def test_enterprise_type_profiles(profile: str, total: str) -> None:
    result = assess(example("zjtx_midsize"), profile)
    assert result.total == Decimal(total)


def test_little_giant_extends_zjtx_and_innovative() -> None:
    spec = smesdk.load_framework("management", "little_giant").spec
    innovation = next(d for d in spec.dimensions if d.id == "innovation")
    assert innovation.weight == 3
    assert next(d for d in innovation.dimensions if d.id == "i3").weight == 2


# -- shared facts ------------------------------------------------------------------------------

def test_facts_answer_their_indicators() -> None:
    result = assess(example("zjtx_midsize"), "zjtx")
    # given only under facts: in the example file
    assert result.indicator("production.p3.qms_certificate").points == 1
    assert result.indicator("decision.d2.business_links_digitalised").points == 3   # 70 %
    assert result.indicator("finance.f4.debt_to_asset_ratio").points == 3           # 55 %
    assert result.indicator("finance.f3.net_profit_margin").points == 3             # 8 %
    assert result.indicator("image.r1.own_brand").points == 1


def test_expired_certificate_scores_as_missing() -> None:
    # certificate expired before the assessment date → worst answer (0) with a warning:
    # p3 = (0.5 + 0.75 + 0.75 + 0)/4 = 0.5; production = (4×0.75 + 0.5)/5 = 0.7
    # total = (6×0.75 + 0.7 + 0.8125 + 1.8) / 10 = 7.8125 / 10 → 78.1250
    answers = example("zjtx_midsize")
    expired = Answer(value=True,
                     evidence=Evidence(reference="00119Q30001", expires=dt.date(2026, 1, 1)))
    answers = attrs.evolve(answers, facts={**answers.facts, "cert.iso9001.valid": expired})
    result = assess(answers, "zjtx")
    assert result.total == Decimal("78.1250")
    assert any(w.code == "expired" and w.indicator == "production.p3.qms_certificate"
               for w in result.warnings)


def test_exported_facts() -> None:
    result = assess(example("struggling_redline"))
    assert Decimal(str(result.facts["management.total"])) == Decimal("47.5694")
    assert result.facts["management.level_rank"] == 1


# -- recommendations ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_every_gap_gets_the_guides_instruction_ordered_by_impact(name: str) -> None:
    answers = example(name)
    fw = smesdk.load_framework("management", answers.profile)
    result = fw.assess(answers)
    assert result.gaps
    advice = {r.indicator: r for r in result.recommendations
              if r.indicator is not None and r.origin != "management"}
    for gap in result.gaps:
        rec = advice[gap.indicator]
        assert rec.source == fw.indicator(gap.indicator).source       # cited to its item
        assert rec.text == fw.indicator(gap.indicator).recommendation
        assert rec.impact == gap.impact
    impacts = [r.impact for r in result.recommendations]
    assert impacts == sorted(impacts, reverse=True)


def test_gap_impact_is_weighted_by_hand() -> None:
    # micro workshop, strategy.s1.mission at 1 of 4: its share of the total is
    # 100 × 1/9 (area) × 1/3 (item) × 1/3 (practice) = 1.2346; gap 0.75 → impact 0.9259
    result = assess(example("micro_workshop"))
    gap = next(g for g in result.gaps if g.indicator == "strategy.s1.mission")
    assert gap.impact == Decimal("0.9259")
