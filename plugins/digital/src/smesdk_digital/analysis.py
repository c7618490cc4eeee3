"""What the digital plugin adds to a result: scene profile, next-level scenes, priority
matrix (guide 二（一）), re-assessment baseline (guide 二（五）) and product advice.

All arithmetic is exact (Fractions); numbers leave as JSON numbers rounded once by the
core's rule. Nothing here changes the score or the level: it reads the scored result.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import attrs

from smesdk import Citation, CountTest, Gate, Recommendation, Text, decimal_to_json, json_ratio
from smesdk_digital import links as L

FRAMEWORK_ID = "digital"
ORIGIN = "digital"
NOT_ANSWERED = frozenset({"na", "not_applicable", "unanswered", "prerequisite_unmet"})


def _text(t: Text) -> dict[str, str]:
    return {"zh": t.zh, "en": t.en}


def _result_indicator(result: Any, iid: str) -> Any | None:
    try:
        return result.indicator(iid)
    except KeyError:
        return None


#: The place of an id the framework does not have (past the end of any result's list).
NOWHERE = 1 << 62


def _trace(result: Any, iid: str, place: int) -> Any | None:
    """An indicator's trace, or None. The engine lists a result's indicators in the
    framework's order (``indicator_ids``), so it is read at its place there and its id
    checked; a result laid out otherwise is read by id. (Cheaper than the result's index
    of every indicator, which these hooks would otherwise be the only ones to build.)"""
    inds = result.indicators
    if place < len(inds):
        r = inds[place]
        if r.id == iid:
            return r
    return _result_indicator(result, iid)


def scene_level(result: Any, iid: str) -> int | None:
    """The level a scene was rated at; None when N/A, not applicable or not in the result."""
    r = _result_indicator(result, iid)
    return None if r is None else _rated(r)


def _rated(r: Any) -> int | None:
    """:func:`scene_level` of an indicator's trace."""
    status = r.status
    if status in NOT_ANSWERED:
        return None
    if status == "expired":
        return 0
    answer = r.answer
    if type(answer) is int:  # the usual scene level, without the general checks below
        return answer
    if isinstance(answer, bool) or not isinstance(answer, int | float | Decimal | str):
        return None
    return int(answer)


Levels = Mapping[str, "int | None"]
"""Scene id -> :func:`scene_level`, as :func:`scene_levels` reads them."""


def _level_reader(plan: _Plan, result: Any, known: Levels | None) -> Callable[[str], int | None]:
    """A scene's level by id: from ``known`` (the hooks' shared reading) when it has every
    scene, the usual case, else read from the result where it lacks one."""
    known = known or {}
    if plan.scenes.id_set <= known.keys():
        return known.__getitem__
    return lambda iid: known[iid] if iid in known else scene_level(result, iid)


def scene_levels(framework: Any, result: Any) -> dict[str, int | None]:
    """Every scene's level, read once: the profile, the next level's scenes, the priority
    matrix and the advice all need them (the hooks share one reading per assessment)."""
    # :func:`scene_level` and :func:`_trace` inline: this runs for every scene
    inds = result.indicators
    count = len(inds)
    levels: dict[str, int | None] = {}
    for iid, place in _plan(framework).scene_places:
        r = inds[place] if place < count else None
        if r is None or r.id != iid:
            r = _result_indicator(result, iid)
            if r is None:
                levels[iid] = None
                continue
        answer = r.answer
        levels[iid] = (answer if type(answer) is int and r.status == "scored"
                       else _rated(r))
    return levels


def fraction_of(framework: Any, result: Any, answers: Any, iid: str) -> Fraction:
    """An indicator's points as a share of its maximum (0 when unanswered or N/A).

    Scored indicators are read from the result; unscored ones (the resources questions)
    are scored here with the core's own answer kind, so the rule is the spec's.
    """
    return Fraction(*_share(framework, result, answers, iid))


Ratio = tuple[int, int]
"""An exact value as (numerator, denominator > 0), not reduced: sums and products of these
are integer arithmetic, where Fractions would reduce after every step."""

#: id(trace) -> (the trace, its share) of a scored trace: its points and maximum alone give
#: the share, and the engine hands the same trace objects to many results (one per answer
#: and layout), so each is worked out once. The trace is kept so that its id stays its own.
_SHARES: dict[int, tuple[Any, Ratio]] = {}


def _share(framework: Any, result: Any, answers: Any, iid: str) -> Ratio:
    """:func:`fraction_of` as a ratio."""
    place = _plan(framework).places.get(iid, NOWHERE)
    return _share_of(framework, _trace(result, iid, place), answers, iid)


def _share_of(framework: Any, r: Any | None, answers: Any, iid: str) -> Ratio:
    """:func:`_share` of the indicator's trace ``r`` (None when the result has none)."""
    if r is None:
        return 0, 1
    hit = _SHARES.get(id(r))
    if hit is not None and hit[0] is r:
        return hit[1]
    status = r.status
    if status == "scored" and r.max_points:  # the usual case first
        (pn, pd), (mn, md) = r.points.as_integer_ratio(), r.max_points.as_integer_ratio()
        share = (pn * md, pd * mn) if mn > 0 else (-pn * md, -pd * mn)
        if len(_SHARES) >= 4096:
            _SHARES.clear()
        _SHARES[id(r)] = (r, share)
        return share
    if status in NOT_ANSWERED or status == "expired" or answers is None:
        return 0, 1
    raw = answers.answers.get(iid)
    if raw is None or raw.na:
        return 0, 1
    ind = framework.indicator(iid)
    kind = framework.kinds[iid]
    top = kind.max_points(ind)
    if not top:
        return 0, 1
    share = Fraction(kind.points(ind, kind.parse(ind, raw.value), answers.date)) / top
    return share.numerator, share.denominator


def collected_steps(result: Any) -> set[str]:
    return _collected(_result_indicator(result, L.DATA_STEPS))


def _collected(r: Any | None) -> set[str]:
    """:func:`collected_steps` of the data-collection indicator's trace."""
    if r is None or r.status != "scored" or not isinstance(r.answer, list):
        return set()
    return {str(v) for v in r.answer}


def _scene_ids(framework: Any) -> list[str]:
    return list(_scenes(framework).ids)


def _constrained(framework: Any) -> set[str]:
    return set(_scenes(framework).constrained)


class _Scenes(NamedTuple):
    ids: tuple[str, ...]
    constrained: frozenset[str]
    id_set: frozenset[str]


@functools.lru_cache(maxsize=64)
def _scenes(framework: Any) -> _Scenes:
    """The framework's scenes, constraining scenes and scene order, read once per framework
    (its sets never change) rather than copied on every assessment."""
    ids = tuple(framework.spec.sets.get("scenes", []))
    return _Scenes(ids, frozenset(framework.spec.sets.get("constrained", [])), frozenset(ids))


class _Plan(NamedTuple):
    """What the sections read from the framework alone, worked out once per framework (its
    spec never changes); each assessment copies the little it hands out."""

    scenes: _Scenes
    constrained: tuple[str, ...]  # the constraining scenes, in scene order
    ranked: tuple[tuple[str, bool], ...]  # each scene, and whether its advice comes later
    places: dict[str, int]  # indicator id -> its place in a result's indicators
    scene_places: tuple[tuple[str, int], ...]  # each scene with its place
    steps_place: int  # the place of the data-collection steps
    titles: dict[str, dict[str, str]]  # scene id -> its name as JSON
    groups: tuple[tuple[str, dict[str, str], tuple[str, ...]], ...]  # (id, title, scenes)
    links: tuple[_LinkPlan, ...]
    resources: tuple[tuple[str, int], ...]  # the feasibility inputs it has, with their places
    scored_dimensions: tuple[tuple[str, int], ...]  # with their places in a result's list
    level_rule: str


@functools.lru_cache(maxsize=64)
def _plan(framework: Any) -> _Plan:
    scenes = _scenes(framework)
    names = framework.names
    places = {iid: k for k, iid in enumerate(framework.indicator_ids)}
    dim_places = {did: k for k, did in enumerate(framework.dimension_ids)}
    return _Plan(
        scenes=scenes,
        constrained=tuple(iid for iid in scenes.ids if iid in scenes.constrained),
        ranked=tuple((iid, iid not in scenes.constrained) for iid in scenes.ids),
        places=places,
        scene_places=tuple((iid, places.get(iid, NOWHERE)) for iid in scenes.ids),
        steps_place=places.get(L.DATA_STEPS, NOWHERE),
        titles={iid: _text(names[iid]) for iid in scenes.ids if iid in names},
        groups=tuple((dim_id, _text(names[dim_id]), members)
                     for dim_id, members in _scene_groups(framework)),
        links=tuple(_link_plan(framework, order, link, scenes.constrained, places)
                    for order, link in enumerate(L.LINKS)),
        resources=tuple((iid, places.get(iid, NOWHERE)) for iid in L.RESOURCE_ITEMS
                        if iid in names),
        scored_dimensions=tuple((d.id, dim_places.get(d.id, NOWHERE))
                                for d in framework.spec.dimensions if d.scored),
        level_rule="edition_2022" if all(lv.gate is None for lv in framework.spec.levels)
        else "2024_scene_gates",
    )


# ---------------------------------------------------------------- scene profile


def scene_profile(framework: Any, result: Any,
                  levels: Levels | None = None) -> dict[str, Any]:
    """Counts of scenes at each level or above (all and constraining) and each scene's level."""
    plan = _plan(framework)
    ids = plan.scenes.ids
    known = levels or {}
    if tuple(known) == ids:  # the hooks' shared reading: copied, not read again
        levels = dict(known)
    else:
        levels = {iid: known[iid] if iid in known else scene_level(result, iid) for iid in ids}
    # Scenes at each level (levels run 0-4), then "at k or above" as running sums from the top.
    constrained = plan.scenes.constrained
    at = [0] * 5
    at_constrained = [0] * 5
    for iid, v in levels.items():
        if v is not None:
            k = v if 0 <= v <= 4 else 0 if v < 0 else 4
            at[k] += 1
            if iid in constrained:
                at_constrained[k] += 1
    groups = []
    for dim_id, title, members in plan.groups:
        zh, en = _group_summary(framework, dim_id, tuple([levels[iid] for iid in members]))
        groups.append({"id": dim_id, "title": title.copy(), "summary": {"zh": zh, "en": en}})
    return {
        "counts": {"scenes": _at_or_above(at), "constrained": _at_or_above(at_constrained)},
        "groups": groups,
        "levels": levels,
        "constrained": list(plan.constrained),
        "not_applicable": [iid for iid, v in levels.items() if v is None],
    }


def _at_or_above(at: list[int]) -> dict[str, int]:
    """Counts at each level 1-4 or above, from counts at each level 0-4."""
    ge4 = at[4]
    ge3 = ge4 + at[3]
    ge2 = ge3 + at[2]
    return {"ge1": ge2 + at[1], "ge2": ge2, "ge3": ge3, "ge4": ge4}


@functools.lru_cache(maxsize=64)
def _scene_groups(framework: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each operations dimension with its scenes, in document order (once per framework)."""
    ids = set(_scenes(framework).ids)
    return tuple((dim_id, tuple(iid for iid in framework.children.get(dim_id, []) if iid in ids))
                 for dim_id in framework.children.get("operations", []))


@functools.lru_cache(maxsize=4096)
def _group_summary(framework: Any, dim_id: str,
                   levels: tuple[int | None, ...]) -> tuple[str, str]:
    """A group's scenes with their levels, "name level · …", zh and en (a few levels each:
    the same lines recur across firms; a new one is joined from names made once)."""
    zh, en = _group_names(framework)[dim_id]
    shown = ["—" if lv is None else str(lv) for lv in levels]
    return " · ".join(map(operator.add, zh, shown)), " · ".join(map(operator.add, en, shown))


@functools.lru_cache(maxsize=64)
def _group_names(framework: Any) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Each group's scene names, zh and en, each with the space before its level (the
    framework's names never change: made once per framework; callers only read it)."""
    names = framework.names
    return {dim_id: (tuple(f"{names[iid].zh} " for iid in members),
                     tuple(f"{names[iid].en} " for iid in members))
            for dim_id, members in _scene_groups(framework)}


# ---------------------------------------------------------------- next-level scenes


def _count_tests(gate: Gate | None) -> Iterator[CountTest]:
    if gate is None:
        return
    for sub in (*gate.all, *gate.any, *([gate.not_] if gate.not_ else [])):
        yield from _count_tests(sub)
    if gate.count is not None:
        yield gate.count


def next_level_scenes(framework: Any, result: Any,
                      levels: Levels | None = None) -> dict[str, Any] | None:
    """For the next level, each scene-count requirement with how many scenes are short and
    which scenes (by name, closest first) could close the gap."""
    nxt = getattr(result, "next_level", None)
    if nxt is None:
        return None
    found = _level_requirements(framework, nxt.level.id)
    if found is None:
        return None
    level, counts = found
    known = levels or {}
    titles = _plan(framework).titles
    requirements = []
    for count in counts:
        need = count.need
        ids = count.ids
        if count.id_set <= known.keys():  # the shared reading has them all (the usual case)
            current = list(map(known.__getitem__, ids))
        else:
            current = [known[iid] if iid in known else scene_level(result, iid) for iid in ids]
        passing = len([1 for v in current if v is not None and v >= need])
        short = max(0, count.at_least - passing)
        missing = []
        if short:
            # Highest level first; the sort is stable and ``ids`` holds each scene once, in
            # the set's order, so ties keep that order.
            below = sorted([(iid, v) for iid, v in zip(ids, current, strict=True)
                            if v is not None and v < need], key=_LEVEL, reverse=True)
            missing = [{
                "id": iid,
                "title": titles[iid].copy() if iid in titles else _text(framework.names[iid]),
                "level": lv,
                "steps_to_go": need - lv,
            } for iid, lv in below]
        requirements.append({
            "set": count.set,
            "needed_level": need,
            "at_least": count.at_least,
            "passing": passing,
            "short_by": short,
            "met": short == 0,
            "missing": missing,
        })
    return {
        "level": nxt.level.id,
        "title": _text(nxt.level.title),
        "status": level.status,
        "requirements": requirements,
    }


_LEVEL = operator.itemgetter(1)


class _Count(NamedTuple):
    """A scene-count requirement of a level's gate, as the next-level section reads it."""

    set: str | None
    ids: tuple[str, ...]  # each once, in the set's order
    id_set: frozenset[str]
    need: int  # the scene level a scene must reach
    at_least: int


@functools.lru_cache(maxsize=256)
def _level_requirements(framework: Any, level_id: str) -> tuple[Any, tuple[_Count, ...]] | None:
    """A level and its gate's count requirements (None without a gate): the spec never
    changes, so each level's are read once per framework."""
    level = next((lv for lv in framework.spec.levels if lv.id == level_id), None)
    if level is None or level.gate is None:
        return None
    counts = []
    for test in _count_tests(level.gate):
        ids = tuple(framework.spec.sets.get(test.set, [])) if test.set else tuple(test.ids)
        need = int(test.ge) if test.ge is not None else int(test.gt or 0) + 1
        unique = tuple(dict.fromkeys(ids))  # a scene listed twice counts once
        counts.append(_Count(test.set, unique, frozenset(unique), need, test.at_least))
    return level, tuple(counts)


# ---------------------------------------------------------------- priority matrix

#: [value index ≥ 50][feasibility ≥ 50] -> the quadrant and its label (copied into each row).
_QUADRANTS = {
    True: {True: ("quick_win", {"zh": "优先实施：价值高、条件具备",
                                "en": "Do first: high value, feasible"}),
           False: ("build_capacity", {"zh": "先补资源：价值高、条件不足",
                                      "en": "Build capacity first: high value, hard"})},
    False: {True: ("incremental", {"zh": "顺势推进：价值一般、容易实施",
                                   "en": "Do along the way: modest value, easy"}),
            False: ("defer", {"zh": "暂缓：价值一般、条件不足",
                              "en": "Later: modest value, hard"})},
}
_HALF = Fraction(1, 2)


def resources_score(framework: Any, result: Any, answers: Any) -> Fraction:
    """Mean share of the resource answers (budget, staff, provider, public resources, talent)."""
    return Fraction(*_resources(framework, result, answers))


def _resources(framework: Any, result: Any, answers: Any) -> Ratio:
    items = _plan(framework).resources
    if not items:
        return 0, 1
    num, den = 0, 1
    for iid, place in items:
        n, d = _share_of(framework, _trace(result, iid, place), answers, iid)
        num, den = num * d + n * den, den * d
    return num, den * len(items)


#: A link's sums are integers over this scale: scenes count in quarters, steps in
#: STEP_WEIGHT_NUM / STEP_WEIGHT_DEN; only the items' shares are general ratios.
_SCALE = 4 * L.STEP_WEIGHT_DEN
_STEP = 4 * L.STEP_WEIGHT_NUM  # a step's weight (and its value when not collected), over 4


class _LinkPlan(NamedTuple):
    """A business link as the priority matrix reads it: what depends on the framework alone."""

    id: str
    title: dict[str, str]  # copied into each row
    order: int
    scenes: tuple[tuple[str, int, int], ...]  # (scene, value per level short, weight)
    scene_ids: tuple[str, ...]
    steps: tuple[str, ...]
    items: tuple[tuple[str, int], ...]  # those the framework has, with their places
    has_scenes: bool


def _link_plan(framework: Any, order: int, link: L.Link, constrained: frozenset[str],
               places: dict[str, int]) -> _LinkPlan:
    scenes = []
    for iid in link.scenes:
        w = L.CONSTRAINED_WEIGHT if iid in constrained else L.SCENE_WEIGHT
        scenes.append((iid, w * L.STEP_WEIGHT_DEN, w * _SCALE))
    return _LinkPlan(link.id, _text(link.title), order, tuple(scenes), link.scenes, link.steps,
                     tuple((iid, places.get(iid, NOWHERE)) for iid in link.items
                           if iid in framework.names),
                     bool(link.scenes))


class _Value(NamedTuple):
    """A link's value side: what its row takes from its scenes, steps and items alone."""

    ratio: Ratio  # the value index, 100 × value / Σ weight
    base_sum: int  # the foundation's parts (scene levels, collected steps × 4), each over 4
    base_count: int
    weak: tuple[str, ...]  # its scenes below level 2
    figures: tuple[int | float, int | float, int | float]  # value, max value, index: rounded
    high: bool  # value index ≥ 50


def _link_value(link: _LinkPlan, levels: tuple[int | None, ...], got: int,
                items: Ratio) -> _Value | None:
    """A link's value side from its scenes' levels, how many of its steps are collected and
    Σ weight × (1 − share) of its items; None when none of it applies. The ratios are integer
    numerator/denominator pairs, not reduced (denominators > 0), rounded once each for the
    output: Fraction arithmetic reduces after every step. Same exact values, same rounding."""
    value_n = weight_n = 0  # over _SCALE
    base_sum = base_count = 0
    weak: list[str] = []
    for (iid, per_level, weight), lv in zip(link.scenes, levels, strict=True):
        if lv is None:
            continue
        value_n += per_level * (4 - lv)
        weight_n += weight
        base_sum += lv
        base_count += 1
        if lv < 2:
            weak.append(iid)
    items_n, items_d = 0, 1
    if base_count or not link.has_scenes:  # steps and items count where a scene applies
        value_n += _STEP * (len(link.steps) - got)
        weight_n += _STEP * len(link.steps)
        base_sum += 4 * got
        base_count += len(link.steps)
        items_n, items_d = items
        weight_n += L.ITEM_WEIGHT * _SCALE * len(link.items)
    if not weight_n:
        return None
    val_n, val_d = value_n * items_d + items_n * _SCALE, _SCALE * items_d
    idx_n, idx_d = 100 * val_n * _SCALE, val_d * weight_n
    return _Value((idx_n, idx_d), base_sum, base_count, tuple(weak),
                  (json_ratio(val_n, val_d), json_ratio(weight_n, _SCALE),
                   json_ratio(idx_n, idx_d)),
                  idx_n >= 50 * idx_d)


@functools.lru_cache(maxsize=8192)
def _remembered_value(framework: Any, link: int, levels: tuple[int | None, ...],
                      got: int) -> _Value | None:
    """:func:`_link_value` of a link without items: a function of a few scene levels and a
    step count, so the same few recur across firms (at most 6⁴ × 3 for a link's keys)."""
    return _link_value(_plan(framework).links[link], levels, got, (0, 1))


def _items_gap(framework: Any, result: Any, answers: Any, link: _LinkPlan) -> Ratio:
    """Σ weight × (1 − share) over the link's items."""
    items_n, items_d = 0, 1
    for iid, place in link.items:
        n, d = _share_of(framework, _trace(result, iid, place), answers, iid)
        items_n, items_d = items_n * d + L.ITEM_WEIGHT * (d - n) * items_d, items_d * d
    return items_n, items_d


def priority_matrix(framework: Any, result: Any, answers: Any,
                    levels: Levels | None = None) -> dict[str, Any]:
    """Guide 二（一）: potential value and feasibility of each business link, and an order.

    potential value = Σ gap × weight over the link's scenes (gap = (4 − level)/4, weight 2 for
    a constraining scene, else 1), its data-collection steps (gap 1 if not collected, weight ½)
    and, for production, the equipment items (gap = 1 − points/max, weight 1);
    value index = 100 × value / Σ weight.
    feasibility = 100 × (resources + foundation) / 2, where resources is the mean share of the
    resource answers and foundation the mean of the link's scene levels / 4 and collected
    steps (the guide's notes: start where the foundation is solid and the value high).
    priority = value index × feasibility / 100; links are ordered by priority, then value.
    """
    plan = _plan(framework)
    level_of = _level_reader(plan, result, levels)
    steps = _collected(_trace(result, L.DATA_STEPS, plan.steps_place))
    res_n, res_d = _resources(framework, result, answers)
    rows = []
    applicable: list[_Ranking] = []
    for link in plan.links:
        lvs = tuple(map(level_of, link.scene_ids))
        got = sum(map(steps.__contains__, link.steps))
        if link.items:  # item shares vary too much to remember
            value = _link_value(link, lvs, got, _items_gap(framework, result, answers, link))
        else:
            value = _remembered_value(framework, link.order, lvs, got)
        if value is None:
            rows.append({"id": link.id, "title": link.title.copy(), "applicable": False})
            continue
        # Integer numerator/denominator pairs, as in _link_value: rounded once each.
        base_d = 4 * value.base_count if value.base_count else 1
        fea_n = 50 * (res_n * base_d + value.base_sum * res_d)
        fea_d = res_d * base_d  # 100 × (resources + foundation) / 2
        idx_n, idx_d = value.ratio
        priority = idx_n * fea_n, idx_d * fea_d * 100
        key, label = _QUADRANTS[value.high][fea_n >= 50 * fea_d]
        potential, top, index = value.figures
        row = {
            "id": link.id,
            "title": link.title.copy(),
            "applicable": True,
            "potential_value": potential,
            "max_value": top,
            "value_index": index,
            "feasibility": json_ratio(fea_n, fea_d),
            "priority": json_ratio(*priority),
            "quadrant": key,
            "quadrant_label": label.copy(),
            "weak_scenes": list(value.weak),
        }
        rows.append(row)
        applicable.append((priority[0] / priority[1], row, (priority, value.ratio, -link.order)))
    ranked = _ranked(applicable)
    for rank, row in enumerate(ranked, 1):
        row["rank"] = rank
    return {
        "status": "derived",
        "source": {"doc": "001", "clause": "二（一）"},
        "method": _METHOD.copy(),
        "resources": json_ratio(100 * res_n, res_d),
        "links": rows,
        "order": [r["id"] for r in ranked],
    }


_METHOD = _text(Text(
    zh="潜在价值=Σ(差距×权重)（约束性场景权重2、其他场景1、数据采集环节0.5、设备项1），"
       "价值指数=100×价值/Σ权重；可行性=100×(资源得分+环节基础)/2；优先度=价值指数×可行性/100。",
    en="potential value = Σ(gap × weight) (constraining scene 2, other scene 1, data step "
       "0.5, equipment item 1); value index = 100 × value / Σ weight; feasibility = "
       "100 × (resources + link foundation) / 2; "
       "priority = value index × feasibility / 100."))


# ---------------------------------------------------------------- re-assessment baseline


def baseline(framework: Any, result: Any) -> dict[str, Any]:
    """What guide 二（五） needs to compare a later assessment with this one.

    Item points and scene levels are in ``result.indicators`` under stable full ids; this
    section pins the headline figures and the rule that produced them.
    """
    plan = _plan(framework)
    dims = {}
    found = result.dimensions
    for dim_id, place in plan.scored_dimensions:
        d = found[place] if place < len(found) else None
        if d is None or d.id != dim_id:  # laid out otherwise: by id (see _trace)
            try:
                d = result.dimension(dim_id)
            except KeyError:
                continue
        dims[dim_id] = decimal_to_json(d.points)
    return {
        "source": {"doc": "001", "clause": "二（五）"},
        "framework_version": framework.version,
        "profile": framework.profile,
        "level_rule": plan.level_rule,
        "assessed_on": result.assessed_on.isoformat(),
        "base_score": decimal_to_json(result.total),
        "level_rank": result.level.rank if result.level is not None else 0,
        "dimension_points": dims,
    }


def enrich(framework: Any, answers: Any, result: Any,
           levels: Levels | None = None) -> dict[str, Any]:
    """The plugin's result sections; ``levels`` is :func:`scene_levels` of this result when
    the caller has it already."""
    if levels is None:
        levels = scene_levels(framework, result)
    out: dict[str, Any] = {
        "scene_profile": scene_profile(framework, result, levels),
        "priority_matrix": priority_matrix(framework, result, answers, levels),
        "reassessment_baseline": baseline(framework, result),
    }
    scenes = next_level_scenes(framework, result, levels)
    if scenes is not None:
        out["next_level_scenes"] = scenes
    return out


# ---------------------------------------------------------------- recommendations


def _target_level(result: Any) -> int | None:
    """The scene level the next level asks for (level k needs scenes at level k)."""
    nxt = getattr(result, "next_level", None)
    return None if nxt is None else min(4, nxt.level.rank)


def recommendations(framework: Any, result: Any,
                    levels: Levels | None = None) -> list[Recommendation]:
    """Product categories of the guide for each scene below the next level's scene level,
    constraining scenes first, then the guide's general advice. ``levels`` is
    :func:`scene_levels` of this result when the caller has it already."""
    target = _target_level(result)
    out: list[Recommendation] = []
    if target is not None:
        known = levels or {}
        # (not constraining, level, place, scene): plain tuple order is the advice's order
        weak = [(later, lv, k, iid) for k, (iid, later) in enumerate(_plan(framework).ranked)
                if (lv := known[iid] if iid in known else scene_level(result, iid)) is not None
                and lv < target]
        weak.sort()
        for _, lv, _, iid in weak:
            rec = _scene_advice(framework, iid, lv, target)
            if rec is not None:
                out.append(rec)
    return out + list(_general_advice()) + doubted(framework, result)


@functools.lru_cache(maxsize=4096)
def _scene_advice(framework: Any, iid: str, lv: int, target: int) -> Recommendation | None:
    """The advice for one scene at level ``lv`` when the next level asks for ``target``: a
    function of the framework's constants alone, and immutable, so each is made once."""
    products = _products(iid.rsplit(".", 1)[1], target >= 4)
    if products is None:
        return None
    constrained = iid in _scenes(framework).constrained
    name = framework.names[iid]
    zh, en, source = products
    return Recommendation(
        text=Text(zh=f"「{name.zh}」当前{lv}级，下一等级要求{target}级：可选用{zh}。",
                  en=f"'{name.en}' is at level {lv}; the next level asks for {target}: "
                     f"consider {en}."),
        source=source,
        indicator=iid,
        impact=Decimal(target - lv) * (2 if constrained else 1),
        origin=ORIGIN, kind="scene_step", priority=1 if constrained else 2,
    )


@functools.cache
def _products(scene: str, chain: bool) -> tuple[str, str, Citation] | None:
    """The guide's product categories for a scene (by its local id), zh and en, and the
    clause of the first; ``chain`` adds the supply-chain advice (a level-4 target). The
    tables in :mod:`smesdk_digital.links` are constants: each is worked out once."""
    advice = list(L.SCENE_ADVICE.get(scene, ()))
    if chain and scene in L.CHAIN_SCENES and L.CHAIN_ADVICE not in advice:
        advice.append(L.CHAIN_ADVICE)
    if not advice:
        return None
    return ("；".join(a.products.zh for a in advice), "; ".join(a.products.en for a in advice),
            Citation(doc="001", clause=advice[0].clause))


@functools.cache
def _general_advice() -> tuple[Recommendation, ...]:
    """The guide's general advice, the same for every firm (immutable, so built once)."""
    return tuple(Recommendation(text=advice.products,
                                source=Citation(doc="001", clause=advice.clause),
                                indicator=None, impact=Decimal(0), origin=ORIGIN,
                                kind="general")
                 for advice in L.GENERAL_ADVICE)


def doubted(framework: Any, result: Any) -> list[Recommendation]:
    """The framework's advice for an indicator whose published bands the plugin doubts, again
    with the doubt (the indicator's status note) as its caveat; it replaces the plain advice
    in reports and no longer ranks first on points alone."""
    out = []
    for rec in result.recommendations:
        if rec.indicator not in L.DOUBTFUL_BANDS or rec.origin != "framework":
            continue
        note = framework.indicator(rec.indicator).status_note
        if note is not None:
            out.append(_with_caveat(rec, note))
    return out


def _with_caveat(rec: Recommendation, note: Text) -> Recommendation:
    """The plugin's copy of the framework's advice ``rec`` with the doubt ``note``. The engine
    hands the same advice objects to many results and both are immutable, so each copy is
    made once (attrs.evolve cost more than the rest of the advice hook)."""
    hit = _CAVEATED.get(id(rec))
    if hit is not None and hit[0] is rec and hit[1] is note:
        return hit[2]
    made = attrs.evolve(rec, origin=ORIGIN, kind="points", caveat=note)
    if len(_CAVEATED) >= 1024:
        _CAVEATED.clear()
    _CAVEATED[id(rec)] = (rec, note, made)  # rec kept: its id stays its own
    return made


_CAVEATED: dict[int, tuple[Recommendation, Text, Recommendation]] = {}


_SortKey = tuple[Ratio, Ratio, int]
"""A priority-matrix row's order: priority, value index, minus the guide's order."""

_Ranking = tuple[float, dict[str, Any], _SortKey]
"""An applicable row with its priority as a float and its exact order."""

_FLOAT = operator.itemgetter(0)


def _ranked(rows: list[_Ranking]) -> list[dict[str, Any]]:
    """Priority-matrix rows in their order, largest first: priority, then value, then the
    guide's order. Rounding to a float keeps the order of exact values, so when no two
    priorities share a float the floats order the rows exactly; only then are no Fractions
    made (a few per link, which were much of this section's time)."""
    if len({f for f, _, _ in rows}) == len(rows):
        rows = sorted(rows, key=_FLOAT, reverse=True)
    else:
        rows = sorted(rows, key=_exact_key, reverse=True)
    return [row for _, row, _ in rows]


def _exact_key(ranking: _Ranking) -> tuple[Fraction, Fraction, int]:
    (pn, pd), (vn, vd), order = ranking[2]
    return Fraction(pn, pd), Fraction(vn, vd), order
