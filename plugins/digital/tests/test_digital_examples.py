"""The example enterprises reproduce the figures computed by hand in each file's comments."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

import smesdk

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.yaml"))
PROFILE_2022 = {None: "edition_2022", "manufacturing": "edition_2022",
                "producer_services": "producer_services_2022", "other": "other_2022"}


def _assess(path: Path, profile: str | None = None) -> tuple[smesdk.AnswerSet, smesdk.Result]:
    answers = smesdk.load_answers(path)
    fw = smesdk.load_framework("digital", profile=profile or answers.profile)
    return answers, fw.assess(answers)


def test_there_are_at_least_four_examples_covering_every_outcome() -> None:
    levels = {smesdk.load_answers(p).expected["level"] for p in EXAMPLES}
    assert len(EXAMPLES) >= 4
    assert {None, "l1", "l2"} <= levels and levels & {"l3", "l4"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_base_score_and_dimensions(path: Path) -> None:
    answers, result = _assess(path)
    exp = answers.expected
    assert result.total == D(exp["total"])
    for dim, points in exp["dimension_points"].items():
        assert result.dimension(dim).points == D(points), dim
    assert sum(D(v) for v in exp["dimension_points"].values()) == D(exp["total"])


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_scene_counts(path: Path) -> None:
    answers, result = _assess(path)
    counts = result.extensions["scene_profile"]["counts"]
    assert counts["scenes"] == answers.expected["scenes"]
    assert counts["constrained"] == answers.expected["constrained"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_level_and_exported_fact(path: Path) -> None:
    answers, result = _assess(path)
    exp = answers.expected
    assert (result.level.id if result.level else None) == exp["level"]
    assert result.facts["digital.level"] == exp["level_rank"]
    if result.level is not None:
        assert result.level.status == "unverified"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_next_level_blockers(path: Path) -> None:
    answers, result = _assess(path)
    exp = answers.expected
    if exp["next_level"] is None:
        assert result.next_level is None
        assert "next_level_scenes" not in result.extensions
        return
    assert result.next_level is not None
    assert result.next_level.level.id == exp["next_level"]
    points = [b for b in result.next_level.blockers if b.kind == "points"]
    gates = [b for b in result.next_level.blockers if b.kind == "gate"]
    if exp["missing_points"] is None:
        assert points == []
    else:
        assert [b.missing for b in points] == [D(exp["missing_points"])]
    assert len(gates) == exp["failing_scene_gates"]
    unmet = [r for r in result.extensions["next_level_scenes"]["requirements"] if not r["met"]]
    assert len(unmet) == exp["failing_scene_gates"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_level_under_the_2022_bands(path: Path) -> None:
    answers = smesdk.load_answers(path)
    _, result = _assess(path, PROFILE_2022[answers.profile])
    assert (result.level.id if result.level else None) == answers.expected["level_2022"]
    if result.level is not None:
        # the 2022 bands applied to the 2024 base score (no 数字化经营) are our construction
        assert result.level.status == "derived"
