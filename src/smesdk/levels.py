"""Level rules: from a scored result to the level reached and what blocks the next one.

The built-in ``bands`` rule covers bands on the total, gates and red lines; plugins add
rules through ``smesdk_register_level_rules``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import attrs

from smesdk.gates import ScoreView, failures, holds
from smesdk.numbers import fmt, frac, round_out
from smesdk.result import Blocker, LevelRef, NextLevel
from smesdk.spec import FrameworkSpec, Level
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

    def decide(self, spec: FrameworkSpec, view: ScoreView) -> LevelOutcome:
        raise NotImplementedError

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
                yield f"levels[{i}]", f"band [{fmt(lv.min)}, {fmt(lv.max)}) is empty"
            if lv.min < 0 or lv.min > 100:
                yield f"levels[{i}].min", "must lie within 0–100"
        for i in range(1, len(levels)):
            prev, cur = levels[i - 1], levels[i]
            if cur.min <= prev.min:
                yield f"levels[{i}].min", "levels are listed lowest first with rising min"
            elif prev.max is None:
                yield f"levels[{i - 1}].max", f"band of {prev.id!r} is open but {cur.id!r} follows"
            elif prev.max > cur.min:
                yield f"levels[{i}]", (f"band of {cur.id!r} starting at {fmt(cur.min)} overlaps "
                                       f"band of {prev.id!r} ending at {fmt(prev.max)}")
            elif prev.max < cur.min:
                yield f"levels[{i}]", (f"gap between band of {prev.id!r} ending at {fmt(prev.max)} "
                                       f"and band of {cur.id!r} starting at {fmt(cur.min)}")
        for i, cap in enumerate(spec.level_caps):
            if cap.max_level is not None and cap.max_level not in ids:
                yield f"level_caps[{i}].max_level", f"unknown level {cap.max_level!r}"

    def decide(self, spec: FrameworkSpec, view: ScoreView) -> LevelOutcome:
        levels = spec.levels
        index = {lv.id: i for i, lv in enumerate(levels)}
        reached = -1
        for i, lv in enumerate(levels):
            if view.total >= frac(lv.min) and (lv.gate is None or holds(lv.gate, view)):
                reached = i
        caps: list[tuple[int, Blocker]] = []
        for cap in spec.level_caps:
            if holds(cap.when, view):
                continue
            limit = index[cap.max_level] if cap.max_level is not None else -1
            cap_level = levels[limit].title if limit >= 0 else None
            caps.append((limit, Blocker(kind="cap", ref=cap.id,
                                        message=_cap_text(cap.title, cap_level))))
        final = min([reached, *(limit for limit, _ in caps)])
        level = level_ref(spec, levels[final]) if final >= 0 else None
        applied = [b for _, b in caps]
        if final + 1 >= len(levels):
            return LevelOutcome(level, None, applied)
        nxt = levels[final + 1]
        blockers: list[Blocker] = []
        if view.total < frac(nxt.min):
            missing = round_out(frac(nxt.min) - view.total)
            blockers.append(Blocker(
                kind="points", missing=missing,
                message=Text(zh=f"总分还差 {fmt(missing)} 分（需 {fmt(nxt.min)}）",
                             en=f"{fmt(missing)} more points needed (total {fmt(nxt.min)})")))
        if nxt.gate is not None:
            blockers += [Blocker(kind="gate", ref=nxt.id, message=t)
                         for t in failures(nxt.gate, view)]
        blockers += [b for limit, b in caps if limit < final + 1]
        return LevelOutcome(level, NextLevel(level_ref(spec, nxt), blockers), applied)


def _cap_text(title: Text, cap: Text | None) -> Text:
    if cap is None:
        return Text(zh=f"红线未达：{title.zh}（不评级）", en=f"red line not met: {title.en} (no level)")
    return Text(zh=f"红线未达：{title.zh}（最高{cap.zh}）",
                en=f"red line not met: {title.en} (capped at {cap.en})")


BUILTIN_LEVEL_RULES: tuple[LevelRule, ...] = (BandsRule(),)
