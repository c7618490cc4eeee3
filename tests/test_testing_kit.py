"""The test kit catches what it promises to catch: shown on deliberately broken frameworks."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings

import smesdk
from smesdk.framework import Framework
from smesdk.loading import spec_from_data
from smesdk.testing import (
    FrameworkSuite,
    answer_sets,
    check_bounds,
    check_monotonic,
    conformance_problems,
    language_problems,
    missing_ids,
)

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples/plugins/smesdk-example/src/smesdk_example/example.yaml"


class TestExampleFramework(FrameworkSuite):
    """Our own framework runs the same suite a plugin author runs."""

    framework = "example"
    profiles = (None, "quick", "innovative")
    examples = str(ROOT / "examples/answers/*.yaml")


def _data() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def _fw(data: dict[str, Any]) -> Framework:
    return Framework.from_spec(spec_from_data(data, "yaml"))


def test_example_is_conformant() -> None:
    assert conformance_problems(_fw(_data())) == []


def test_missing_citation_fails_conformance() -> None:
    data = _data()
    data["dimensions"][0]["indicators"][0]["source"]["clause"] = " "
    # validation already refuses an empty clause ...
    with pytest.raises(smesdk.SpecError, match="a citation needs its clause"):
        _fw(data)
    # ... and a spec without any source does not even load
    del data["dimensions"][0]["indicators"][0]["source"]
    with pytest.raises(smesdk.SpecError, match=r"indicators\[0\]\.source: required field missing"):
        _fw(data)


def test_missing_english_is_refused_and_the_kit_names_it() -> None:
    # A blank English question in a [zh, en] framework: validation refuses to load it, and
    # the kit (for a framework built without validation) names the same text.
    data = _data()
    data["dimensions"][1]["indicators"][0]["question"]["en"] = " "
    with pytest.raises(smesdk.SpecError, match=r"indicators\[0\]\.question: no text in en"):
        _fw(data)
    problems = language_problems(spec_from_data(data))
    assert problems == ["dimensions[1].indicators[0].question: no text in en"], problems


def test_reversed_scale_points_are_refused_by_validation() -> None:
    # One rule set: the order rule the kit once applied on its own is now a validation rule,
    # so such a spec does not even load (and `smesdk validate` reports it).
    data = copy.deepcopy(_data())
    scale = data["dimensions"][0]["indicators"][0]["scale"]
    for step in scale:  # a better level now earns fewer points
        step["points"] = 4 - step["level"]
    with pytest.raises(smesdk.SpecError, match=r"indicators\[0\]\.scale: a better answer scores less"):
        _fw(data)


def test_monotonicity_check_catches_a_better_answer_scoring_less() -> None:
    fw = _fw(_data())

    @settings(max_examples=5, deadline=None)
    @given(answers=answer_sets(fw, allow_na=False))
    def monotonic(answers: smesdk.AnswerSet) -> None:
        # called with the answers swapped: level 0 as the "better" one must be caught
        check_monotonic(fw, answers, "strategy.mission", 4, 0)

    with pytest.raises(AssertionError, match="a better answer"):
        monotonic()


def test_bounds_check_catches_out_of_range() -> None:
    fw = _fw(_data())
    result = fw.assess(smesdk.load_answers(ROOT / "examples/answers/example-small-firm.yaml"))
    from decimal import Decimal

    import attrs

    broken = attrs.evolve(result, total=Decimal("100.5"))
    with pytest.raises(AssertionError, match="outside 0–100"):
        check_bounds(broken)


def test_missing_ids_reports_removed_indicators() -> None:
    data = _data()
    del data["dimensions"][0]["indicators"][1]
    assert missing_ids(_fw(data), ["strategy", "strategy.mission", "strategy.plan"]) == \
        ["strategy.plan"]
