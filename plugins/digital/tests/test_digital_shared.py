"""The result hooks read the scene levels once per assessment, and what they build from that
one reading equals working each section and the advice out afresh from the result."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from smesdk_digital import analysis

import smesdk

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_scene_levels_are_read_once_per_assessment(path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = analysis.scene_levels

    def counted(framework: smesdk.Framework, result: smesdk.Result) -> dict[str, int | None]:
        calls.append(1)
        return real(framework, result)

    monkeypatch.setattr(analysis, "scene_levels", counted)
    answers = smesdk.load_answers(path)
    fw = smesdk.load_framework("digital", profile=answers.profile)
    result = fw.assess(answers)
    assert len(calls) == 1  # one reading of every scene, shared by every hook
    levels = real(fw, result)
    assert list(levels) == fw.spec.sets.get("scenes", [])
    assert levels == {iid: analysis.scene_level(result, iid) for iid in levels}
    monkeypatch.undo()
    fresh = analysis.enrich(fw, answers, result)
    assert {k: result.extensions[k] for k in fresh} == fresh
    own = [r for r in result.recommendations if r.origin == analysis.ORIGIN]
    again = analysis.recommendations(fw, result)
    assert sorted(r.text.en for r in own) == sorted(r.text.en for r in again)


def test_shares_are_exact_ratios_of_points() -> None:
    answers = smesdk.load_answers(EXAMPLES[2])
    fw = smesdk.load_framework("digital")
    result = fw.assess(answers)
    # talent: [staff, post, training] scores 4.5 of 7.5 (see test_digital_matrix) = 3/5
    assert analysis.fraction_of(fw, result, answers, "management.enablers.talent") == Fraction(3, 5)
    # budget 200k_1m 3/4, staff 2/3, provider 1, public service 0, talent 3/5: mean 181/300
    assert analysis.resources_score(fw, result, answers) == Fraction(181, 300)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_sections_do_not_depend_on_where_the_result_lists_an_indicator(path: Path) -> None:
    # The hooks read each indicator at its place in the framework's order and check its id;
    # a result listing them otherwise (reversed here) must give the same sections and advice.
    answers = smesdk.load_answers(path)
    fw = smesdk.load_framework("digital", profile=answers.profile)
    result = fw.assess(answers)
    shuffled = attrs.evolve(result, indicators=result.indicators[::-1],
                            dimensions=result.dimensions[::-1])
    assert shuffled.indicators[0].id != fw.indicator_ids[0]
    assert analysis.enrich(fw, answers, shuffled) == analysis.enrich(fw, answers, result)
    assert analysis.recommendations(fw, shuffled) == analysis.recommendations(fw, result)


def test_priorities_that_share_a_float_are_ordered_by_their_exact_values() -> None:
    # 1 + 10⁻¹⁷ and 1 are one float; the larger exact priority must still come first.
    big = 10**17
    rows = [{"id": "a"}, {"id": "b"}, {"id": "c"}]
    rankings = [(1.0, rows[0], ((big, big), (1, 1), 0)),
                ((big + 1) / big, rows[1], ((big + 1, big), (1, 1), -1)),
                (0.5, rows[2], ((1, 2), (1, 1), -2))]
    assert rankings[0][0] == rankings[1][0]
    assert [r["id"] for r in analysis._ranked(rankings)] == ["b", "a", "c"]
