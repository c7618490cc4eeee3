"""What the framework format cannot say by itself, as small result hooks.

* Red lines: the core does not turn a failed red line's ``recommendation`` into advice, so
  :func:`red_line_recommendations` does, ranked above every practice.
* Section 十一: the public services (diagnosis, consulting, evaluation, training, model cases)
  that fit each capability area with gaps — as recommendations for the weakest areas and as
  the ``management`` section of ``result.extensions`` for all of them.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from smesdk import Citation, Recommendation, Text
from smesdk.services import Service, core_vocabulary

DOC = "000"
ORIGIN = "management"
WEAKEST_AREAS = 3  # how many areas get a service recommendation in the ranked list


@functools.cache
def catalogue() -> dict[str, Any]:
    """The area → services table (``services.yaml``); services are vocabulary ids."""
    text = (Path(__file__).parent / "services.yaml").read_text("utf-8")
    # libyaml when present: the pure-Python parser took most of a first assessment's time.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(text, Loader=loader)
    return data


def service(key: str) -> Service:
    """A service of smesdk's vocabulary, by id (``management.consulting``)."""
    return core_vocabulary().service(key)


def service_text(key: str) -> Text:
    """A service's name with the clause that offers it, e.g. 管理咨询（十一（一））."""
    item = service(key)
    return Text(zh=f"{item.title.zh}（{item.source.clause}）",
                en=f"{item.title.en} ({item.source.clause})")


def _join(keys: list[str], lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(service_text(k).get(lang) for k in keys)  # type: ignore[arg-type]


def _gaps_by_area(result: Any) -> dict[str, list[Any]]:
    areas: dict[str, list[Any]] = {}
    for gap in result.gaps:
        areas.setdefault(gap.indicator.split(".", 1)[0], []).append(gap)
    return areas


def _top_impact(gaps: list[Any]) -> Decimal:
    return max((g.impact for g in gaps), default=Decimal(0))


def _areas_weakest_first(framework: Any, result: Any) -> list[tuple[Any, Decimal | None]]:
    """Areas by score; among equal scores, the one whose largest gap would add most to the
    total, then the one with more practices below target, then the guide's order (never the
    alphabet: seven areas can tie at 75)."""
    gaps = _gaps_by_area(result)
    rows = [(k, dim, result.dimension(dim.id).score)
            for k, dim in enumerate(framework.spec.dimensions)]
    rows.sort(key=lambda r: (r[2] is None, r[2] or Decimal(0),
                             -_top_impact(gaps.get(r[1].id, [])), -len(gaps.get(r[1].id, [])), r[0]))
    return [(dim, score) for _, dim, score in rows]


def red_line_recommendations(framework: Any, result: Any) -> list[Recommendation]:
    """One recommendation per failed red line: the cap's own advice and the services to ask for.

    Impact: the largest gap impact plus the points of the total that the cap keeps from
    counting towards a level (total minus the top of the capped level's band), so red lines
    are listed before every practice.
    """
    caps = {cap.id: cap for cap in framework.spec.level_caps}
    levels = {lv.id: lv for lv in framework.spec.levels}
    keys = catalogue()["red_line"]
    out: list[Recommendation] = []
    for blocker in result.caps:
        cap = caps.get(blocker.ref)
        if cap is None:
            continue
        ceiling = levels[cap.max_level].max if cap.max_level in levels else Decimal(0)
        voided = max(result.total - (ceiling or result.total), Decimal(0))
        advice = cap.recommendation or cap.title
        indicator = cap.when.indicator.id if cap.when.indicator is not None else None
        out.append(Recommendation(
            text=Text(zh=f"【底线】{advice.zh}可申请{_join(keys, 'zh')}。",
                      en=f"[Red line] {advice.en} Ask for {_join(keys, 'en')}."),
            source=cap.source,
            indicator=indicator,
            impact=_top_impact(result.gaps) + voided,
            origin=ORIGIN, kind="red_line", priority=1,
        ))
    return out


def service_recommendations(framework: Any, result: Any) -> list[Recommendation]:
    """For the weakest areas with gaps, the section 十一 services that fit them.

    Impact: that of the area's largest gap, so the advice sits beside that gap's own.
    """
    table = catalogue()["areas"]
    gaps = _gaps_by_area(result)
    out: list[Recommendation] = []
    for dim, _score in _areas_weakest_first(framework, result):
        if len(out) >= WEAKEST_AREAS:
            break
        keys = table.get(dim.id)
        if not keys or not gaps.get(dim.id):
            continue
        n = len(gaps[dim.id])
        out.append(Recommendation(
            text=Text(
                zh=f"{dim.title.zh}是薄弱领域（{n}项实践未达目标）：可向中小企业公共服务机构申请"
                   f"{_join(keys, 'zh')}等公益服务。",
                en=f"{dim.title.en} is a weak area ({n} practice(s) below target): ask a public "
                   f"SME service body for {_join(keys, 'en')}.",
            ),
            source=Citation(doc=DOC, clause=service(keys[0]).source.clause),
            indicator=None,
            impact=_top_impact(gaps[dim.id]),
            origin=ORIGIN, kind="service",
        ))
    return out


def service_plan(framework: Any, result: Any) -> dict[str, Any]:
    """The ``management`` result section: every area weakest first, its gaps and services."""
    table = catalogue()["areas"]
    gaps = _gaps_by_area(result)
    areas = []
    for dim, score in _areas_weakest_first(framework, result):
        keys = table.get(dim.id, []) if gaps.get(dim.id) else []
        areas.append({
            "area": dim.id,
            "title": {"zh": dim.title.zh, "en": dim.title.en},
            "score": None if score is None else str(score),
            "gaps": len(gaps.get(dim.id, [])),
            "services": [{"zh": service_text(k).zh, "en": service_text(k).en} for k in keys],
        })
    return {
        "areas": areas,
        "red_lines_failed": [c.ref for c in result.caps],
    }
