"""What the framework format cannot say by itself, as small result hooks.

* Red lines: the core does not turn a failed red line's ``recommendation`` into advice, so
  :func:`red_line_recommendations` does, ranked above every practice.
* Section 十一: the public services (diagnosis, consulting, evaluation, training, model cases)
  that fit each capability area with gaps — as recommendations for the weakest areas and as
  the ``management`` section of ``result.extensions`` for all of them.
"""

from __future__ import annotations

import functools
import operator
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


@functools.cache
def service_text(key: str) -> Text:
    """A service's name with the clause that offers it, e.g. 管理咨询（十一（一））.

    Kept once per service: smesdk's own vocabulary, which names it, never changes."""
    item = service(key)
    return Text(zh=f"{item.title.zh}（{item.source.clause}）",
                en=f"{item.title.en} ({item.source.clause})")


def _join(keys: list[str], lang: str) -> str:
    return _joined(tuple(keys), lang)


@functools.cache
def _joined(keys: tuple[str, ...], lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(service_text(k).get(lang) for k in keys)


def _gaps_by_area(result: Any) -> dict[str, list[Any]]:
    areas: dict[str, list[Any]] = {}
    for gap in result.gaps:
        area = gap.indicator.partition(".")[0]
        if area in areas:
            areas[area].append(gap)
        else:
            areas[area] = [gap]
    return areas


def _top_impact(gaps: list[Any]) -> Decimal:
    return max(map(_IMPACT, gaps), default=Decimal(0))


_IMPACT = operator.attrgetter("impact")


Area = tuple[Any, Decimal | None, list[Any]]
"""A capability area (the framework's dimension), its score and its gaps."""


def areas_weakest_first(framework: Any, result: Any) -> list[Area]:
    """Areas by score; among equal scores, the one whose largest gap would add most to the
    total, then the one with more practices below target, then the guide's order (never the
    alphabet: seven areas can tie at 75). Both the advice and the ``management`` section are
    built from this list: the hooks work it out once per assessment and pass it on."""
    gaps = _gaps_by_area(result)
    rows = []
    for k, dim in enumerate(framework.spec.dimensions):
        own = gaps.get(dim.id, [])
        score = result.dimension(dim.id).score
        rows.append(((score is None, score or Decimal(0), -_top_impact(own), -len(own), k),
                     (dim, score, own)))
    rows.sort(key=lambda r: r[0])
    return [area for _, area in rows]


def red_line_recommendations(framework: Any, result: Any) -> list[Recommendation]:
    """One recommendation per failed red line: the cap's own advice and the services to ask for.

    Impact: the largest gap impact plus the points of the total that the cap keeps from
    counting towards a level (total minus the top of the capped level's band), so red lines
    are listed before every practice.
    """
    out: list[Recommendation] = []
    if not result.caps:  # most firms hold every red line: nothing to look up
        return out
    caps = {cap.id: cap for cap in framework.spec.level_caps}
    levels = {lv.id: lv for lv in framework.spec.levels}
    keys = catalogue()["red_line"]
    top = _top_impact(result.gaps)
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
            impact=top + voided,
            origin=ORIGIN, kind="red_line", priority=1,
        ))
    return out


def service_recommendations(framework: Any, result: Any, *,
                            areas: list[Area] | None = None) -> list[Recommendation]:
    """For the weakest areas with gaps, the section 十一 services that fit them.

    Impact: that of the area's largest gap, so the advice sits beside that gap's own.
    ``areas`` is :func:`areas_weakest_first` of this result when the caller has it already.
    """
    table = catalogue()["areas"]
    out: list[Recommendation] = []
    for dim, _score, gaps in areas if areas is not None else areas_weakest_first(framework,
                                                                                  result):
        if len(out) >= WEAKEST_AREAS:
            break
        keys = table.get(dim.id)
        if not keys or not gaps:
            continue
        text, source = _area_advice(dim.title, tuple(keys), len(gaps))
        out.append(Recommendation(
            text=text,
            source=source,
            indicator=None,
            impact=_top_impact(gaps),
            origin=ORIGIN, kind="service",
        ))
    return out


@functools.lru_cache(maxsize=1024)
def _area_advice(title: Text, keys: tuple[str, ...], n: int) -> tuple[Text, Citation]:
    """A weak area's advice text and citation, by its title, services and number of gaps:
    made once each (immutable; the same few recur across firms)."""
    text = Text(
        zh=f"{title.zh}是薄弱领域（{n}项实践未达目标）：可向中小企业公共服务机构申请"
           f"{_join(list(keys), 'zh')}等公益服务。",
        en=f"{title.en} is a weak area ({n} practice(s) below target): ask a public "
           f"SME service body for {_join(list(keys), 'en')}.",
    )
    return text, Citation(doc=DOC, clause=service(keys[0]).source.clause)


@functools.cache
def _service_names(keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Each service's name with its clause, zh and en (smesdk's vocabulary never changes)."""
    return tuple((service_text(k).zh, service_text(k).en) for k in keys)


def service_plan(framework: Any, result: Any, *,
                 areas: list[Area] | None = None) -> dict[str, Any]:
    """The ``management`` result section: every area weakest first, its gaps and services.

    ``areas`` is :func:`areas_weakest_first` of this result when the caller has it already.
    """
    table = catalogue()["areas"]
    rows = []
    for dim, score, gaps in areas if areas is not None else areas_weakest_first(framework,
                                                                                 result):
        keys = table.get(dim.id, []) if gaps else []
        rows.append({
            "area": dim.id,
            "title": {"zh": dim.title.zh, "en": dim.title.en},
            "score": None if score is None else str(score),
            "gaps": len(gaps),
            "services": [{"zh": zh, "en": en} for zh, en in _service_names(tuple(keys))],
        })
    return {
        "areas": rows,
        "red_lines_failed": [c.ref for c in result.caps],
    }
