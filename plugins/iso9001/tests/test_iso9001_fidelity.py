"""Source fidelity: every `official` label earned; every step, area, control point and clause asked.

The lists below are written from seed 004 and from the clause structure of ISO 9001:2015
(official-indicators.md §4.1), not read from the spec.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from click.testing import CliRunner

from smesdk import Indicator
from smesdk.cli import cli
from smesdk.testing import check_coverage, status_audit

REFERENCES = Path(__file__).parents[1] / "src" / "smesdk_iso9001" / "references.yaml"

ISO_CLAUSES = {
    "4.1": "组织及其环境", "4.2": "相关方的需求和期望", "4.3": "体系范围", "4.4": "体系及其过程",
    "5.1": "领导作用和承诺", "5.2": "方针", "5.3": "岗位、职责和权限",
    "6.1": "应对风险和机遇", "6.2": "质量目标", "6.3": "变更的策划",
    "7.1": "资源", "7.2": "能力", "7.3": "意识", "7.4": "沟通", "7.5": "成文信息",
    "8.1": "运行的策划和控制", "8.2": "产品和服务的要求", "8.3": "设计和开发",
    "8.4": "外部提供的过程、产品和服务", "8.5": "生产和服务提供", "8.6": "放行",
    "8.7": "不合格输出的控制",
    "9.1": "监视、测量、分析和评价", "9.2": "内部审核", "9.3": "管理评审",
    "10.1": "改进总则", "10.2": "不合格和纠正措施", "10.3": "持续改进",
}
STEPS = ["统筹策划", "宣传培训", "摸底调研", "分层培训", "流程优化", "制度建设", "体系运行",
         "内部审核和管理评审", "认证评价", "指南编制/修订与案例评选", "考核评估", "工作改进",
         "过程监控"]
SURVEY_AREAS = {"awareness": "质量意识", "production": "生产管理", "technical": "技术改进",
                "system": "制度建设", "benefit": "质量效益"}
CONTROL_POINTS = {"man": "人", "machine": "机", "material": "料", "method": "法",
                  "environment": "环", "measurement": "测"}

CLAUSES = {
    **{f"iso9001 {c}": t for c, t in ISO_CLAUSES.items()},
    **{f"step {n}": t for n, t in enumerate(STEPS, start=1)},
    **{f"area {a}": t for a, t in SURVEY_AREAS.items()},
    **{f"6m {c}": t for c, t in CONTROL_POINTS.items()},
}
# Steps 10–12 are the authorities' and service bodies' work (五（二）10–12); they are tracked
# (engagement.*.status), which counts as asked, so no reason is needed for them.


def _keys(iid: str, ind: Indicator) -> Iterable[str]:
    yield f"{ind.source.primary.doc} {ind.source.primary.clause}"
    for tag in ind.tags:
        kind, _, value = tag.partition(":")
        if kind == "6m":
            yield f"6m {value}"
        elif kind == "area":
            yield f"area {value}"
    parts = iid.split(".")
    if parts[0] == "survey":
        yield f"area {parts[1]}"
    if parts[0] == "engagement" and ind.source.primary.clause.startswith("五（二）"):
        number = ind.source.primary.clause.removeprefix("五（二）")
        digits = "".join(ch for ch in number if ch.isdigit()) if number[:1].isdigit() else ""
        if digits and number[: len(digits)] == digits:
            yield f"step {digits}"


def test_every_official_label_is_earned() -> None:
    audit = status_audit("iso9001", REFERENCES)
    assert audit.problems == [], audit.table()  # the conformance suite runs it too
    official = {e.element for e in audit.official()}
    # only what the guide itself asks of the firm; nothing scored, no step tracker
    assert not any(e.startswith(("survey.", "iso.", "level:")) for e in official)
    assert "engagement.monitoring.plan_checked" in official
    assert not {"engagement.survey.baseline_pass_rate", "engagement.survey.baseline_complaints",
                "engagement.operation.status"} & official


def test_every_step_area_control_point_and_clause_is_asked() -> None:
    check_coverage("iso9001", CLAUSES, keys=_keys)


def test_show_lists_a_cited_indicator_for_each_clause() -> None:
    out = CliRunner().invoke(cli, ["show", "iso9001", "--json"])
    assert out.exit_code == 0, out.output
    iso = next(d for d in json.loads(out.output)["framework"]["dimensions"] if d["id"] == "iso")
    cited = [i["source"]["clause"] for c in iso["dimensions"] for i in c["indicators"]]
    assert cited == list(ISO_CLAUSES)  # one each, in the standard's order
    areas = {t for c in iso["dimensions"] for i in c["indicators"] for t in i["tags"]
             if t.startswith("area:")}
    assert areas == {f"area:{a}" for a in SURVEY_AREAS}
