"""Gates: conditions on a scored result, declared as data (all/any/not over simple tests)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from smesdk.numbers import fmt, frac, round_out
from smesdk.spec import CountTest, DimensionTest, FactTest, Gate, IndicatorTest, TotalTest
from smesdk.text import Text

_OPS = (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<"))


@attrs.frozen
class ScoreView:
    """What gates can see of a scored answer set. Scores are 0–100; None means left out."""

    total: Fraction
    dim_score: dict[str, Fraction | None]
    dim_points: dict[str, Fraction]
    ind_score: dict[str, Fraction | None]
    ind_points: dict[str, Fraction]
    ind_level: dict[str, Fraction | None]
    ind_answer: dict[str, Any]
    facts: dict[str, Any]
    sets: dict[str, list[str]]
    names: dict[str, Text]


Test = TotalTest | DimensionTest | IndicatorTest | FactTest | CountTest


def _bounds(test: Test) -> list[tuple[str, Decimal]]:
    return [(sym, getattr(test, op)) for op, sym in _OPS if getattr(test, op) is not None]


def _compare(test: Test, value: Any) -> bool:
    eq = getattr(test, "eq", None)
    if eq is not None and value != eq:
        return False
    bounds = [(op, getattr(test, op)) for op, _ in _OPS if getattr(test, op) is not None]
    if not bounds:
        return eq is not None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        return False
    v = frac(Decimal(repr(value))) if isinstance(value, float) else frac(value)
    for op, bound in bounds:
        b = frac(bound)
        if (op == "ge" and v < b) or (op == "gt" and v <= b) or (op == "le" and v > b) or (
            op == "lt" and v >= b
        ):
            return False
    return True


def _cond(test: Test) -> str:
    parts = [f"{sym} {fmt(bound)}" for sym, bound in _bounds(test)]
    eq = getattr(test, "eq", None)
    if eq is not None:
        parts.append(f"= {_show_value(eq)}")
    return ", ".join(parts)


def _show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        return fmt(round_out(value))
    return str(value)


def _indicator_value(test: IndicatorTest | CountTest, iid: str, view: ScoreView) -> Any:
    if test.measure == "score":
        return view.ind_score.get(iid)
    if test.measure == "points":
        return view.ind_points.get(iid)
    if test.measure == "level":
        return view.ind_level.get(iid)
    return view.ind_answer.get(iid)


def count_ids(test: CountTest, sets: dict[str, list[str]]) -> list[str]:
    return list(sets.get(test.set, [])) if test.set else list(test.ids)


def holds(gate: Gate, view: ScoreView) -> bool:
    """Whether the gate holds for this result."""
    if gate.all:
        return all(holds(g, view) for g in gate.all)
    if gate.any:
        return any(holds(g, view) for g in gate.any)
    if gate.not_ is not None:
        return not holds(gate.not_, view)
    if gate.total is not None:
        return _compare(gate.total, view.total)
    if gate.dimension is not None:
        t = gate.dimension
        value = view.dim_score.get(t.id) if t.measure == "score" else view.dim_points.get(t.id)
        return value is not None and _compare(t, value)
    if gate.indicator is not None:
        value = _indicator_value(gate.indicator, gate.indicator.id, view)
        return value is not None and _compare(gate.indicator, value)
    if gate.fact is not None:
        return gate.fact.key in view.facts and _compare(gate.fact, view.facts[gate.fact.key])
    if gate.count is not None:
        return _count_passing(gate.count, view)[0] >= gate.count.at_least
    return True


def _count_passing(test: CountTest, view: ScoreView) -> tuple[int, list[str]]:
    passing, failing = 0, []
    for iid in count_ids(test, view.sets):
        value = _indicator_value(test, iid, view)
        if value is not None and _compare(test, value):
            passing += 1
        elif view.ind_score.get(iid) is not None or view.ind_answer.get(iid) is not None:
            failing.append(iid)  # N/A and inapplicable ones cannot be improved: not listed
    return passing, failing


def _measure_name(measure: str) -> tuple[str, str]:
    return {
        "score": ("得分", "score"),
        "points": ("分值", "points"),
        "level": ("等级", "level"),
        "answer": ("答案", "answer"),
    }[measure]


def describe(gate: Gate, view: ScoreView) -> Text:
    """The gate in words, with the current values (for blockers)."""
    if gate.label is not None:  # the author's wording replaces the generated one
        return gate.label
    if gate.all:
        parts = [describe(g, view) for g in gate.all]
        return Text(zh="；".join(p.zh for p in parts), en="; ".join(p.en for p in parts))
    if gate.any:
        parts = [describe(g, view) for g in gate.any]
        return Text(
            zh="以下任一：" + " | ".join(p.zh for p in parts),
            en="any one of: " + " | ".join(p.en for p in parts),
        )
    if gate.not_ is not None:
        inner = describe(gate.not_, view)
        return Text(zh=f"并非（{inner.zh}）", en=f"not ({inner.en})")
    if gate.total is not None:
        now = _show_value(view.total)
        return Text(zh=f"总分 {_cond(gate.total)}（当前 {now}）",
                    en=f"total {_cond(gate.total)} (now {now})")
    if gate.dimension is not None:
        t = gate.dimension
        name = view.names.get(t.id, Text(zh=t.id, en=t.id))
        value = view.dim_score.get(t.id) if t.measure == "score" else view.dim_points.get(t.id)
        mzh, men = _measure_name(t.measure)
        now = _show_value(value) if value is not None else "-"
        return Text(zh=f"{name.zh}{mzh} {_cond(t)}（当前 {now}）",
                    en=f"{name.en} {men} {_cond(t)} (now {now})")
    if gate.indicator is not None:
        it = gate.indicator
        name = view.names.get(it.id, Text(zh=it.id, en=it.id))
        value = _indicator_value(it, it.id, view)
        mzh, men = _measure_name(it.measure)
        now = _show_value(value) if value is not None else "-"
        return Text(zh=f"「{name.zh}」{mzh} {_cond(it)}（当前 {now}）",
                    en=f"'{name.en}' {men} {_cond(it)} (now {now})")
    if gate.fact is not None:
        ft = gate.fact
        now = _show_value(view.facts[ft.key]) if ft.key in view.facts else "-"
        return Text(zh=f"事实 {ft.key} {_cond(ft)}（当前 {now}）",
                    en=f"fact {ft.key} {_cond(ft)} (now {now})")
    if gate.count is not None:
        ct = gate.count
        passing, failing = _count_passing(ct, view)
        scope = f"「{ct.set}」" if ct.set else ""
        mzh, men = _measure_name(ct.measure)
        names = [view.names.get(i, Text(zh=i, en=i)) for i in failing]
        zh = (f"{scope}中至少 {ct.at_least} 项{mzh} {_cond(ct)}（当前 {passing} 项；"
              f"未达：{'、'.join(n.zh for n in names) or '无'}）")
        en = (f"at least {ct.at_least} of {ct.set or 'the listed indicators'} with {men} "
              f"{_cond(ct)} (now {passing}; not yet: {', '.join(n.en for n in names) or 'none'})")
        return Text(zh=zh, en=en)
    return Text(zh="（空条件）", en="(empty condition)")


def failures(gate: Gate, view: ScoreView) -> list[Text]:
    """The failing parts of a gate: each failing leaf of an ``all``, an ``any`` as one line."""
    if holds(gate, view):
        return []
    if gate.all and gate.label is None:
        return [text for g in gate.all for text in failures(g, view)]
    return [describe(gate, view)]


def references(gate: Gate) -> Iterator[tuple[str, str]]:
    """(kind, id) pairs a gate refers to: dimension, indicator, set."""
    for sub in (*gate.all, *gate.any, *([gate.not_] if gate.not_ else [])):
        yield from references(sub)
    if gate.dimension is not None:
        yield "dimension", gate.dimension.id
    if gate.indicator is not None:
        yield "indicator", gate.indicator.id
    if gate.count is not None:
        if gate.count.set:
            yield "set", gate.count.set
        for iid in gate.count.ids:
            yield "indicator", iid


def shape_problems(gate: Gate, path: str) -> Iterator[tuple[str, str]]:
    """A gate must set exactly one test; comparisons need at least one bound."""
    set_fields = [
        name for name in ("all", "any", "not_", "total", "dimension", "indicator", "fact", "count")
        if getattr(gate, name)
    ]
    if len(set_fields) != 1:
        got = ", ".join(f.rstrip("_") for f in set_fields) or "nothing"
        yield path, f"a gate sets exactly one of all/any/not/total/dimension/indicator/fact/count, " \
                    f"got {got}"
    for i, sub in enumerate(gate.all):
        yield from shape_problems(sub, f"{path}.all[{i}]")
    for i, sub in enumerate(gate.any):
        yield from shape_problems(sub, f"{path}.any[{i}]")
    if gate.not_ is not None:
        yield from shape_problems(gate.not_, f"{path}.not")
    for name in ("total", "dimension", "indicator", "fact", "count"):
        test = getattr(gate, name)
        if test is not None and not _bounds(test) and getattr(test, "eq", None) is None:
            yield f"{path}.{name}", "a comparison needs ge, gt, le, lt or eq"
    if gate.count is not None and gate.count.at_least < 1:
        yield f"{path}.count.at_least", "must be at least 1"
    if gate.count is not None and bool(gate.count.set) == bool(gate.count.ids):
        yield f"{path}.count", "give either set or ids"
