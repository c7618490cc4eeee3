"""Tests of the innovative-SME framework: the test kit's suite, the published bands at their
boundaries, the announcement condition's two routes, and a property over generated firms."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import smesdk
from smesdk.testing import FrameworkSuite, answer_sets

EXAMPLES = Path(__file__).parents[1] / "examples"
SCORED = ("innovation.ip", "innovation.rd_share", "growth.revenue_growth", "growth.debt_ratio",
          "specialisation.field", "specialisation.main_share")


class TestInnovative(FrameworkSuite):
    framework = "innovative"
    profiles = (None, "score_only")
    examples = str(EXAMPLES / "*.yaml")


def _firm(**answers: Any) -> smesdk.AnswerSet:
    """A middling firm (total 60, floors met), with some answers replaced."""
    base: dict[str, Any] = {
        "innovation.ip": "class1",                 # 10
        "innovation.rd_share": 3,                  # 15
        "growth.revenue_growth": 5,                # 10
        "growth.debt_ratio": 55,                   # 5
        "specialisation.field": "other",           # 5
        "specialisation.main_share": 60,           # 15   -> 10+15+10+5+5+15 = 60
    }
    base.update({k.replace("__", "."): v for k, v in answers.items()})
    return smesdk.answers_from_data({"enterprise": {"name": "test", "size": "small"},
                                     "date": "2026-03-31", "answers": base})


@pytest.fixture(scope="module")
def fw() -> smesdk.Framework:
    return smesdk.load_framework("innovative")


@pytest.mark.parametrize(("share", "points"), [
    (0, 0), ("0.99", 0), (1, 5), ("1.99", 5), (2, 10), ("2.5", 10), (3, 15), ("4.99", 15),
    (5, 20), (40, 20),
])
def test_rd_share_bands_from_the_standard(fw: smesdk.Framework, share: Any, points: int) -> None:
    # Bands of indicator 2: <1 % 0; 1–2 % 5; 2–3 % 10; 3–5 % 15; ≥5 % 20 (boundaries go up).
    result = fw.assess(_firm(innovation__rd_share=share))
    assert result.indicator("innovation.rd_share").points == points


@pytest.mark.parametrize(("ratio", "points"), [(54.9, 10), (55, 5), (75, 5), (75.1, 0), (100, 0)])
def test_debt_ratio_bands_lower_is_better(fw: smesdk.Framework, ratio: float, points: int) -> None:
    # Indicator 4: <55 % 10; 55–75 % 5; >75 % 0 (both ends of the middle band included).
    result = fw.assess(_firm(growth__debt_ratio=ratio))
    assert result.indicator("growth.debt_ratio").points == points


def test_a_firm_at_exactly_sixty_with_floors_met_qualifies(fw: smesdk.Framework) -> None:
    # _firm: innovation 10 + 15 = 25 ≥ 20, growth 10 + 5 = 15 ≥ 15, specialisation 5 + 15 = 20.
    result = fw.assess(_firm())
    assert result.total == 60
    assert result.level is not None and result.level.id == "qualified"


def test_one_point_short_of_a_floor_blocks_and_says_why(fw: smesdk.Framework) -> None:
    # Growth drops to 10 + 0 = 10 < 15 (debt 80 %), although the total would be 55 anyway;
    # raise specialisation to keep the total at 60: field strategic_emerging (+5).
    result = fw.assess(_firm(growth__debt_ratio=80, specialisation__field="strategic_emerging"))
    assert result.total == 60 and result.level is None
    assert result.next_level is not None
    messages = [b.message.en for b in result.next_level.blockers]
    assert any("growth ≥ 15" in m for m in messages), messages


def test_the_fast_track_alone_qualifies_a_low_score(fw: smesdk.Framework) -> None:
    answers = smesdk.answers_from_data({
        "enterprise": {"name": "t", "size": "micro"}, "date": "2026-03-31",
        "answers": {"innovation.ip": "none", "innovation.rd_share": 0,
                    "growth.revenue_growth": -10, "growth.debt_ratio": 90,
                    "specialisation.field": "other", "specialisation.main_share": 10,
                    "fast_track.equity": True}})
    result = fw.assess(answers)
    assert result.total == 5                      # only the "other field" 5 points
    assert result.level is not None and result.level.id == "qualified"


def test_score_only_profile_ignores_the_fast_track() -> None:
    fw = smesdk.load_framework("innovative", "score_only")
    assert "fast_track.title" not in fw.indicator_ids
    result = fw.assess(_firm(innovation__ip="none"))   # total 50: below the profile's 60
    assert result.total == 50 and result.level is None


def test_exports_the_level_for_other_frameworks(fw: smesdk.Framework) -> None:
    result = fw.assess(_firm())
    assert result.facts["innovative.qualified"] == 1
    assert Decimal(str(result.facts["innovative.total"])) == 60


@pytest.mark.parametrize("name", ["innovative"])
def test_total_is_the_sum_of_the_six_indicators(name: str) -> None:
    fw = smesdk.load_framework(name)

    @settings(deadline=None)
    @given(answers=answer_sets(fw, allow_na=False))
    def check(answers: smesdk.AnswerSet) -> None:
        # sum_points all the way down: the total is the plain sum of the six indicators' points.
        result = fw.assess(answers)
        assert result.total == sum(result.indicator(i).points for i in SCORED)

    check()
