"""The management plugin's report sections: the red lines (held or failed, and what a failed
one does to the level) and the section 十一 public services for each area with gaps."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from smesdk import Citation, Text
from smesdk.report.sections import ReportSection, Table, figure
from smesdk_management.services import DOC, service_plan


def red_lines(framework: Any, result: Any) -> Table | None:
    caps = framework.spec.level_caps
    if not caps:
        return None
    failed = {c.ref for c in result.caps}
    levels = {lv.id: lv.title for lv in framework.spec.levels}
    rows: list[list[Any]] = []
    for cap in caps:
        ceiling = levels.get(cap.max_level or "", Text(zh="未达级", en="no level"))
        rows.append([
            cap.title,
            Text(zh="未守住", en="failed") if cap.id in failed else Text(zh="守住", en="held"),
            Text(zh=f"等级最高为「{ceiling.zh}」", en=f"level capped at '{ceiling.en}'")
            if cap.id in failed else Text(zh="—", en="—"),
        ])
    return Table(id="management.red_lines", title=Text(zh="底线要求（红线）", en="Red lines"),
                 columns=[Text(zh="要求", en="Requirement"), Text(zh="状态", en="State"),
                          Text(zh="对等级的影响", en="Effect on the level")],
                 rows=rows, status="derived", source=Citation(doc=DOC, clause="三（四）"),
                 note=Text(zh="守住全部红线，等级才按得分评定。",
                           en="The level follows the score only while every red line holds."))


def services(framework: Any, result: Any) -> Table | None:
    plan = service_plan(framework, result)
    rows: list[list[Any]] = []
    for area in plan["areas"]:
        if not area["gaps"]:
            continue
        score = "—" if area["score"] is None else figure(Decimal(area["score"]), 1)
        rows.append([Text(**area["title"]), score, area["gaps"],
                     Text(zh="、".join(s["zh"] for s in area["services"]) or "—",
                          en="; ".join(s["en"] for s in area["services"]) or "—")])
    if not rows:
        return None
    return Table(id="management.services",
                 title=Text(zh="可申请的公益服务（按领域，薄弱在前）",
                            en="Public services to ask for (by area, weakest first)"),
                 columns=[Text(zh="领域", en="Area"), Text(zh="得分率", en="Score %"),
                          Text(zh="未达目标的实践", en="Practices below target"),
                          Text(zh="服务", en="Services")],
                 rows=rows, numeric=[False, True, True, False], status="derived",
                 source=Citation(doc=DOC, clause="十一"))


def sections(framework: Any, result: Any) -> list[ReportSection]:
    return [s for s in (red_lines(framework, result), services(framework, result)) if s is not None]
