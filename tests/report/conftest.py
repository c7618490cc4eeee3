"""Shared inputs of the report tests: the example framework and its hand-checked answer set.

examples/answers/example-small-firm.yaml documents its expected result by hand: strategy
62.5 % (3.75 of 6 points), hr 75 % (2.25/3), operations 90 % (9/10), total 72.5, level
"standard", the next level "advanced" blocked by its gate (strategy >= 75).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

import smesdk
from smesdk.framework import Framework
from smesdk.result import Result

ROOT = Path(__file__).parents[2]
ANSWERS = ROOT / "examples" / "answers" / "example-small-firm.yaml"


@pytest.fixture(scope="session")
def example_fw() -> Framework:
    return smesdk.load_framework("example")


@pytest.fixture
def example_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))
    return copy.deepcopy(data)


@pytest.fixture(scope="session")
def example_result(example_fw: Framework) -> Result:
    return example_fw.assess(smesdk.load_answers(ANSWERS))


def earlier_answers() -> smesdk.AnswerSet:
    """The same firm a year earlier: mission 1 of 4 and plan "no" (0 of 2)."""
    data: dict[str, Any] = yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))
    data["date"] = "2025-11-01"
    data["answers"].update({"strategy.mission": 1, "strategy.plan": "no"})
    data["answers"]["operations.qms_audit"] = "2025-03-01"
    data.pop("expected")
    return smesdk.answers_from_data(data, "yaml")


@pytest.fixture(scope="session")
def earlier_result(example_fw: Framework) -> Result:
    """earlier_answers(): strategy = (0.25 + 0) / 2 = 12.5 %; total = (2 * 0.125 + 0.75 +
    0.9) / 4 * 100 = 47.5.
    """
    return example_fw.assess(earlier_answers())


def digital_pair() -> tuple[Framework, Result, Result]:
    """The digital example 3's firm now, and a year earlier with example 2's answers (its hand
    computation: foundation 17.25 of 50, management 6.375 of 30, total 37.125)."""
    examples = ROOT / "plugins" / "digital" / "examples"
    fw = smesdk.load_framework("digital")
    now = smesdk.load_answers(examples / "03_level2_blocked_by_scenes.yaml")
    data = yaml.safe_load((examples / "02_level1.yaml").read_text(encoding="utf-8"))
    data["enterprise"] = {"name": now.enterprise.name, "size": "medium"}
    data["date"] = "2025-11-01"
    return fw, fw.assess(smesdk.answers_from_data(data, "yaml")), fw.assess(now)
