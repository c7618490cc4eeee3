"""The example firms score as their hand-computed `expected:` blocks say."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import smesdk

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.yaml"))


def test_three_examples_at_three_stages() -> None:
    assert len(EXAMPLES) >= 3
    verdicts = {smesdk.load_answers(p).expected["verdict"] for p in EXAMPLES}
    assert {"not_ready", "certified"} <= verdicts


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_matches_expected(path: Path) -> None:
    answers = smesdk.load_answers(path)
    exp = answers.expected
    fw = smesdk.load_framework("iso9001", profile=answers.profile)
    result = fw.assess(answers)
    assert result.total == Decimal(exp["total"])
    assert (result.level.id if result.level else None) == exp["level"]
    assert (result.next_level.level.id if result.next_level else None) == exp["next_level"]
    for did, score in exp["dimensions"].items():
        assert result.dimension(did).score == Decimal(score), did
    ext = result.extensions["iso9001"]
    cert = ext["certification"]
    assert cert["verdict"] == exp["verdict"]
    assert cert["blockers"] == exp["blockers"]
    assert (cert["stage"]["id"] if cert["stage"] else None) == exp["stage"]
    assert cert["months_running"] == exp["months_running"]
    assert ext["diagnosis"]["found"] == exp["problems"]
    assert [r["role"] for r in ext["training_plan"] if r["needed"]] == exp["training_needed"]
    assert result.facts["iso9001.ready"] is (exp["verdict"] in ("ready", "certified"))


def test_example_1_training_reasons_by_hand() -> None:
    # Written from the answers of example 1 with the rule "tagged indicator scores < 0.5":
    # leadership scores 1/2 (not below), staff training 0, standard understanding 1/3, ...
    answers = smesdk.load_answers(EXAMPLES[0])
    result = smesdk.load_framework("iso9001").assess(answers)
    plan = {r["role"]: r for r in result.extensions["iso9001"]["training_plan"]}
    # iso.c7.awareness (level 2) and iso.c5.roles (level 2) score 1/4
    assert plan["all_staff"]["because"] == ["survey.awareness.staff_training", "iso.c7.awareness"]
    assert plan["leaders"]["because"] == [
        "survey.awareness.standard_understanding", "survey.system.responsibilities",
        "iso.c5.commitment", "iso.c5.policy_roles", "iso.c5.roles", "iso.c9.management_review"]
    assert plan["builders"]["because"] == [
        "survey.awareness.standard_understanding", "survey.technical.tools",
        "survey.system.rules", "iso.c7.documents", "iso.c9.internal_audit"]
    assert "survey.production.material" not in plan["frontline"]["because"]  # 2/3
    assert plan["builders"]["source"]["clause"] == "五（二）4（3）"
    assert "内部审核" in plan["builders"]["topics"]["zh"]
    assert all(not r["already_trained"] for r in plan.values())


def test_example_1_diagnosis_names_the_problems() -> None:
    result = smesdk.load_framework("iso9001").assess(smesdk.load_answers(EXAMPLES[0]))
    diag = result.extensions["iso9001"]["diagnosis"]
    by_id = {p["id"]: p for p in diag["problems"]}
    # management_low: rules 1/3, responsibilities 0, records 1/2, man 1/3, method 0 -> 7/30
    assert by_id["management_low"]["score"] == pytest.approx(7 / 30, abs=1e-4)
    # brand 1/2 is not below 0.5
    assert by_id["brand_low"]["found"] is False
    assert by_id["standard_hard"]["group_title"]["zh"] == "两难"
    assert by_id["tech_low"]["group_title"]["zh"] == "两低"
    assert diag["summary"]["zh"].startswith("质量管理标准理解难、质量管理工具运用难")


def test_example_1_recommendations_one_firm_one_plan() -> None:
    result = smesdk.load_framework("iso9001").assess(smesdk.load_answers(EXAMPLES[0]))
    own = [r for r in result.recommendations if r.origin == "iso9001"]
    problems = [r for r in own if r.text.zh.startswith("【两")]
    gates = [r for r in own if r.text.zh.startswith("【阶段关口】")]
    assert len(problems) == 5  # one per problem found
    assert len(gates) == 4     # one per blocker (the run period is advice, not a gate)
    impacts = [r.impact for r in problems]
    assert impacts == sorted(impacts, reverse=True)
    assert all(r.impact > 0 for r in problems)
    for rec in problems:
        assert "ISO 9001 第" in rec.text.zh and "实施步骤" in rec.text.zh
        assert rec.indicator is not None and rec.source is not None
    tools = next(r for r in problems if "工具运用难" in r.text.zh)
    assert tools.indicator == "survey.technical.tools"
    assert "10.3" in tools.text.zh and "步骤4、5、7" in tools.text.zh
