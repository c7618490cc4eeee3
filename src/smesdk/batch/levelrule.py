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
from smesdk.batch.grouping import group_rows
from smesdk.gates import ScoreView
from smesdk.tree import ROOT

if TYPE_CHECKING:
    from smesdk.batch.compiled import _Run


def plugin_levels(run: _Run) -> tuple[np.ndarray, np.ndarray]:
    """(level index or -1, blocker count) per row, as the framework's level rule decides."""
    fw = run.fw
    rule = fw.registry.level_rules.get(fw.spec.level_rule)
    assert rule is not None
    index = {lv.id: i for i, lv in enumerate(fw.spec.levels)}
    reads = rule.reads
    if reads is not None and reads <= _SCORES:
        keys = _score_keys(run, reads)
        build = _partial_view
    else:
        keys = _answer_keys(run)
        build = _view
    first, inverse = group_rows(keys)
    levels = np.full(len(first), -1, dtype=np.int64)
    blockers = np.zeros(len(first), dtype=np.int64)
    bad = np.zeros(len(first), dtype=bool)
    for t, row in enumerate(first.tolist()):
        try:
            outcome = rule.decide(fw.spec, build(run, row))
        except Exception:  # an invalid row, or the rule's own failure: per record tells
            bad[t] = True
            continue
        levels[t] = index[outcome.level.id] if outcome.level is not None else -1
        blockers[t] = len(outcome.next_level.blockers) if outcome.next_level is not None else 0
    inverse = inverse.reshape(-1)
    if bad.any():
        run.suspect |= bad[inverse]
    return levels[inverse], blockers[inverse]


#: Parts of the view made of scores alone, which a rule may declare it reads (LevelRule.reads).
_SCORES = frozenset({"total", "dim_score", "dim_points"})


def _score_keys(run: _Run, reads: frozenset[str]) -> list[np.ndarray]:
    """Per row, the scores the rule reads (numerator and denominator of each)."""
    fw = run.fw
    nodes = [run.nodes[ROOT]] if "total" in reads else []
    if reads & {"dim_score", "dim_points"}:
        nodes += [run.nodes[d] for d in fw.dimension_ids]
    keys: list[np.ndarray] = [np.zeros(run.n, dtype=np.int64)]
    for node in nodes:
        den = node.den
        keys += [node.num, den if isinstance(den, np.ndarray) else np.full(run.n, den)]
        if node.incl is not None:
            keys.append(node.incl.astype(np.int64))
        if node.lid is not None:
            keys.append(node.lid)
    return keys


def _partial_view(run: _Run, row: int) -> ScoreView:
    """The view with the scores only (what a rule declaring ``reads`` may look at)."""
    fw = run.fw
    dim_score, dim_points = _dimensions(run, row)
    root = run.nodes[ROOT]
    total = Fraction(int(root.num[row]), root.den_at(row)) * 100
    return ScoreView(total, dim_score, dim_points, {}, {}, {}, {}, {}, fw.spec.sets, fw.names)


def _answer_keys(run: _Run) -> list[np.ndarray]:
    """Per row, everything the view is made of: the date, each answer and status, facts."""
    fw = run.fw
    keys: list[np.ndarray] = [run.days]
    for iid in fw.indicator_ids:
        parsed = run.parsed[iid]
        ident = parsed.ident
        if ident is None and not parsed.given.any():
            ident = np.zeros(run.n, dtype=np.int64)  # nothing answered
        if ident is None:
            raise Unsupported(f"level rule {fw.spec.level_rule!r} over answers given as facts")
        keys += [run.status[iid], ident]
    for name, col in run.cols.items():
        if name.startswith(FACT_PREFIX) and not pa.types.is_null(col.type):
            if pa.types.is_nested(col.type):
                raise Unsupported(f"level rule {fw.spec.level_rule!r} with fact cells of "
                                  f"type {col.type}")
            keys.append(distinct(col)[0])
    return keys


def _view(run: _Run, row: int) -> ScoreView:
    """The ScoreView of one row, from the batch's columns."""
    from smesdk.batch.compiled import _LEFT_OUT as left_out
    from smesdk.batch.compiled import _PRESENT as present

    fw = run.fw
    seen: dict[str, Any] = {}
    for name, col in run.cols.items():
        if name.startswith(FACT_PREFIX) and col.is_valid()[row].as_py():
            seen[name[len(FACT_PREFIX):]] = col[row].as_py()
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
    dim_score, dim_points = _dimensions(run, row)
    root = run.nodes[ROOT]
    total = Fraction(int(root.num[row]), root.den_at(row)) * 100
    return ScoreView(total, dim_score, dim_points, ind_score, ind_points, ind_level, ind_answer,
                     seen, fw.spec.sets, fw.names)


def _dimensions(run: _Run, row: int) -> tuple[dict[str, Fraction | None], dict[str, Fraction]]:
    dim_score: dict[str, Fraction | None] = {}
    dim_points: dict[str, Fraction] = {}
    for did in run.fw.dimension_ids:
        node = run.nodes[did]
        included = node.incl is None or bool(node.incl[row])
        score = Fraction(int(node.num[row]), node.den_at(row))
        dim_score[did] = score * 100 if included else None
        maxp = node.maxp[int(node.lid[row])] if node.lid is not None else node.maxp[0]
        dim_points[did] = score * maxp if included else Fraction(0)
    return dim_score, dim_points
