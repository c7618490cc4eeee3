"""The iso9001 plugin's report sections: the certification verdict, the 13-step engagement
tracker, the stage-gate checks, the 两难、两不、两低 diagnosis and the training plan."""

from __future__ import annotations

from typing import Any, Literal

from smesdk import Citation, Text
from smesdk.report.sections import Callout, Item, Ladder, RankedList, ReportSection, Step, Table

_STEP_STATE = {"done": "done", "in_progress": "current", "not_started": "todo"}
_CHECK = {"pass": Text(zh="通过", en="passed"), "fail": Text(zh="未通过", en="not met"),
          "pending": Text(zh="待定", en="pending")}


def verdict(cert: dict[str, Any]) -> Callout:
    ready = cert["verdict"] in ("ready", "certified")
    stage = cert.get("stage") or {}
    figure = Text(**stage["title"]) if stage.get("title") else None
    return Callout(id="iso9001.verdict", title=Text(zh="认证准备情况", en="Certification readiness"),
                   body=Text(**cert["message"]), figure=figure,
                   tone="success" if ready else "warning", status="official")


def tracker(cert: dict[str, Any]) -> Ladder:
    steps = []
    for step in cert["steps"]:
        state = _STEP_STATE.get(step["status"], "todo")
        when = step.get("completed") or step.get("started")
        detail = Text(zh=f"完成于 {when}", en=f"done {when}") if step.get("completed") else (
            Text(zh=f"开始于 {when}", en=f"started {when}") if when else None)
        steps.append(Step(title=Text(**step["title"]), state=state, detail=detail))  # type: ignore[arg-type]
    return Ladder(id="iso9001.steps", title=Text(zh="十三个工作步骤", en="The thirteen steps"),
                  steps=steps, status="official", source=Citation(doc="004", clause="五（二）"))


def checks(cert: dict[str, Any]) -> Table | None:
    if not cert["checks"]:
        return None
    return Table(id="iso9001.checks", title=Text(zh="阶段检查", en="Stage checks"),
                 columns=[Text(zh="检查", en="Check"), Text(zh="结果", en="Result"),
                          Text(zh="依据", en="Clause")],
                 rows=[[Text(**c["message"]), _CHECK.get(c["state"], Text(zh="—", en="—")),
                        c["source"]["clause"]] for c in cert["checks"]],
                 status=_worst(c.get("status", "official") for c in cert["checks"]))


_Status = Literal["official", "derived", "unverified"]


def _worst(statuses: Any) -> _Status:
    """A table of mixed figures carries the weakest status among them."""
    seen = set(statuses)
    weakest: tuple[_Status, ...] = ("unverified", "derived")
    return next((s for s in weakest if s in seen), "official")


def diagnosis(data: dict[str, Any]) -> RankedList:
    found = [p for p in data["problems"] if p["found"]]
    items = [Item(text=Text(**p["title"]), badge=Text(**p["group_title"])) for p in found]
    return RankedList(id="iso9001.diagnosis",
                      title=Text(zh="问题诊断（两难、两不、两低）",
                                 en="Diagnosis (two difficulties, two lacks, two lows)"),
                      items=items, status="derived", note=Text(**data["summary"]) if not found else None,
                      source=Citation(doc="004", clause="三"))


def training(plan: list[dict[str, Any]]) -> Table | None:
    rows: list[list[Any]] = []
    for row in plan:
        if not row["needed"]:
            continue
        rows.append([Text(**row["title"]), Text(**row["topics"]),
                     Text(zh="已培训", en="done") if row["already_trained"]
                     else Text(zh="待安排", en="to arrange")])
    if not rows:
        return None
    return Table(id="iso9001.training", title=Text(zh="分层培训计划", en="Layered training plan"),
                 columns=[Text(zh="对象", en="Who"), Text(zh="内容", en="Topics"),
                          Text(zh="状态", en="State")], rows=rows, status="official",
                 source=Citation(doc="004", clause="五（二）4"))


def sections(result: Any) -> list[ReportSection]:
    data = result.extensions.get("iso9001")
    if not data:
        return []
    cert = data["certification"]
    out: list[ReportSection | None] = [verdict(cert), tracker(cert), checks(cert),
                                       diagnosis(data["diagnosis"]), training(data["training_plan"])]
    return [s for s in out if s is not None]
