"""The tier verdicts: the route each example qualifies by, the blockers in plain words, and a
property tying the verdict to the level the engine decided."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import smesdk
from smesdk.testing import answer_sets

EXAMPLES = Path(__file__).parent.parent / "examples"

# The route of every qualifying example and the blockers of the others, read by hand from
# each example's facts and the standard (the examples' comments give the arithmetic).
ROUTES = {
    "innovative-01-score-at-the-edges": "score route",
    "innovative-04-fast-track-award": "fast track 1",
    "innovative-05-fast-track-title": "fast track 2",
    "innovative-06-fast-track-rd-institution": "fast track 3",
    "innovative-07-fast-track-equity": "fast track 4",
    "zjtx-01-score-route": "score route",
    "zjtx-06-score-at-sixty": "score route",
    "zjtx-08-fast-track-award": "fast track 1",
    "zjtx-09-fast-track-rd-average": "fast track 2",
    "zjtx-10-fast-track-equity": "fast track 3",
    "zjtx-11-fast-track-chuangke": "fast track 4",
    "little-giant-01-general-route": "general route",
    "little-giant-03-small-revenue-route": "general route",
    "little-giant-04-fast-track-award": "fast track 1",
    "little-giant-05-fast-track-chuangke": "fast track 2",
}
#: 专精特新 in English, as docs/glossary.md writes it.
SRDI = "specialised, refined, distinctive and innovative (专精特新)"
BLOCKERS = {
    "innovative-02-innovation-floor-missed": ["any one of: score route"],
    "innovative-03-specialisation-floor-missed": ["any one of: score route"],
    "zjtx-02-condition1-niche-years": [
        "at least 2 years in a specific niche market (certification condition 1): now 1.5 years"],
    "zjtx-03-condition2-rd-share": ["R&D share of revenue ≥ 3 % (certification condition 2): now 2.6 %"],
    "zjtx-04-condition2-rd-amount": [
        "R&D spending of at least 1 million yuan last year (certification condition 2): now 99 10k yuan"],
    "zjtx-05-condition3-revenue-or-equity": [
        "revenue of at least 10 million yuan, or at least 20 million yuan of new qualified equity "
        "in two years (certification condition 3): now Revenue 999 10k yuan, New equity in two years "
        "1999 10k yuan"],
    "zjtx-07-score-59": ["any one of: score route: an evaluation score of at least 60"],
    "zjtx-12-innovative-first-profile": [
        "meets the announcement condition of an innovative (创新型) SME, or is already certified "
        f"{SRDI} (some provinces; unverified): now Innovative SME (tier 1) no, Already "
        f"certified {SRDI} not given"],
    "little-giant-02-mid-revenue-share": ["any one of: general route"],
    "little-giant-06-specialisation-and-share": [
        "two-year average main-business growth ≥ 5 % (little giant: specialisation): now 4.9 %",
        "national niche market share ≥ 10 % (little giant: distinctiveness): now 9.9 %"],
    "little-giant-07-not-zjtx-yet": [
        f"already a {SRDI} SME (unverified prerequisite): now {SRDI[0].upper()}{SRDI[1:]} SME "
        f"(tier 2) no, Already certified {SRDI} not given"],
    "little-giant-08-chain-not-met": [
        "at a key link of an industry chain, filling gaps or strengthening it (little giant: "
        "supply-chain fit; wording unverified): now no"],
}


def _tier(path: Path) -> dict[str, Any]:
    answers = smesdk.load_answers(path)
    assert answers.framework is not None
    result = smesdk.load_framework(answers.framework, answers.profile).assess(answers)
    section: dict[str, Any] = result.extensions["tier"]
    assert section["qualified"] == (result.level is not None)
    return section


def test_every_tier_example_is_listed_here() -> None:
    names = {p.stem for p in EXAMPLES.glob("*.yaml")}
    assert names == set(ROUTES) | set(BLOCKERS)
    for prefix in ("innovative-", "zjtx-", "little-giant-"):
        assert sum(n.startswith(prefix) for n in names) >= 6, prefix


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_the_route_is_named(name: str) -> None:
    section = _tier(EXAMPLES / f"{name}.yaml")
    assert section["qualified"] and section["blockers"] == []
    assert section["route"]["en"].startswith(ROUTES[name]), section["route"]


@pytest.mark.parametrize("name", sorted(BLOCKERS))
def test_blockers_in_plain_words(name: str) -> None:
    section = _tier(EXAMPLES / f"{name}.yaml")
    assert not section["qualified"] and section["route"] is None
    got = [b["en"] for b in section["blockers"]]
    assert len(got) == len(BLOCKERS[name]), got
    for text, start in zip(got, BLOCKERS[name], strict=True):
        assert text.startswith(start), (text, start)
    assert all(b["zh"] for b in section["blockers"])


def test_both_routes_are_listed_when_both_hold() -> None:
    # innovative-06 with a 95-point firm would hold both; here: example 07 (equity 500) with
    # a provincial institution added holds fast tracks 3 and 4, listed in the standard's order.
    answers = smesdk.load_answers(EXAMPLES / "innovative-07-fast-track-equity.yaml")
    facts = dict(answers.facts)
    facts["rd.institution_level"] = smesdk.Answer("provincial")
    result = smesdk.load_framework("innovative-sme").assess(
        smesdk.answers_from_data({"enterprise": {"name": "t", "size": "micro"},
                                  "date": "2026-03-31",
                                  "facts": {k: a.value for k, a in facts.items()}}))
    routes = [r["en"] for r in result.extensions["tier"]["routes"]]
    assert [r.split(":")[0] for r in routes] == ["fast track 3", "fast track 4"]


@pytest.mark.parametrize("fid", ["innovative-sme", "zjtx", "little-giant"])
def test_the_verdict_agrees_with_the_level(fid: str) -> None:
    fw = smesdk.load_framework(fid)

    @settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answers=answer_sets(fw, allow_na=False))
    def check(answers: smesdk.AnswerSet) -> None:
        result = fw.assess(answers)
        section = result.extensions["tier"]
        assert section["qualified"] == (result.level is not None)
        if section["qualified"]:
            assert section["route"] is not None and not section["blockers"]
        else:
            assert section["route"] is None and section["blockers"]

    check()
