"""Section 十一 service types matched to the capability areas that have gaps."""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from smesdk import Citation, Recommendation, Text

DOC = "000"
ORIGIN = "management"


@functools.cache
def catalogue() -> dict[str, Any]:
    """The service types and the area → services table (``services.yaml``)."""
    data: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "services.yaml").read_text("utf-8"))
    return data


def _area_titles(framework: Any) -> dict[str, Text]:
    return {d.id: d.title for d in framework.spec.dimensions}


def _gaps_by_area(result: Any) -> dict[str, list[Any]]:
    areas: dict[str, list[Any]] = {}
    for gap in result.gaps:
        areas.setdefault(gap.indicator.split(".", 1)[0], []).append(gap)
    return areas


def _names(keys: list[str], lang: str) -> str:
    services = catalogue()["services"]
    sep = "、" if lang == "zh" else ", "
    return sep.join(services[k]["title"][lang] for k in keys)


def _clauses(keys: list[str]) -> str:
    services = catalogue()["services"]
    seen: list[str] = []
    for key in keys:
        if services[key]["clause"] not in seen:
            seen.append(services[key]["clause"])
    return "、".join(seen)


def service_recommendations(framework: Any, result: Any) -> list[Recommendation]:
    """One recommendation per area with gaps, naming the section 十一 services that fit.

    Its impact is that of the area's largest gap, so it is listed beside that gap's own
    advice rather than ahead of every practice.
    """
    table = catalogue()["areas"]
    titles = _area_titles(framework)
    recs: list[Recommendation] = []
    for area, gaps in _gaps_by_area(result).items():
        keys = table.get(area)
        if not keys or area not in titles:
            continue
        title = titles[area]
        recs.append(Recommendation(
            text=Text(
                zh=f"{title.zh}有{len(gaps)}项实践未达目标：可申请中小企业公共服务机构提供的"
                   f"{_names(keys, 'zh')}等公益服务（《指南》十一）。",
                en=f"{title.en}: {len(gaps)} practice(s) below target — ask a public SME service "
                   f"body for {_names(keys, 'en')} (guide, section 十一).",
            ),
            source=Citation(doc=DOC, clause=_clauses(keys)),
            indicator=None,
            impact=max((g.impact for g in gaps), default=Decimal(0)),
            origin=ORIGIN,
        ))
    if result.caps:
        keys = catalogue()["red_line"]
        names = "、".join(c.ref or "" for c in result.caps)
        recs.append(Recommendation(
            text=Text(
                zh=f"存在未守住的底线（{names}）：建议先申请{_names(keys, 'zh')}，逐项整改。",
                en=f"Red line(s) not met ({names}): start with {_names(keys, 'en')} and correct "
                   "them one by one.",
            ),
            source=Citation(doc=DOC, clause=_clauses(keys)),
            indicator=None,
            impact=max((g.impact for g in result.gaps), default=Decimal(0)),
            origin=ORIGIN,
        ))
    return recs


def service_plan(framework: Any, result: Any) -> dict[str, Any]:
    """The ``management`` result section: areas weakest first, with their gaps and services."""
    table = catalogue()["areas"]
    services = catalogue()["services"]
    titles = _area_titles(framework)
    gaps = _gaps_by_area(result)
    areas = []
    for area in titles:
        dim = result.dimension(area)
        keys = table.get(area, []) if gaps.get(area) else []
        areas.append({
            "area": area,
            "title": {"zh": titles[area].zh, "en": titles[area].en},
            "score": None if dim.score is None else str(dim.score),
            "gaps": len(gaps.get(area, [])),
            "services": [{"id": k, "title": dict(services[k]["title"]),
                          "source": {"doc": DOC, "clause": services[k]["clause"]}} for k in keys],
        })
    areas.sort(key=lambda a: (a["score"] is None, Decimal(a["score"] or 0), a["area"]))
    return {
        "areas": areas,
        "red_lines_failed": [c.ref for c in result.caps],
    }
