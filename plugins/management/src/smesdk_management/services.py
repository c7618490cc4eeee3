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
from typing import Any, NamedTuple

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


_IMPACT = operator.attrgetter("impact")
_ZERO = Decimal(0)


def _top_impact(gaps: list[Any]) -> Decimal:
    return max(map(_IMPACT, gaps), default=_ZERO)


class Area(NamedTuple):
    """A capability area (the framework's dimension), its score and its gaps."""

    dimension: Any
    score: Decimal | None
    gaps: int  # practices below target
    top_impact: Decimal  # the impact of its largest gap (0 without gaps)


class _Plan(NamedTuple):
    """What the hooks read from the framework alone, once per framework (it never changes)."""

    areas: tuple[Any, ...]  # the capability areas, in the guide's order
    area_of: dict[str, str]  # indicator id -> its area
    titles: dict[str, dict[str, str]]  # area -> its title as JSON (copied into each section)
    caps: dict[str, Any]  # red line id -> the cap
    ceilings: dict[str, Decimal | None]  # red line id -> the top of the band it caps at
    advice: dict[str, Text]  # red line id -> its advice when failed
    #: area -> the names of its services, zh and en (none for an area without gaps)
    services: dict[str, tuple[tuple[str, str], ...]]


@functools.lru_cache(maxsize=64)
def _plan(framework: Any) -> _Plan:
    levels = {lv.id: lv for lv in framework.spec.levels}
    table = _services()
    return _Plan(
        areas=tuple(framework.spec.dimensions),
        area_of={iid: iid.partition(".")[0] for iid in framework.names},
        titles={d.id: {"zh": d.title.zh, "en": d.title.en} for d in framework.spec.dimensions},
        caps={cap.id: cap for cap in framework.spec.level_caps},
        ceilings={cap.id: levels[cap.max_level].max if cap.max_level in levels else _ZERO
                  for cap in framework.spec.level_caps},
        advice={cap.id: _red_line_text(cap) for cap in framework.spec.level_caps},
        services={d.id: _service_names(table.get(d.id, ())) for d in framework.spec.dimensions},
    )


def _gap_counts(framework: Any, result: Any) -> tuple[dict[str, int], dict[str, Decimal]]:
    """Each area's number of gaps and its largest gap's impact, in one pass over the gaps."""
    area_of = _plan(framework).area_of
    counts: dict[str, int] = {}
    tops: dict[str, Decimal] = {}
    for gap in result.gaps:
        iid = gap.indicator
        area = area_of[iid] if iid in area_of else iid.partition(".")[0]
        if area in counts:
            counts[area] += 1
            if gap.impact > tops[area]:
                tops[area] = gap.impact
        else:
            counts[area] = 1
            tops[area] = gap.impact
    return counts, tops


_KEY = operator.itemgetter(0)
_NEW = tuple.__new__


def areas_weakest_first(framework: Any, result: Any) -> list[Area]:
    """Areas by score; among equal scores, the one whose largest gap would add most to the
    total, then the one with more practices below target, then the guide's order (never the
    alphabet: seven areas can tie at 75). Both the advice and the ``management`` section are
    built from this list: the hooks work it out once per assessment and pass it on."""
    counts, tops = _gap_counts(framework, result)
    # The areas' scores by id (a dict of the few dimensions, cheaper than the result's
    # index of every indicator, which nothing else here needs)
    scores = {d.id: d for d in result.dimensions}
    rows = []
    for dim in _plan(framework).areas:  # in the guide's order, which the stable sort keeps
        n = counts.get(dim.id, 0)
        top = tops.get(dim.id, _ZERO)
        found = scores.get(dim.id)
        score = result.dimension(dim.id).score if found is None else found.score
        # Made as namedtuple's own _make makes one, without the Python-level __new__
        # (nine a record; the four fields are always given).
        area = _NEW(Area, (dim, score, n, top))
        rows.append(((score is None, score or _ZERO, -top, -n), area))
    rows.sort(key=_KEY)
    return [area for _, area in rows]


def red_line_recommendations(framework: Any, result: Any, *,
                             areas: list[Area] | None = None) -> list[Recommendation]:
    """One recommendation per failed red line: the cap's own advice and the services to ask for.

    Impact: the largest gap impact plus the points of the total that the cap keeps from
    counting towards a level (total minus the top of the capped level's band), so red lines
    are listed before every practice. ``areas`` is :func:`areas_weakest_first` of this result
    when the caller has it already (their largest gaps give the largest of all).
    """
    out: list[Recommendation] = []
    if not result.caps:  # most firms hold every red line: nothing to look up
        return out
    plan = _plan(framework)
    if areas is not None and sum(a.gaps for a in areas) == len(result.gaps):
        top = max((a.top_impact for a in areas), default=_ZERO)
    else:  # some gap outside the areas (or no areas given): every gap is looked at
        top = _top_impact(result.gaps)
    for blocker in result.caps:
        cap = plan.caps.get(blocker.ref or "")
        if cap is None:
            continue
        ceiling = plan.ceilings[cap.id]
        voided = max(result.total - (ceiling or result.total), _ZERO)
        indicator = cap.when.indicator.id if cap.when.indicator is not None else None
        out.append(Recommendation(
            text=plan.advice[cap.id], source=cap.source, indicator=indicator,
            impact=top + voided, origin=ORIGIN, kind="red_line", priority=1,
        ))
    return out


def _red_line_text(cap: Any) -> Text:
    """A failed red line's advice with the services to ask for (the same for every firm)."""
    advice = cap.recommendation or cap.title
    keys = catalogue()["red_line"]
    return Text(zh=f"【底线】{advice.zh}可申请{_join(keys, 'zh')}。",
                en=f"[Red line] {advice.en} Ask for {_join(keys, 'en')}.")


def service_recommendations(framework: Any, result: Any, *,
                            areas: list[Area] | None = None) -> list[Recommendation]:
    """For the weakest areas with gaps, the section 十一 services that fit them.

    Impact: that of the area's largest gap, so the advice sits beside that gap's own.
    ``areas`` is :func:`areas_weakest_first` of this result when the caller has it already.
    """
    table = _services()
    out: list[Recommendation] = []
    for area in areas if areas is not None else areas_weakest_first(framework, result):
        if len(out) >= WEAKEST_AREAS:
            break
        keys = table.get(area.dimension.id)
        if not keys or not area.gaps:
            continue
        out.append(_area_advice(area.dimension.title, keys, area.gaps, area.top_impact))
    return out


@functools.cache
def _services() -> dict[str, tuple[str, ...]]:
    """Each area's services (``services.yaml``), as tuples: read once, then only looked up."""
    return {area: tuple(keys) for area, keys in catalogue()["areas"].items()}


@functools.lru_cache(maxsize=1024)
def _area_advice(title: Text, keys: tuple[str, ...], n: int, impact: Decimal) -> Recommendation:
    """A weak area's advice, by its title, services, number of gaps and largest gap: made
    once each (immutable; the same few recur across firms)."""
    text = Text(
        zh=f"{title.zh}是薄弱领域（{n}项实践未达目标）：可向中小企业公共服务机构申请"
           f"{_join(list(keys), 'zh')}等公益服务。",
        en=f"{title.en} is a weak area ({n} practice(s) below target): ask a public "
           f"SME service body for {_join(list(keys), 'en')}.",
    )
    return Recommendation(text=text,
                          source=Citation(doc=DOC, clause=service(keys[0]).source.clause),
                          indicator=None, impact=impact, origin=ORIGIN, kind="service")


@functools.cache
def _service_names(keys: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Each service's name with its clause, zh and en (smesdk's vocabulary never changes)."""
    return tuple((service_text(k).zh, service_text(k).en) for k in keys)


def service_plan(framework: Any, result: Any, *,
                 areas: list[Area] | None = None) -> dict[str, Any]:
    """The ``management`` result section: every area weakest first, its gaps and services.

    ``areas`` is :func:`areas_weakest_first` of this result when the caller has it already.
    """
    plan = _plan(framework)
    rows = []
    for dim, score, gaps, _ in areas if areas is not None else areas_weakest_first(framework,
                                                                                    result):
        rows.append({
            "area": dim.id,
            "title": plan.titles[dim.id].copy(),
            "score": None if score is None else str(score),
            "gaps": gaps,
            "services": [{"zh": zh, "en": en} for zh, en in plan.services[dim.id]]
            if gaps else [],
        })
    return {
        "areas": rows,
        "red_lines_failed": [c.ref for c in result.caps],
    }
