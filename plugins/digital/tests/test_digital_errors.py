"""Bad answers to the digital framework give clear errors naming the indicator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import smesdk

EX2 = Path(__file__).parent.parent / "examples" / "02_level1.yaml"


def _problems(**changes: Any) -> dict[str, str]:
    data = yaml.safe_load(EX2.read_text(encoding="utf-8"))
    for key, value in changes.items():
        key = key.replace("__", ".")
        if value is KeyError:
            del data["answers"][key]
        else:
            data["answers"][key] = value
    answers = smesdk.answers_from_data(data, "yaml")
    with pytest.raises(smesdk.AnswerError) as err:
        smesdk.load_framework("digital").assess(answers)
    return {p.path: p.message for p in err.value.problems}


def test_unknown_option() -> None:
    got = _problems(foundation__systems__coverage="everything")
    assert list(got) == ["answers.foundation.systems.coverage"]
    assert "everything" in got["answers.foundation.systems.coverage"]
    assert "most" in got["answers.foundation.systems.coverage"]  # lists the valid options


def test_unknown_multi_option_and_none_with_others() -> None:
    got = _problems(foundation__data__auto_collection=["finance", "crm"],
                    foundation__equipment__network=["none", "industrial_5g"])
    assert "crm" in got["answers.foundation.data.auto_collection"]
    assert "none" in got["answers.foundation.equipment.network"]


@pytest.mark.parametrize("value", [120, -1])
def test_percentage_out_of_range(value: int) -> None:
    got = _problems(management__enablers__funding=value)
    assert list(got) == ["answers.management.enablers.funding"]
    assert str(value) in got["answers.management.enablers.funding"]


def test_scene_level_out_of_range() -> None:
    got = _problems(operations__production__quality=5)
    assert "5" in got["answers.operations.production.quality"]


def test_missing_required_answer() -> None:
    got = _problems(outcomes__quality__pass_rate=KeyError, operations__management__hr=KeyError)
    assert set(got) == {"answers.outcomes.quality.pass_rate", "answers.operations.management.hr"}
    assert all("missing" in m for m in got.values())


def test_every_problem_is_reported_at_once() -> None:
    got = _problems(foundation__systems__coverage="everything",
                    management__enablers__funding=101,
                    outcomes__quality__pass_rate=KeyError)
    assert len(got) == 3


def test_resources_questions_are_optional() -> None:
    data = yaml.safe_load(EX2.read_text(encoding="utf-8"))
    for key in [k for k in data["answers"] if k.startswith("resources.")]:
        del data["answers"][key]
    result = smesdk.load_framework("digital").assess(smesdk.answers_from_data(data, "yaml"))
    # unscored: the base score is unchanged (37.125, see 02_level1.yaml)
    assert str(result.total) == "37.1250"
    # resources = mean of budget, staff, provider, public service (all unanswered: 0) and
    # talent ([staff] 1.5 of 7.5 = 0.2): 100 × 0.2 / 5 = 4
    assert result.extensions["priority_matrix"]["resources"] == 4
    assert not any(w.indicator and w.indicator.startswith("resources.") and w.code != "unanswered"
                   for w in result.warnings)
