"""The tier verdict of a result: qualified or not, by which route, and what blocks it.

Everything is read from the framework's own level gate, so the rule is written once (in the
YAML) and asked here: the routes are the labelled alternatives of the `any` gate named by
the framework's ``params.tier.routes`` (a path of ``all`` indices from the level gate), and a
blocker is a failing labelled part of the gate, worded by its label with the firm's figure.

The gates are evaluated with the core's :func:`smesdk.holds` on a view rebuilt from the
result. The result's numbers are rounded to 4 decimals; the tier frameworks award whole
points and compare raw answers, so the rebuilt view decides exactly as the engine did (the
tests check that the verdict agrees with ``result.level`` on every example and generated set).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from smesdk import Gate, ScoreView, Text, describe, holds

if TYPE_CHECKING:
    from smesdk import AnswerSet, Framework, Result

SECTION = "tier"


def _frac(value: Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(value)


def view_of(fw: Framework, answers: AnswerSet, result: Result) -> ScoreView:
    """What the level gates saw, rebuilt from the result and its answers."""
    ind_answer: dict[str, Any] = {}
    ind_level: dict[str, Fraction | None] = {}
    facts: dict[str, Any] = {k: a.value for k, a in answers.facts.items() if not a.na}
    for item in result.indicators:
        ind_answer[item.id] = item.answer
        level = None
        if item.answer is not None:
            ind = fw.indicator(item.id)
            level = fw.kinds[item.id].level(ind, fw.kinds[item.id].parse(ind, item.answer))
            if ind.fact:
                facts[ind.fact] = item.answer
        ind_level[item.id] = level
    return ScoreView(
        total=Fraction(result.total),
        dim_score={d.id: _frac(d.score) for d in result.dimensions},
        dim_points={d.id: Fraction(d.points) for d in result.dimensions},
        ind_score={i.id: _frac(i.score) for i in result.indicators},
        ind_points={i.id: Fraction(i.points) for i in result.indicators},
        ind_level=ind_level, ind_answer=ind_answer, facts=facts,
        sets=fw.spec.sets, names=fw.names)


def _route_gate(fw: Framework) -> Gate | None:
    level = fw.spec.levels[-1] if fw.spec.levels else None
    gate = level.gate if level is not None else None
    for index in fw.spec.params.get("tier", {}).get("routes", []):
        if gate is None:
            break
        gate = gate.all[index]
    return gate


def _leaf_value(fw: Framework, gate: Gate, view: ScoreView) -> tuple[str, str] | None:
    """The firm's figure a leaf tests, with its unit, for the blocker's wording."""
    if gate.indicator is not None:
        iid = gate.indicator.id
        value = view.ind_answer.get(iid)
        ind = fw.indicator(iid)
        unit = ind.unit or (Text(zh="%", en="%") if ind.kind == "percent" else None)
        if value is None:
            return "未填", "not given"
        if isinstance(value, bool):
            return ("是", "yes") if value else ("否", "no")
        label = next((o.label for o in ind.options if o.value == value), None) or \
            next((lv.label for lv in ind.scale if lv.level == value), None)
        if label is not None:
            return label.zh, label.en
        if isinstance(value, float):  # as the answer was written: 2.6, not 2.6000
            value = format(Decimal(repr(value)).normalize(), "f")
        return f"{value}{unit.zh if unit else ''}", f"{value}{' ' + unit.en if unit else ''}"
    if gate.any and all(g.indicator is not None for g in gate.any):
        leaves = list({g.indicator.id: g for g in gate.any if g.indicator}.values())
        if len(leaves) == 1:
            return _leaf_value(fw, leaves[0], view)
        # Alternatives on different figures (revenue or equity): name each with its value.
        shown = [(fw.names[g.indicator.id], _leaf_value(fw, g, view)) for g in leaves
                 if g.indicator]
        return ("，".join(f"{n.zh} {v[0]}" for n, v in shown if v),
                ", ".join(f"{n.en} {v[1]}" for n, v in shown if v))
    return None


def blockers(fw: Framework, gate: Gate, view: ScoreView) -> list[Text]:
    """Each failing part of the gate in plain words: its label and the firm's figure."""
    if holds(gate, view):
        return []
    if gate.label is None and gate.all:
        return [text for g in gate.all for text in blockers(fw, g, view)]
    if gate.label is None and not gate.any:
        return [describe(gate, view)]
    if gate.label is None:  # an unlabelled choice of routes: one line naming them all
        return [describe(gate, view)]
    now = _leaf_value(fw, gate, view)
    if now is not None:
        return [Text(zh=f"{gate.label.zh}：当前 {now[0]}", en=f"{gate.label.en}: now {now[1]}")]
    detail = [describe(g, view) for g in gate.all if not holds(g, view)] if gate.all else []
    if not detail:
        return [gate.label]
    return [Text(zh=f"{gate.label.zh}（{'；'.join(d.zh for d in detail)}）",
                 en=f"{gate.label.en} ({'; '.join(d.en for d in detail)})")]


def _text(t: Text) -> dict[str, str]:
    return {"zh": t.zh, "en": t.en}


def compute(fw: Framework, answers: AnswerSet, result: Result) -> dict[str, Any]:
    """The verdict section: tier, qualified, routes held, and the blockers when not."""
    view = view_of(fw, answers, result)
    level = fw.spec.levels[-1]
    routes_gate = _route_gate(fw)
    alternatives = routes_gate.any if routes_gate is not None else []
    held = [_text(g.label) for g in alternatives if g.label is not None and holds(g, view)]
    qualified = result.level is not None and result.level.id == level.id
    gate_blockers = blockers(fw, level.gate, view) if level.gate is not None else []
    return {
        "tier": fw.spec.params["tier"]["rank"],
        "title": _text(fw.spec.title),
        "qualified": qualified,
        "status": level.status,
        "route": held[0] if qualified and held else None,
        "routes": held if qualified else [],
        "blockers": [] if qualified else [_text(b) for b in gate_blockers],
    }
