"""Plans to the next level for every shipped example that has one.

Each plan must reach its target when its changes are applied to the answers (scored here,
independently of the search), every step must cite its indicator's clause, and no smaller
plan may reach the target: checked by brute force over every single change on every rung
(plans of one change less) where the plan is exact, and by taking out each step in turn where
it is heuristic.
"""

from __future__ import annotations

import itertools
from decimal import Decimal as D
from pathlib import Path

import attrs
import pytest
import yaml

import smesdk
from smesdk.framework import Framework
from smesdk.testing.cli import invoke
from smesdk.uplift import UpliftPlan, plan_to_level

from .conftest import ANSWERS, EXAMPLE_SPEC, ROOT

EXAMPLES = sorted([*ROOT.glob("plugins/*/examples/*.yaml"), ANSWERS,
                   *ROOT.glob("docs/tutorial/smesdk-innovative/examples/*.yaml")])


def _load(path: Path) -> tuple[Framework, smesdk.AnswerSet, smesdk.Result]:
    answers = smesdk.load_answers(path)
    assert answers.framework is not None
    fw = smesdk.load_framework(answers.framework, answers.profile)
    return fw, answers, fw.assess(answers)


def _with(answers: smesdk.AnswerSet, changes: dict[str, object]) -> smesdk.AnswerSet:
    return attrs.evolve(answers, answers={**answers.answers,
                                          **{k: smesdk.Answer(v) for k, v in changes.items()}})


def _reaches(fw: Framework, answers: smesdk.AnswerSet, rank: int) -> bool:
    try:
        result = fw.assess(answers)
    except smesdk.AnswerError:  # an incomplete answer set reaches nothing
        return False
    return result.level is not None and result.level.rank >= rank


WITH_NEXT = [p for p in EXAMPLES if _load(p)[2].next_level is not None]


def test_the_examples_with_a_next_level_are_all_here() -> None:
    # guards the parametrisation below against an empty or shrinking glob
    assert len(WITH_NEXT) >= 14


@pytest.mark.parametrize("path", WITH_NEXT, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_plan_to_the_next_level(path: Path) -> None:
    fw, answers, result = _load(path)
    assert result.next_level is not None
    target = result.next_level.level
    plan = plan_to_level(fw, answers, target.id)
    if plan.method == "unreachable":
        # only when no answer change can do it: every answer on a ladder at its best still
        # falls short (e.g. 专精特新's revenue condition, a figure, not a practice), and the
        # plan says what blocks it
        best = {iid: fw.kinds[iid].ladder(fw.indicator(iid))[-1] for iid in fw.indicator_ids
                if fw.scored[iid] and fw.kinds[iid].ladder(fw.indicator(iid))}
        assert not _reaches(fw, _with(answers, best), target.rank)
        assert plan.blockers and not plan.steps and not plan.reached
        return
    assert plan.method in ("exact", "heuristic") and plan.reached
    changes = {s.indicator: s.value for s in plan.steps}
    # 1. it reaches the target
    assert _reaches(fw, _with(answers, changes), target.rank)
    # 2. every step cites its source: the indicator's own clause, in a document the
    #    framework names
    docs = {fw.spec.source.id, *(r.id for r in fw.spec.references)}
    for step in plan.steps:
        assert step.source == fw.indicator(step.indicator).source
        assert step.source.primary.doc in docs and step.source.primary.clause
        assert step.title == fw.names[step.indicator]
    # 3. no smaller plan reaches it
    if plan.method == "exact" and len(plan.steps) == 1:
        assert not _reaches(fw, answers, target.rank)  # zero changes do not
    elif plan.method == "exact" and len(plan.steps) == 2:
        for iid in fw.indicator_ids:  # no single change, on any rung, does
            for value in fw.kinds[iid].ladder(fw.indicator(iid)):
                assert not _reaches(fw, _with(answers, {iid: value}), target.rank), (iid, value)
    else:
        assert len(plan.steps) >= plan.lower_bound
        for step in plan.steps:  # every step is needed
            rest = {k: v for k, v in changes.items() if k != step.indicator}
            assert not _reaches(fw, _with(answers, rest), target.rank), step.indicator


def test_brute_force_on_the_example_framework(tmp_path: Path) -> None:
    """Every set of changes, on every rung, of the example framework: the plan's size is the
    smallest that reaches each level above a weak answer set."""
    fw = smesdk.load_framework("example")
    weak = _with(smesdk.load_answers(ANSWERS), {"strategy.mission": 1, "strategy.plan": "no",
                                                "hr.insurance": False})
    ladders = {iid: fw.kinds[iid].ladder(fw.indicator(iid)) for iid in fw.indicator_ids}
    ladders = {k: v for k, v in ladders.items() if v}
    for level in fw.spec.levels[1:]:
        rank = fw.spec.levels.index(level) + 1  # ranks count from 1, lowest level first
        plan = plan_to_level(fw, weak, level.id)
        smallest = next(size for size in range(len(ladders) + 1)
                        if any(_reaches(fw, _with(weak, dict(zip(ids, values, strict=True))), rank)
                               for ids in itertools.combinations(ladders, size)
                               for values in itertools.product(*(ladders[i] for i in ids))))
        assert (plan.method, len(plan.steps)) == ("exact", smallest), level.id


def _plan_example(effort: dict[str, int] | None, tmp_path: Path) -> UpliftPlan:
    spec = yaml.safe_load(EXAMPLE_SPEC.read_text(encoding="utf-8"))
    for dim in spec["dimensions"]:
        for ind in dim["indicators"]:
            if effort and f"{dim['id']}.{ind['id']}" in effort:
                ind["params"] = {"effort": effort[f"{dim['id']}.{ind['id']}"]}
    path = tmp_path / "example.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return plan_to_level(smesdk.load_framework(path), smesdk.load_answers(ANSWERS), "advanced")


def test_declared_effort_chooses_between_plans_of_one_size(tmp_path: Path) -> None:
    # The example firm reaches "advanced" once strategy >= 75 (its gate; the total is then
    # above 70 either way). One change does it: mission 3 -> 4 gives strategy (1 + 0.5)/2 = 75
    # and total (2*75 + 75 + 90)/4 = 78.75; plan partly -> fully gives (0.75 + 1)/2 = 87.5
    # and total (2*87.5 + 75 + 90)/4 = 85.
    plain = _plan_example(None, tmp_path)
    assert [(s.indicator, s.value, s.points) for s in plain.steps] == [
        ("strategy.mission", 4, D("6.25"))]
    assert plain.total_after == D("78.75")
    costly = _plan_example({"strategy.mission": 5, "strategy.plan": 2}, tmp_path)
    assert [(s.indicator, s.value, s.effort) for s in costly.steps] == [
        ("strategy.plan", "fully", D("2"))]
    assert costly.total_after == D("85")


def test_already_there_and_unknown_level() -> None:
    fw, answers, _ = _load(ANSWERS)
    assert plan_to_level(fw, answers, "standard").method == "already there"
    with pytest.raises(smesdk.SmesdkError, match="no level 'gold'"):
        plan_to_level(fw, answers, "gold")


def test_cli() -> None:
    code, out = invoke("plan", "example", str(ANSWERS), "--target", "advanced", "--lang", "en")
    assert code == 0, out
    out = " ".join(out.split())  # lines wrap within 80 columns
    assert "1 change(s) (exact: no plan with fewer changes reaches the target)" in out
    assert "Mission and vision: level 3 'implemented and measured': 3 points → level 4" in out
    assert "source: Management Uplift Guide for Industrial SMEs (trial) 二（一） (derived)" in out
    code, out = invoke("plan", "example", str(ANSWERS), "--json")
    assert code == 0 and '"method": "exact"' in out


def test_result_plan_to_asks_the_one_planner() -> None:
    fw, answers, result = _load(ANSWERS)
    # without a level: the next one up. The example firm's 72.5 is "standard" (its bands
    # put "advanced" at 70 with a strategy gate of 75, which the firm's 62.5 misses), so the
    # plan aims at "advanced", the same plan plan_to_level finds
    plan = result.plan_to()
    assert plan.target.id == "advanced"
    assert plan == plan_to_level(fw, answers, "advanced")
    assert result.plan_to("standard").method == "already there"
    # read back from JSON the result no longer knows its answers: it asks for them
    again = smesdk.Result.from_json(result.to_json())
    with pytest.raises(smesdk.SmesdkError, match="give plan_to the framework and the answers"):
        again.plan_to()
    assert again.plan_to("advanced", framework=fw, answers=answers) == plan


def test_result_plan_to_refuses_another_framework(v2: Framework) -> None:
    _, answers, result = _load(ANSWERS)
    with pytest.raises(smesdk.SmesdkError, match="is not the one that scored this result"):
        result.plan_to("advanced", framework=v2, answers=answers)


def test_zjtx_condition3_says_why_answers_alone_cannot_reach_it() -> None:
    """zjtx-05 scores 83 (≥ 60) but has revenue 999万 and 1999万 of new equity: certification
    condition 3 (2022-63 附件2: revenue ≥ 1000万 or new equity ≥ 2000万) fails. Those are
    figures about the firm, which the planner holds, so the plan says it cannot get there by
    answers and names them."""
    path = ROOT / "plugins/tiered/examples/zjtx-05-condition3-revenue-or-equity.yaml"
    fw, answers, result = _load(path)
    assert result.next_level is not None and result.next_level.level.id == "qualified"
    plan = result.plan_to()
    assert (plan.method, plan.reached, plan.steps) == ("unreachable", False, [])
    assert plan.held == ["conditions.revenue", "conditions.equity_2y"]
    # the held figures are exactly what is in the way: either one at its published threshold
    # and the firm qualifies with no other change
    for key, threshold in (("finance.revenue", 1000), ("finance.equity_2y", 2000)):
        lifted = attrs.evolve(answers, facts={**answers.facts, key: smesdk.Answer(threshold)})
        assert _reaches(fw, lifted, result.next_level.level.rank), key
    code, out = invoke("plan", "zjtx", str(path), "--lang", "en")
    assert code == 0, out
    out = " ".join(out.split())  # lines wrap within 80 columns
    assert ("answer changes alone cannot reach it: the target's conditions depend on Revenue, "
            "New equity in two years, figures about the firm") in out
    code, out = invoke("plan", "zjtx", str(path), "--lang", "zh")
    assert "仅靠改进答案无法达到：目标条件取决于营业收入、近2年新增股权融资" in "".join(out.split())


def test_a_reachable_plan_holds_nothing() -> None:
    assert _load(ANSWERS)[2].plan_to().held == []
