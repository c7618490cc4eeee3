"""专精特新 indicators 5 and 6 read the digital and quality-brand frameworks' results: tested
from assessed results and from declared facts, and against quality-brand's own check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import smesdk
from smesdk.testing import answer_sets

PLUGINS = Path(__file__).parents[2]
BASE = PLUGINS / "tiered" / "examples" / "zjtx-01-score-route.yaml"
# Indicator 5, as published: 三级以上 5 points, 二级 3, 一级 0 (and 0 below 一级).
DIGITAL_POINTS = {0: 0, 1: 0, 2: 3, 3: 5, 4: 5}


def _zjtx(**facts: Any) -> smesdk.Result:
    base = {k: a.value for k, a in smesdk.load_answers(BASE).facts.items()}
    for key in ("digital.level", "zjtx.quality_management_points"):
        base.pop(key)
    base.update(facts)
    return smesdk.load_framework("zjtx").assess(smesdk.answers_from_data(
        {"enterprise": {"name": "t", "size": "small"}, "date": "2026-03-31", "facts": base}))


def _assessed(path: Path) -> tuple[smesdk.AnswerSet, smesdk.Result]:
    answers = smesdk.load_answers(path)
    assert answers.framework is not None
    return answers, smesdk.load_framework(answers.framework, answers.profile).assess(answers)


@pytest.mark.parametrize("path", sorted((PLUGINS / "digital" / "examples").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_indicator_5_from_an_assessed_digital_result(path: Path) -> None:
    answers, digital = _assessed(path)
    rank = answers.expected["level_rank"]          # the digital example's own, by hand
    assert digital.facts["digital.level"] == rank
    result = _zjtx(**{"digital.level": digital.facts["digital.level"],
                      "zjtx.quality_management_points": 5})
    assert result.indicator("refinement.digital").points == DIGITAL_POINTS[rank]


@pytest.mark.parametrize(("level", "points"), sorted(DIGITAL_POINTS.items()))
def test_indicator_5_from_a_declared_fact(level: int, points: int) -> None:
    result = _zjtx(**{"digital.level": level, "zjtx.quality_management_points": 5})
    assert result.indicator("refinement.digital").points == points
    trace = result.indicator("refinement.digital")
    assert trace.answer == level


def test_a_digital_level_that_does_not_exist_is_refused() -> None:
    with pytest.raises(smesdk.AnswerError, match=r"facts\.digital\.level"):
        _zjtx(**{"digital.level": 5, "zjtx.quality_management_points": 5})


@pytest.mark.parametrize("path", sorted((PLUGINS / "quality-brand" / "examples").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_indicator_6_from_an_assessed_quality_brand_result(path: Path) -> None:
    answers, qb = _assessed(path)
    expected = answers.expected["zjtx_quality_management_points"]   # the example's, by hand
    assert qb.facts["zjtx.quality_management_points"] == expected
    result = _zjtx(**{"digital.level": 3,
                      "zjtx.quality_management_points": qb.facts["zjtx.quality_management_points"]})
    assert result.indicator("refinement.quality").points == expected


@pytest.mark.parametrize(("items", "points"), [(0, 0), (1, 3), (2, 5)])
def test_indicator_6_from_a_declared_fact(items: int, points: int) -> None:
    # 3 points per item met, capped at 5: the fact holds the points (0, 3 or 5).
    result = _zjtx(**{"digital.level": 3, "zjtx.quality_management_points": points})
    assert result.indicator("refinement.quality").points == points
    assert min(5, 3 * items) == points


def test_quality_points_that_cannot_occur_are_refused() -> None:
    with pytest.raises(smesdk.AnswerError, match=r"facts\.zjtx\.quality_management_points"):
        _zjtx(**{"digital.level": 3, "zjtx.quality_management_points": 4})


def test_quality_brand_check_agrees_with_zjtx_on_generated_answers() -> None:
    qb_fw = smesdk.load_framework("quality-brand")

    @settings(deadline=None, max_examples=25,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(answers=answer_sets(qb_fw, allow_na=False))
    def check(answers: smesdk.AnswerSet) -> None:
        qb = qb_fw.assess(answers)
        own = qb.extensions["zjtx_quality_management"]["points"]    # quality-brand's check
        result = _zjtx(**{"digital.level": 3, **qb.facts})
        assert result.indicator("refinement.quality").points == own

    check()
