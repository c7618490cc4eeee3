"""A plan to a target level: the smallest set of answer changes that reaches it.

Each change moves one indicator up its answer ladder (``AnswerKind.ladder``). Every candidate
plan is checked by scoring it with the framework itself, so gates, prerequisites
(``depends_on``) and red lines are respected by construction, never re-implemented here.

The search is **exact** while it fits its budget: every set of 1, 2, … changes (each at its
indicator's best answer) is scored until one reaches the target, so no smaller plan exists;
among the plans of that size the one with the least effort wins. This relies on the format's
promise that a better answer never scores less, and on gates that ask for more, not less.
Beyond the budget the plan is a **heuristic** (and says so): indicators are added in order of
the points each is worth alone until the target is reached, then every change that is not
needed is taken out again; the plan then also says the size below which no plan exists (and
is exact after all when it has just that size).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import attrs

from smesdk.answers import Answer, AnswerSet
from smesdk.errors import AnswerError, SmesdkError
from smesdk.framework import Framework
from smesdk.numbers import round_out
from smesdk.result import Blocker, LevelRef, Result
from smesdk.spec import Citations, Status
from smesdk.text import Text

#: Scorings the exact search may spend; beyond it the plan is heuristic.
EXACT_BUDGET = 4000


@attrs.frozen
class Step:
    """One answer change: an indicator moved up its ladder, with why and what it is worth."""

    indicator: str
    title: Text
    phase: int
    before: Text
    after: Text
    value: Any
    rungs: int
    #: points of the total the step adds, the rest of the plan in place
    points: Decimal
    source: Citations
    status: Status
    effort: Decimal | None = None
    recommendation: Text | None = None


@attrs.frozen
class UpliftPlan:
    framework: str
    version: str
    profile: str | None
    target: LevelRef
    reached: bool
    method: Literal["exact", "heuristic", "already there", "unreachable"]
    #: no plan with fewer changes than this exists (proved by the exhaustive part of the search)
    lower_bound: int
    scored: int
    total_before: Decimal
    total_after: Decimal
    level_after: LevelRef | None
    steps: list[Step]
    #: indicators whose answers cannot be planned (no ladder, e.g. dates and text)
    not_planned: list[str] = attrs.field(factory=list)
    #: unreachable: what still blocks the next level with every answer at its best
    blockers: list[Blocker] = attrs.field(factory=list)
    #: unreachable: the figures the target's conditions read that a plan does not change
    #: (facts about the firm such as its revenue, not practices), why answers alone cannot
    #: reach it
    held: list[str] = attrs.field(factory=list)

    def to_json(self, *, indent: int | None = 2) -> str:
        from smesdk.convert import dumps_json

        return dumps_json(self, indent=indent)


@attrs.frozen
class _Rung:
    value: Any
    climbed: int
    effort: Fraction


def _level(fw: Framework, target: str) -> tuple[int, LevelRef]:
    ids = [lv.id for lv in fw.spec.levels]
    if target not in ids:
        raise SmesdkError([f"{fw.id}: no level {target!r} (levels: {', '.join(ids)})"])
    result_levels = {lv.id: rank for rank, lv in enumerate(fw.spec.levels, 1)}
    lv = fw.spec.levels[ids.index(target)]
    return result_levels[target], LevelRef(lv.id, result_levels[target], lv.title, lv.status)


def _current(fw: Framework, answers: AnswerSet, iid: str) -> Answer | None:
    if iid in answers.answers:
        return answers.answers[iid]
    fact = fw.indicator(iid).fact
    return answers.facts.get(fact) if fact else None


def _effort(fw: Framework, iid: str) -> Fraction | None:
    """The plugin-declared effort of one rung (indicator ``params.effort``), if any."""
    value = fw.indicator(iid).params.get("effort")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise SmesdkError([f"{iid}: params.effort must be a number, not {value!r}"])
    return Fraction(str(value))


def _rungs(fw: Framework, answers: AnswerSet, iid: str) -> list[_Rung]:
    """The answers above the current one, lowest first, one per distinct number of points."""
    ind, kind = fw.indicator(iid), fw.kinds[iid]
    ladder = kind.ladder(ind)
    current = _current(fw, answers, iid)
    scored = fw.scored[iid]
    now_points: Fraction | None = None
    now_index = -1
    if current is not None and not current.na and current.value is not None:
        parsed = kind.parse(ind, current.value)
        if scored:
            now_points = kind.points(ind, parsed, answers.date)
        for i, rung in enumerate(ladder):
            if kind.parse(ind, rung) == parsed:
                now_index = i
    effort = _effort(fw, iid)
    out: list[_Rung] = []
    seen: set[Fraction] = set()
    for i, rung in enumerate(ladder):
        if scored:
            points = kind.points(ind, kind.parse(ind, rung), answers.date)
            if (now_points is not None and points <= now_points) or points in seen:
                continue
            seen.add(points)
        elif i <= now_index or (current is not None and now_index < 0):
            # an unscored answer off its ladder (a free figure such as revenue): no way up
            continue
        climbed = len(out) + 1
        out.append(_Rung(rung, climbed, (effort if effort is not None else Fraction(1)) * climbed))
    return out


class _Search:
    def __init__(self, fw: Framework, answers: AnswerSet, rank: int) -> None:
        self.fw, self.answers, self.rank = fw, answers, rank
        self.scored = 0

    def score(self, changes: dict[str, Any]) -> Result | None:
        """The result with ``changes`` made; None when they leave the answers incomplete
        (e.g. a prerequisite now met makes its dependent required: a plan must answer both)."""
        self.scored += 1
        merged = {**self.answers.answers, **{k: Answer(value=v) for k, v in changes.items()}}
        try:
            return self.fw.assess(attrs.evolve(self.answers, answers=merged))
        except AnswerError:
            return None

    def result(self, changes: dict[str, Any]) -> Result:
        result = self.score(changes)
        assert result is not None  # only asked of plans already scored
        return result

    def reaches(self, result: Result | None) -> bool:
        return result is not None and result.level is not None and result.level.rank >= self.rank


def _total(result: Result | None) -> Decimal:
    return result.total if result is not None else Decimal(0)


def _total_effort(choice: dict[str, _Rung]) -> tuple[Fraction, int]:
    return sum((r.effort for r in choice.values()), Fraction(0)), sum(r.climbed for r in choice.values())


def _cheapest(search: _Search, ladders: dict[str, list[_Rung]], ids: Iterable[str]
              ) -> dict[str, _Rung]:
    """The plan's rungs lowered one indicator at a time while the target stays reached."""
    choice = {iid: ladders[iid][-1] for iid in ids}
    for iid in list(choice):
        for rung in ladders[iid]:
            if rung is choice[iid]:
                break
            trial = {**choice, iid: rung}
            if search.reaches(search.score({k: r.value for k, r in trial.items()})):
                choice = trial
                break
    return choice


def plan_to_level(fw: Framework, answers: AnswerSet, target: str, *,
                  budget: int = EXACT_BUDGET) -> UpliftPlan:
    """The smallest set of answer changes that lifts ``answers`` to level ``target``."""
    rank, target_ref = _level(fw, target)
    search = _Search(fw, answers, rank)
    start = search.result({})
    ladders = {iid: _rungs(fw, answers, iid) for iid in fw.indicator_ids
               if fw.kinds[iid].ladder(fw.indicator(iid))}
    ladders = {iid: rungs for iid, rungs in ladders.items() if rungs}
    not_planned = [iid for iid in fw.indicator_ids
                   if not fw.kinds[iid].ladder(fw.indicator(iid)) and fw.scored[iid]]

    def finish(method: Any, choice: dict[str, _Rung], bound: int,
               blockers: list[Blocker] | None = None, held: list[str] | None = None
               ) -> UpliftPlan:
        final = search.score({k: r.value for k, r in choice.items()}) or start
        steps = _steps(fw, search, choice, start, final)
        return UpliftPlan(fw.id, fw.version, fw.profile, target_ref, search.reaches(final),
                          method, bound, search.scored, start.total, final.total, final.level,
                          steps, not_planned, blockers or [], held or [])

    if search.reaches(start):
        return finish("already there", {}, 0)
    everything = search.score({iid: rungs[-1].value for iid, rungs in ladders.items()})
    if not search.reaches(everything):  # not even every answer at its best reaches it
        top = everything if everything is not None else start
        return finish("unreachable", {}, 0, top.next_level.blockers if top.next_level else [],
                      _held(fw, answers, target, ladders))
    ids = sorted(ladders, key=fw.indicator_ids.index)
    proved = 0  # every plan of this many changes or fewer has been tried and fails
    for size in range(1, len(ids) + 1):
        if search.scored + math.comb(len(ids), size) > budget:
            break
        found = [combo for combo in itertools.combinations(ids, size)
                 if search.reaches(search.score({i: ladders[i][-1].value for i in combo}))]
        if found:
            best = min((_cheapest(search, ladders, combo) for combo in found), key=_total_effort)
            return finish("exact", best, size)
        proved = size
    # heuristic: add indicators by the points each is worth alone, then drop the unneeded
    alone = {iid: _total(search.score({iid: ladders[iid][-1].value})) for iid in ids}
    chosen: list[str] = []
    for iid in sorted(ids, key=lambda i: (-alone[i], ids.index(i))):
        chosen.append(iid)
        if search.reaches(search.score({i: ladders[i][-1].value for i in chosen})):
            break
    for iid in list(reversed(chosen)):
        trial = [i for i in chosen if i != iid]
        if search.reaches(search.score({i: ladders[i][-1].value for i in trial})):
            chosen = trial
    # a heuristic plan no larger than the proven bound is the smallest after all
    method = "exact" if len(chosen) == proved + 1 else "heuristic"
    return finish(method, _cheapest(search, ladders, chosen), proved + 1)


def _held(fw: Framework, answers: AnswerSet, target: str, ladders: dict[str, list[_Rung]]
          ) -> list[str]:
    """The indicators the target level's gates and the red lines read that no step may
    change: no ladder, or an unscored figure off its ladder (revenue, new equity)."""
    from smesdk.gates import references

    level = next(lv for lv in fw.spec.levels if lv.id == target)
    gates = [g for g in (level.gate, *(cap.when for cap in fw.spec.level_caps)) if g is not None]
    read = {ref for gate in gates for kind, ref in references(gate) if kind == "indicator"}

    def fixed(iid: str) -> bool:
        if iid in ladders:  # there is a step up
            return False
        ind, kind = fw.indicator(iid), fw.kinds[iid]
        ladder = kind.ladder(ind)
        current = _current(fw, answers, iid)
        if not ladder:
            return True
        if fw.scored[iid] or current is None or current.value is None:
            return False  # already at its best
        return kind.parse(ind, current.value) not in [kind.parse(ind, v) for v in ladder]

    return [iid for iid in fw.indicator_ids if iid in read and fixed(iid)]


def _steps(fw: Framework, search: _Search, choice: dict[str, _Rung], start: Result,
           final: Result) -> list[Step]:
    """The plan's steps, quick wins (one rung up) first, then by effort; each with its worth."""
    steps = []
    for iid, rung in choice.items():
        ind, kind = fw.indicator(iid), fw.kinds[iid]
        parsed = kind.parse(ind, rung.value)
        without = _total(search.score({k: r.value for k, r in choice.items() if k != iid}))
        declared = _effort(fw, iid) is not None
        steps.append(Step(
            indicator=iid, title=fw.names[iid], phase=1 if rung.climbed == 1 else 2,
            before=start.indicator(iid).rule, after=kind.explain(ind, parsed),
            value=kind.to_json(parsed), rungs=rung.climbed,
            points=final.total - without, source=ind.source, status=ind.status,
            effort=round_out(rung.effort) if declared else None,
            recommendation=ind.recommendation))
    return sorted(steps, key=lambda s: (s.phase, s.effort or 0, -s.points,
                                        fw.indicator_ids.index(s.indicator)))
