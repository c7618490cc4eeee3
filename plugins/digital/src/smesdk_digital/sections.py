"""The digital plugin's report sections: the scene-level grid, what the next level still
needs, and the priority matrix of guide 二（一）, as typed sections the core renders.

Figures are read from ``result.extensions`` (computed once by :mod:`smesdk_digital.analysis`),
so the report and the JSON never disagree.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from smesdk import Citation, Text
from smesdk.report.sections import Cell, Grid, ReportSection, Table, figure
from smesdk_digital.analysis import _constrained, _scene_ids, scene_level

LEVELS = [Text(zh=f"{k}级", en=f"L{k}") for k in range(5)]


def _status(framework: Any, ids: list[str]) -> Literal["official", "derived", "unverified"]:
    statuses = {framework.indicator(iid).status for iid in ids}
    weakest: tuple[Literal["unverified", "derived"], ...] = ("unverified", "derived")
    for status in weakest:
        if status in statuses:
            return status
    return "official"


def scene_grid(framework: Any, result: Any) -> Grid:
    """16 scenes × L0–L4: each scene's level highlighted, the constraining scenes starred."""
    scenes = _scene_ids(framework)
    constrained = _constrained(framework)
    rows: list[Text] = []
    cells: list[list[Cell]] = []
    marked: list[int] = []
    lit: list[tuple[int, int]] = []
    for r, iid in enumerate(scenes):
        level = scene_level(result, iid)
        name = framework.names[iid]  # constraining scenes carry ★ in their titles already
        rows.append(Text(zh=name.zh.removesuffix("★").rstrip(), en=name.en.removesuffix("★").rstrip()))
        cells.append([("●" if level == k else None) for k in range(5)] if level is not None
                     else [Text(zh="不适用", en="n/a")] + [None] * 4)
        if level is not None:
            lit.append((r, level))
        if iid in constrained:
            marked.append(r)
    return Grid(id="digital.scenes", title=Text(zh="业务场景等级", en="Scene levels"),
                rows=rows, columns=LEVELS, cells=cells, marked=marked, highlight=lit,
                marker=Text(zh="★", en="★"), status=_status(framework, scenes),
                note=Text(zh="★ 为约束性场景，等级要求对其单独计数。",
                          en="★ marks the constraining scenes, which the level gates count "
                             "separately."))


def next_level(framework: Any, result: Any) -> Table | None:
    """Each scene-count requirement of the next level: needed, now, short by, closest scenes."""
    data = result.extensions.get("next_level_scenes")
    if not data:
        return None
    rows: list[list[Any]] = []
    for req in data["requirements"]:
        where = framework.spec.set_titles.get(req["set"] or "",
                                              Text(zh="所列场景", en="the listed scenes"))
        need = req["needed_level"]
        closest = req["missing"][: max(req["short_by"], 0) or 0]
        rows.append([
            Text(zh=f"{where.zh}中至少 {req['at_least']} 个达到 {need} 级",
                 en=f"at least {req['at_least']} of {where.en} at level {need}"),
            req["passing"],
            Text(zh="已满足", en="met") if req["met"] else req["short_by"],
            Text(zh="、".join(m["title"]["zh"] for m in closest) or "—",
                 en=", ".join(m["title"]["en"] for m in closest) or "—"),
        ])
    title = Text(zh=f"升至「{data['title']['zh']}」的场景要求",
                 en=f"Scene requirements of '{data['title']['en']}'")
    return Table(id="digital.next_level", title=title, status=data["status"],
                 columns=[Text(zh="要求", en="Requirement"), Text(zh="现有", en="Now"),
                          Text(zh="尚差", en="Short by"),
                          Text(zh="最接近的场景", en="Closest scenes")],
                 rows=rows, numeric=[False, True, True, False])


def priority_table(result: Any) -> Table | None:
    data = result.extensions.get("priority_matrix")
    if not data:
        return None
    rows: list[list[Any]] = []
    for row in sorted((r for r in data["links"] if r["applicable"]), key=lambda r: r["rank"]):
        rows.append([row["rank"], Text(**row["title"]), figure(Decimal(str(row["value_index"])), 1),
                     figure(Decimal(str(row["feasibility"])), 1), Text(**row["quadrant_label"])])
    return Table(id="digital.priority", status="derived",
                 title=Text(zh="转型优先级矩阵（价值 × 可行性）",
                            en="Priority matrix (value × feasibility)"),
                 columns=[Text(zh="顺序", en="Order"), Text(zh="业务环节", en="Business link"),
                          Text(zh="价值指数", en="Value index"),
                          Text(zh="可行性", en="Feasibility"), Text(zh="建议", en="Advice")],
                 rows=rows, numeric=[True, False, True, True, False],
                 note=Text(**data["method"]), source=Citation(doc="001", clause="二（一）"))


def sections(framework: Any, result: Any) -> list[ReportSection]:
    out: list[ReportSection] = [scene_grid(framework, result)]
    for section in (next_level(framework, result), priority_table(result)):
        if section is not None:
            out.append(section)
    return out
