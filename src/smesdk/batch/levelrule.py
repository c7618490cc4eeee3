"""A plugin level rule over a batch: the rule's own ``decide``, once per distinct view.

What a level rule reads (:class:`smesdk.gates.ScoreView`) is fixed by each row's answers as
the compiled scorer sees them: every indicator's status and answer (its code among the
column's distinct values, its number or its option mask), the fact cells and the assessment
date. Rows equal on all of these get the same view, so the view is built from the columns once
per distinct tuple — never by scoring a row again — and the rule decides once for all of them.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from smesdk.batch.cells import Unsupported, distinct
from smesdk.batch.columns import FACT_PREFIX
from smesdk.gates import ScoreView
from smesdk.tree import ROOT

if TYPE_CHECKING:
    from smesdk.batch.compiled import _Run


def plugin_levels(run: _Run) -> tuple[np.ndarray, np.ndarray]:
    """(level index or -1, blocker count) per row, as the framework's level rule decides."""
    from smesdk.batch.compiled import _LEFT_OUT, _PRESENT

    fw = run.fw
    rule = fw.registry.level_rules.get(fw.spec.level_rule)
    assert rule is not None
    index = {lv.id: i for i, lv in enumerate(fw.spec.levels)}
    keys: list[np.ndarray] = [run.days]
    answers: dict[str, np.ndarray] = {}
    for iid in fw.indicator_ids:
        parsed = run.parsed[iid]
        ident = parsed.ident
        if ident is None and not parsed.given.any():
            ident = np.zeros(run.n, dtype=np.int64)  # nothing answered
        if ident is None:
            raise Unsupported(f"level rule {fw.spec.level_rule!r} over answers given as facts")
        answers[iid] = ident
        keys += [run.status[iid], ident]
    facts: dict[str, tuple[np.ndarray, list[Any]]] = {}
    for name, col in run.cols.items():
        if name.startswith(FACT_PREFIX) and not pa.types.is_null(col.type):
            if pa.types.is_nested(col.type):
                raise Unsupported(f"level rule {fw.spec.level_rule!r} with fact cells of "
                                  f"type {col.type}")
            codes, values = distinct(col)
            facts[name[len(FACT_PREFIX):]] = (codes, values)
            keys.append(codes)
    _, first, inverse = np.unique(np.stack(keys, axis=1), axis=0, return_index=True,
                                  return_inverse=True)
    levels = np.full(len(first), -1, dtype=np.int64)
    blockers = np.zeros(len(first), dtype=np.int64)
    bad = np.zeros(len(first), dtype=bool)
    for t, row in enumerate(first.tolist()):
        try:
            view = _view(run, row, facts, _LEFT_OUT, _PRESENT)
            outcome = rule.decide(fw.spec, view)
        except Exception:  # an invalid row, or the rule's own failure: per record tells
            bad[t] = True
            continue
        levels[t] = index[outcome.level.id] if outcome.level is not None else -1
        blockers[t] = len(outcome.next_level.blockers) if outcome.next_level is not None else 0
    inverse = inverse.reshape(-1)
    if bad.any():
        run.suspect |= bad[inverse]
    return levels[inverse], blockers[inverse]


def _view(run: _Run, row: int, facts: dict[str, tuple[np.ndarray, list[Any]]],
          left_out: np.ndarray, present: np.ndarray) -> ScoreView:
    """The ScoreView of one row, from the batch's columns."""
    fw = run.fw
    seen: dict[str, Any] = {}
    for key, (codes, values) in facts.items():
        if codes[row] >= 0:
            seen[key] = values[codes[row]]
    ind_answer: dict[str, Any] = {}
    ind_level: dict[str, Fraction | None] = {}
    ind_score: dict[str, Fraction | None] = {}
    ind_points: dict[str, Fraction] = {}
    for iid in fw.indicator_ids:
        status = int(run.status[iid][row])
        node = run.nodes.get(iid)
        ind = fw.indicator(iid)
        kind = fw.kinds[iid]
        if node is not None:
            score = Fraction(int(node.num[row]), node.den_at(row))
            ind_points[iid] = score * fw.max_points[iid]
            ind_score[iid] = None if left_out[status] else score * 100
        else:  # unscored: no score, no points
            ind_points[iid] = Fraction(0)
            ind_score[iid] = None
        answer = level = None
        if present[status]:
            value = kind.parse(ind, run.cols[iid][row].as_py())
            answer, level = kind.to_json(value), kind.level(ind, value)
        ind_answer[iid], ind_level[iid] = answer, level
        fact = fw.fact_of.get(iid)
        if fact is not None and present[status]:
            seen[fact] = answer
    dim_score: dict[str, Fraction | None] = {}
    dim_points: dict[str, Fraction] = {}
    for did in fw.dimension_ids:
        node = run.nodes[did]
        included = node.incl is None or bool(node.incl[row])
        score = Fraction(int(node.num[row]), node.den_at(row))
        dim_score[did] = score * 100 if included else None
        maxp = node.maxp[int(node.lid[row])] if node.lid is not None else node.maxp[0]
        dim_points[did] = score * maxp if included else Fraction(0)
    root = run.nodes[ROOT]
    total = Fraction(int(root.num[row]), root.den_at(row)) * 100
    return ScoreView(total, dim_score, dim_points, ind_score, ind_points, ind_level, ind_answer,
                     seen, fw.spec.sets, fw.names)
