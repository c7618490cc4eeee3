"""Level rules: from a scored result to the level reached and what blocks the next one.

The built-in ``bands`` rule covers bands on the total, gates and red lines; plugins add
rules through ``smesdk_register_level_rules``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

import attrs

from smesdk.columnar import ColumnView, NotVectorisable
from smesdk.gates import (
    ScoreView,
    _limits,
    _ratio,
    _within,
    failure_count_columns,
    failures,
    holds,
    holds_columns,
)
from smesdk.numbers import fmt, frac, round_out, round_ratio
from smesdk.result import Blocker, LevelRef, NextLevel
from smesdk.spec import FrameworkSpec, Gate, Level, TotalTest
from smesdk.text import Text


@attrs.frozen
class LevelOutcome:
    level: LevelRef | None
    next_level: NextLevel | None
    caps: list[Blocker]


def level_ref(spec: FrameworkSpec, level: Level) -> LevelRef:
    rank = next(i for i, lv in enumerate(spec.levels, 1) if lv.id == level.id)
    return LevelRef(id=level.id, rank=rank, title=level.title, status=level.status)


class LevelRule:
    """Base class: decide the level of a scored result."""

    name: ClassVar[str] = ""
    #: What ``decide`` reads of the view, when the rule can say: a subset of {"total",
    #: "dim_score", "dim_points", "facts"}. The batch then calls ``decide`` once per distinct
    #: combination of those values instead of once per row. None: it may read anything.
    reads: ClassVar[frozenset[str] | None] = None

    def decide(self, spec: FrameworkSpec, view: ScoreView) -> LevelOutcome:
        raise NotImplementedError

    def decide_columns(self, spec: FrameworkSpec, view: ColumnView) -> tuple[Any, Any]:
        """``decide`` over a whole batch: per row, the index of the level reached in
        ``spec.levels`` (-1 for none) and the number of blockers of the next level.

        Raise NotVectorisable when that cannot be done on arrays (the default)."""
        raise NotVectorisable(f"level rule {self.name!r} on columns")

    def check(self, spec: FrameworkSpec) -> Iterator[tuple[str, str]]:
        """Problems with the framework's level declarations for this rule."""
        return iter(())


class BandsRule(LevelRule):
    """Highest level whose band the total reaches and whose gate holds, lowered by red lines."""

    name = "bands"

    def check(self, spec: FrameworkSpec) -> Iterator[tuple[str, str]]:
        levels = spec.levels
        ids = [lv.id for lv in levels]
        for i, lv in enumerate(levels):
            if ids.count(lv.id) > 1:
                yield f"levels[{i}].id", f"duplicate level id {lv.id!r}"
            if lv.max is not None and lv.max <= lv.min:
                yield f"levels[{i}]", f"band {level_span(lv)} is empty"
            if lv.max is None and lv.max_inclusive:
                yield f"levels[{i}].max_inclusive", "an open band has no upper edge to include"
            if lv.min < 0 or lv.min > 100:
                yield f"levels[{i}].min", "must lie within 0–100"
        for i in range(1, len(levels)):
            prev, cur = levels[i - 1], levels[i]
            if cur.min <= prev.min:
                yield f"levels[{i}].min", "levels are listed lowest first with rising min"
            elif prev.max is None:
                yield f"levels[{i - 1}].max", f"band of {prev.id!r} is open but {cur.id!r} follows"
            elif prev.max > cur.min or (prev.max == cur.min and prev.max_inclusive
                                        and not cur.min_exclusive):
                yield f"levels[{i}]", (f"band of {cur.id!r} {level_span(cur)} overlaps "
                                       f"band of {prev.id!r} {level_span(prev)}")
            elif prev.max < cur.min or (not prev.max_inclusive and cur.min_exclusive):
                yield f"levels[{i}]", (f"gap between band of {prev.id!r} {level_span(prev)} "
                                       f"and band of {cur.id!r} {level_span(cur)}")
        for i, cap in enumerate(spec.level_caps):
            if cap.max_level is not None and cap.max_level not in ids:
                yield f"level_caps[{i}].max_level", f"unknown level {cap.max_level!r}"

    def decide_columns(self, spec: FrameworkSpec, view: ColumnView) -> tuple[Any, Any]:
        import numpy as np

        levels = spec.levels
        n = view.rows
        if not levels:
            return np.full(n, -1), np.zeros(n, dtype=np.int64)
        index = {lv.id: i for i, lv in enumerate(levels)}
        at_min = [view.total_test(level_floor(lv)) for lv in levels]
        reached = np.full(n, -1)
        for i, lv in enumerate(levels):
            ok = at_min[i] if lv.gate is None else at_min[i] & holds_columns(lv.gate, view)
            np.copyto(reached, i, where=ok)
        failing = [(~holds_columns(cap.when, view),
                    index[cap.max_level] if cap.max_level is not None else -1)
                   for cap in spec.level_caps]
        final = reached
        for fails, limit in failing:
            np.minimum(final, limit, out=final, where=fails)
        nxt = final + 1
        blockers = np.zeros(n, dtype=np.int64)
        for j, lv in enumerate(levels):
            here = nxt == j
            if not here.any():
                continue
            count = (~at_min[j]).astype(np.int64)
            if lv.gate is not None:
                count += failure_count_columns(lv.gate, view)
            for fails, limit in failing:
                if limit < j:
                    count += fails
            np.copyto(blockers, count, where=here)
        return final, blockers

    def decide(self, spec: FrameworkSpec, view: ScoreView) -> LevelOutcome:
        levels = spec.levels
        ladder = _ladder(spec)
        total = view.total
        # The total as an exact ratio once; each rung's floor as integer bounds (made once
        # per spec): the same comparison as compare(floor, total), without its look-ups.
        exact = _ratio(total)
        at_floor = [exact is not None and _within(lows, highs, *exact)
                    for lows, highs in ladder.floors]
        reached = -1
        for i, (lv, _, _) in enumerate(ladder.rungs):
            if at_floor[i] and (lv.gate is None or holds(lv.gate, view)):
                reached = i
        caps = [(limit, blocker) for when, limit, blocker in ladder.caps
                if not holds(when, view)]
        final = min([reached, *(limit for limit, _ in caps)])
        level = ladder.rungs[final][2] if final >= 0 else None
        applied = [b for _, b in caps]
        if final + 1 >= len(levels):
            return LevelOutcome(level, None, applied)
        nxt, _, nxt_ref = ladder.rungs[final + 1]
        blockers: list[Blocker] = []
        if not at_floor[final + 1]:
            if exact is not None:  # min − total from the integers at hand: the same value
                (bn, bd, _), = ladder.floors[final + 1][0]  # a floor is one lower bound
                tn, td = exact
                missing = round_ratio(bn * td - tn * bd, bd * td)
            else:
                missing = round_out(frac(nxt.min) - total)
            blockers.append(Blocker(kind="points", missing=missing,
                                    message=_points_text(missing, nxt, total)))
        if nxt.gate is not None:
            blockers += [Blocker(kind="gate", ref=nxt.id, message=t)
                         for t in failures(nxt.gate, view)]
        blockers += [b for limit, b in caps if limit < final + 1]
        return LevelOutcome(level, NextLevel(nxt_ref, blockers), applied)


@attrs.frozen
class _Ladder:
    """A spec's levels as the bands rule reads them on every record: each level with its
    floor test and its reference (both immutable, made once), and level ids to positions."""

    rungs: list[tuple[Level, TotalTest, LevelRef]]
    #: Each rung's floor test as exact integer bounds: (lows, highs) of gates._limits.
    floors: list[tuple[list[tuple[int, int, bool]], list[tuple[int, int, bool]]]]
    index: dict[str, int]
    #: Each red line: its gate, the level it caps at (-1: none) and its blocker when failed.
    caps: list[tuple[Gate, int, Blocker]]


#: id(spec) -> (spec, its ladder); the spec is kept so that its id cannot be reused meanwhile.
_LADDERS: dict[int, tuple[FrameworkSpec, _Ladder]] = {}


def _ladder(spec: FrameworkSpec) -> _Ladder:
    hit = _LADDERS.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    if len(_LADDERS) > 1024:
        _LADDERS.clear()
    index = {lv.id: i for i, lv in enumerate(spec.levels)}
    caps = []
    for cap in spec.level_caps:
        limit = index[cap.max_level] if cap.max_level is not None else -1
        cap_level = spec.levels[limit].title if limit >= 0 else None
        caps.append((cap.when, limit, Blocker(kind="cap", ref=cap.id,
                                              message=_cap_text(cap.title, cap_level))))
    rungs = [(lv, level_floor(lv), level_ref(spec, lv)) for lv in spec.levels]
    floors = []
    for _, floor, _ in rungs:
        eq, limits = _limits(floor)
        assert eq is None  # a floor is a lower edge alone
        floors.append(limits)
    ladder = _Ladder(rungs, floors, index, caps)
    _LADDERS[id(spec)] = (spec, ladder)
    return ladder


def level_floor(level: Level) -> TotalTest:
    """The test a total passes to reach ``level``: its lower edge, inclusive or not.

    Per record and on columns, the level rule asks this one object (the batch remembers
    column tests by the test's identity, so equal edges give the very same object)."""
    return _edge(level.min, level.min_exclusive)


@functools.lru_cache(maxsize=1024)
def _edge(bound: Decimal, exclusive: bool) -> TotalTest:
    return TotalTest(gt=bound) if exclusive else TotalTest(ge=bound)


def level_span(level: Level, show: Callable[[Decimal], str] = fmt, *,
               open_top: bool = False) -> str:
    """A level's band as published: ``[0, 25]``, ``(25, 50]``, ``[60, 80)``, ``> 75``
    (``open_top``: its lower edge alone)."""
    low = ("(" if level.min_exclusive else "[") + show(level.min)
    if level.max is None or open_top:
        return f"{'>' if level.min_exclusive else '≥'} {show(level.min)}"
    return f"{low}, {show(level.max)}{']' if level.max_inclusive else ')'}"


def ladder_span(level: Level, show: Callable[[Decimal], str] = fmt) -> str:
    """A level's band in a ladder (reports, terminal): ``60–80`` and ``80+`` for the usual
    [min, max), the published edges (:func:`level_span`) when the level declares them."""
    if level.min_exclusive or level.max_inclusive:
        return level_span(level, show)
    return show(level.min) + (f"–{show(level.max)}" if level.max is not None else "+")


def _points_text(missing: Decimal, level: Level, total: Fraction) -> Text:
    if level.min_exclusive:
        now = fmt(round_out(total))
        return Text(zh=f"总分须高于 {fmt(level.min)}（当前 {now}）",
                    en=f"a total above {fmt(level.min)} needed (now {now})")
    short, need = fmt(missing), fmt(level.min)
    return Text(zh=f"总分还差 {short} 分（需 {need}）", en=f"{short} more points needed (total {need})")


def _cap_text(title: Text, cap: Text | None) -> Text:
    if cap is None:
        return Text(zh=f"红线未达：{title.zh}（不评级）", en=f"red line not met: {title.en} (no level)")
    return Text(zh=f"红线未达：{title.zh}（最高{cap.zh}）",
                en=f"red line not met: {title.en} (capped at {cap.en})")


BUILTIN_LEVEL_RULES: tuple[LevelRule, ...] = (BandsRule(),)
