"""Bad answers give clear errors naming the indicator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import smesdk

EXAMPLE = Path(__file__).parents[1] / "examples" / "02_running_four_months.yaml"


def _problems(change: dict[str, Any], drop: str | None = None) -> list[smesdk.Problem]:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["answers"].update(change)
    if drop:
        del data["answers"][drop]
    answers = smesdk.answers_from_data(data, "yaml")
    with pytest.raises(smesdk.AnswerError) as info:
        smesdk.load_framework("iso9001").assess(answers)
    return info.value.problems


def test_unknown_option() -> None:
    problems = _problems({"survey.production.man": "sometimes"})
    assert [p.path for p in problems] == ["answers.survey.production.man"]
    assert "sometimes" in problems[0].message and "recorded" in problems[0].message


def test_percentage_out_of_range() -> None:
    problems = _problems({"survey.benefit.first_pass_yield": 130})
    assert [p.path for p in problems] == ["answers.survey.benefit.first_pass_yield"]
    assert "130" in problems[0].message and "100" in problems[0].message


def test_missing_required_answer() -> None:
    problems = _problems({}, drop="iso.c4.context")
    assert [p.path for p in problems] == ["answers.iso.c4.context"]
    assert "missing" in problems[0].message


def test_bad_step_status_and_date() -> None:
    problems = _problems({"engagement.operation.status": "finished",
                          "engagement.operation.started": "2026-13-01"})
    assert sorted(p.path for p in problems) == [
        "answers.engagement.operation.started", "answers.engagement.operation.status"]


def test_scale_level_out_of_range() -> None:
    problems = _problems({"iso.c7.documents": 6})
    assert [p.path for p in problems] == ["answers.iso.c7.documents"]


def test_na_not_allowed() -> None:
    problems = _problems({"iso.c9.internal_audit": {"na": True, "reason": "无"}})
    assert "N/A" in problems[0].message
