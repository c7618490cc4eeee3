"""The published rules at their edges, the official 创新型 framework against the tutorial's,
and the chain of tiers (each tier's export feeding the next one's prerequisite)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import smesdk

EXAMPLES = Path(__file__).parent.parent / "examples"
TUTORIAL = Path(__file__).parents[3] / "docs" / "tutorial" / "smesdk-innovative" / "examples"

# The tutorial's indicator ids -> the official framework's facts. Fast tracks 3 and 4 are
# yes/no questions in the tutorial ("a provincial institution?", "≥ 5 million yuan?"); the
# official framework asks the level and the amount, so "yes" is the smallest qualifying answer.
TUTORIAL_TO_FACT = {
    "innovation.ip": "ip.main_product",
    "innovation.rd_share": "finance.rd_share",
    "growth.revenue_growth": "finance.main_business_growth",
    "growth.debt_ratio": "finance.debt_to_asset_ratio",
    "specialisation.field": "product.field_sei",
    "specialisation.main_share": "finance.main_business_share",
    "fast_track.award": "award.sti.national_or_provincial_3y",
    "fast_track.title": "cert.high_tech.valid",
}
YES_NO_TO_VALUE = {
    "fast_track.rd_institution": ("rd.institution_level", "provincial", "none"),
    "fast_track.equity": ("finance.equity_3y", 500, 0),
}


def _official_answers(tutorial: smesdk.AnswerSet) -> smesdk.AnswerSet:
    facts: dict[str, Any] = {k: {"value": a.value} for k, a in tutorial.facts.items()}
    for iid, answer in tutorial.answers.items():
        if iid in YES_NO_TO_VALUE:
            key, yes, no = YES_NO_TO_VALUE[iid]
            facts[key] = {"value": yes if answer.value else no}
        else:
            facts[TUTORIAL_TO_FACT[iid]] = {"value": answer.value}
    for key, answer in tutorial.facts.items():
        if answer.evidence is not None:
            facts[key]["evidence"] = {"reference": answer.evidence.reference,
                                      "expires": answer.evidence.expires}
    return smesdk.answers_from_data({
        "enterprise": {"name": tutorial.enterprise.name, "size": tutorial.enterprise.size},
        "date": tutorial.date, "facts": facts})


@pytest.mark.parametrize("path", sorted(TUTORIAL.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_official_framework_agrees_with_the_tutorial(path: Path) -> None:
    tutorial_answers = smesdk.load_answers(path)
    ours = smesdk.load_framework("innovative-sme").assess(_official_answers(tutorial_answers))
    theirs = smesdk.load_framework("innovative").assess(tutorial_answers)
    assert ours.total == theirs.total
    assert (ours.level is None) == (theirs.level is None)
    for dim in ("innovation", "growth", "specialisation"):
        assert ours.dimension(dim).points == theirs.dimension(dim).points


def test_every_tutorial_example_is_cross_checked() -> None:
    assert len(list(TUTORIAL.glob("*.yaml"))) >= 3


def _zjtx_facts(**changes: Any) -> dict[str, Any]:
    base = dict(smesdk.load_answers(EXAMPLES / "zjtx-01-score-route.yaml").facts)
    out = {k: a.value for k, a in base.items()}
    out.update({k.replace("__", "."): v for k, v in changes.items()})
    return out


def _assess(fid: str, facts: dict[str, Any], profile: str | None = None) -> smesdk.Result:
    return smesdk.load_framework(fid, profile).assess(smesdk.answers_from_data(
        {"enterprise": {"name": "t", "size": "small"}, "date": "2026-03-31", "facts": facts}))


@pytest.mark.parametrize(("amount", "share", "points"), [
    # Indicator 11: the better of ≥500万 10 / 400–500万 8 / 300–400万 6 / 200–300万 4 /
    # 100–200万 2 and ≥10 % 10 / 8–10 % 8 / 6–8 % 6 / 4–6 % 4 / 3–4 % 2; else 0.
    (99, 2.99, 0), (100, 2.99, 2), (99, 3, 2), (199, 3.99, 2), (200, 3, 4), (100, 4, 4),
    (300, 5.99, 6), (150, 6, 6), (400, 3, 8), (100, 8, 8), (500, 0, 10), (0, 10, 10),
    (499, 9.99, 8),
])
def test_rd_input_takes_the_better_route(amount: float, share: float, points: int) -> None:
    result = _assess("zjtx", _zjtx_facts(finance__rd_expense=amount, finance__rd_share=share))
    assert result.dimension("innovation.rd_input").points == points


@pytest.mark.parametrize(("ratio", "points"), [(49.9, 5), (50, 3), (59.9, 3), (60, 1), (70, 1),
                                               (70.1, 0)])
def test_zjtx_debt_ratio_bands(ratio: float, points: int) -> None:
    # Indicator 8: <50 % 5; 50–60 % 3; 60–70 % 1; >70 % 0 (60 goes to the higher band).
    result = _assess("zjtx", _zjtx_facts(finance__debt_to_asset_ratio=ratio))
    assert result.indicator("refinement.debt_ratio").points == points


@pytest.mark.parametrize(("years", "points"), [(0, 0), (1.9, 0), (2, 1), (3.9, 1), (4, 2),
                                               (9.9, 4), (10, 5), (30, 5)])
def test_one_point_per_two_full_years_capped_at_five(years: float, points: int) -> None:
    result = _assess("zjtx", _zjtx_facts(market__niche_years=years))
    assert result.indicator("specialisation.niche_years").points == points


@pytest.mark.parametrize(("revenue", "equity", "qualified"), [
    (1000, None, True), (999, 2000, True), (999, 1999, False), (999, None, False)])
def test_condition_3_revenue_or_equity(revenue: int, equity: int | None, qualified: bool
                                       ) -> None:
    facts = _zjtx_facts(finance__revenue=revenue)
    if equity is not None:
        facts["finance.equity_2y"] = equity
    assert (_assess("zjtx", facts).level is not None) is qualified


@pytest.mark.parametrize(("revenue", "share", "prev", "qualified"), [
    # ≥ 1亿: ≥ 3 % both years; 5000万–1亿: ≥ 6 % both years.
    (10000, 3, 3, True), (10000, 3, 2.9, False), (9999, 5.9, 6, False), (9999, 6, 6, True),
    (5000, 6, 6, True), (5000, 5.99, 7, False)])
def test_little_giant_rd_share_by_revenue(revenue: int, share: float, prev: float,
                                          qualified: bool) -> None:
    base = smesdk.load_answers(EXAMPLES / "little-giant-01-general-route.yaml").facts
    facts = {k: a.value for k, a in base.items()}
    facts.update({"finance.revenue": revenue, "finance.rd_share": share,
                  "finance.rd_share_prev": prev})
    assert (_assess("little-giant", facts).level is not None) is qualified


@pytest.mark.parametrize("name", ["all-three-tiers", "stops-at-zjtx"])
def test_the_chain_of_tiers(name: str) -> None:
    answers = smesdk.load_answers(EXAMPLES / "chain" / f"{name}.yaml")
    facts = {k: a.value for k, a in answers.facts.items()}
    reached = 0
    for fid in ("innovative-sme", "zjtx", "little-giant"):
        result = _assess(fid, facts)
        expected = answers.expected[fid]
        assert str(result.total) == f"{expected['total']:.4f}"
        assert (result.level.id if result.level else None) == expected["level"]
        facts.update(result.facts)          # the tier's export feeds the next tier
        if result.level is not None and reached == result.extensions["tier"]["tier"] - 1:
            reached += 1
    assert reached == answers.expected["tier"]
    assert "tiered.zjtx" in facts
