"""The column-wise methods of the semantic objects agree with their per-record methods.

Each gate test, level rule and non-linear aggregation carries both a per-record and a
column-wise evaluation (or says it cannot vectorise). Here the column-wise one runs over a
view built from per-record ScoreViews of real answer sets, so any disagreement is a bug in
one object, found without the batch scorer in between.
"""

from __future__ import annotations

import datetime as dt
import warnings
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import smesdk
from smesdk.aggregations import BUILTIN_AGGREGATIONS, Child, ChildColumn
from smesdk.columnar import NotVectorisable
from smesdk.engine import score_view
from smesdk.errors import AnswerError
from smesdk.gates import GATE_TESTS, ScoreView, compare, gate_test_of, holds, holds_columns
from smesdk.spec import CountTest, DimensionTest, FactTest, Gate, IndicatorTest, TotalTest

np = pytest.importorskip("numpy")
pytest.importorskip("pyarrow")


class RowsView:
    """A ColumnView over per-record ScoreViews: each comparison asked row by row."""

    def __init__(self, views: list[ScoreView], sets: dict[str, list[str]]) -> None:
        self.views = views
        self._sets = sets

    @property
    def rows(self) -> int:
        return len(self.views)

    @property
    def sets(self) -> dict[str, list[str]]:
        return self._sets

    def _each(self, fn: Any) -> Any:
        return np.array([bool(fn(v)) for v in self.views], dtype=bool)

    def total_test(self, test: TotalTest) -> Any:
        return self._each(lambda v: compare(test, v.total))

    def dimension_test(self, test: DimensionTest) -> Any:
        return self._each(lambda v: GATE_TESTS["dimension"].holds(test, v))

    def indicator_test(self, iid: str, test: IndicatorTest | CountTest) -> Any:
        def one(v: ScoreView) -> bool:
            value = {"score": v.ind_score, "points": v.ind_points, "level": v.ind_level,
                     "answer": v.ind_answer}[test.measure].get(iid)
            return value is not None and compare(test, value)
        return self._each(one)

    def fact_test(self, test: FactTest) -> Any:
        return self._each(lambda v: GATE_TESTS["fact"].holds(test, v))


def _views(fid: str, profile: str | None, n: int) -> tuple[Any, list[ScoreView]]:
    from smesdk.batch import compile_plan
    from smesdk.batch.columns import row_to_data
    from smesdk.batch.synthetic import synthetic_batch

    fw = smesdk.load_framework(fid, profile)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plan = compile_plan(fw, as_of=dt.date(2026, 3, 31))
    views = []
    for row in synthetic_batch(plan, n, seed=11).to_pylist():
        try:
            views.append(score_view(fw, smesdk.answers_from_data(row_to_data(row))))
        except AnswerError:
            continue
    return fw, views


def _all_gates(gate: Gate) -> list[Gate]:
    test, arg = gate_test_of(gate)
    return [gate, *(g for sub in test.subgates(arg) for g in _all_gates(sub))]


CASES = [("management", None), ("management", "zjtx"), ("digital", None),
         ("digital", "edition_2022"), ("quality-brand", None), ("iso9001", None),
         ("innovative", None)]


@pytest.mark.parametrize(("fid", "profile"), CASES)
def test_gates_and_levels_on_columns_match_per_record(fid: str, profile: str | None) -> None:
    fw, views = _views(fid, profile, 150)
    assert len(views) > 50
    view = RowsView(views, fw.spec.sets)
    spec = fw.spec
    gates = [g for lv in spec.levels if lv.gate for g in _all_gates(lv.gate)]
    gates += [g for cap in spec.level_caps for g in _all_gates(cap.when)]
    for gate in gates:
        expected = [holds(gate, v) for v in views]
        assert holds_columns(gate, view).tolist() == expected
    rule = fw.registry.level_rules.get(spec.level_rule)
    assert rule is not None
    level, blockers = rule.decide_columns(spec, view)
    ids = [lv.id for lv in spec.levels]
    for i, v in enumerate(views):
        outcome = rule.decide(spec, v)
        assert level[i] == (ids.index(outcome.level.id) if outcome.level else -1)
        assert blockers[i] == (len(outcome.next_level.blockers) if outcome.next_level else 0)


def test_the_plugin_level_rule_says_it_cannot_vectorise() -> None:
    fw = smesdk.load_framework("hooktest")
    rule = fw.registry.level_rules.get("first_level_only")
    assert rule is not None and rule.reads == frozenset({"total"})
    with pytest.raises(NotVectorisable):
        rule.decide_columns(fw.spec, RowsView([], {}))


scores = st.fractions(min_value=0, max_value=1, max_denominator=60)


@given(st.lists(st.tuples(scores, st.booleans(), st.integers(1, 3)), min_size=1, max_size=6),
       st.sampled_from(["1", "0.5", "3/4"]))
def test_non_linear_aggregations_on_columns_match_combine(
        children: list[tuple[Fraction, bool, int]], pass_score: str) -> None:
    params = {"pass_score": pass_score}
    for agg in BUILTIN_AGGREGATIONS:
        if agg.linear:
            continue
        included = [(i, s, t) for i, (s, inc, t) in enumerate(children) if inc]
        expected = agg.combine([Child(f"c{i}", s, Fraction(1), Fraction(1), t)
                                for i, s, t in included], params)
        cols = [ChildColumn(f"c{i}", np.array([s.numerator], dtype=np.int64), s.denominator,
                            np.array([inc]), Fraction(1), Fraction(1), t)
                for i, (s, inc, t) in enumerate(children)]
        num, den = agg.combine_columns(cols, params)
        assert Fraction(int(num[0]), den) == expected, agg.name


@pytest.mark.parametrize(("fid", "profile"), CASES)
def test_compiled_gates_answer_as_their_tests_hold(fid: str, profile: str | None) -> None:
    # Per record, holds() runs each gate compiled once (GateTest.compile: integer bounds,
    # distinct values compared once); the test's own holds() must give the same answer.
    from smesdk.gates import compiled

    fw, views = _views(fid, profile, 150)
    spec = fw.spec
    gates = [g for lv in spec.levels if lv.gate for g in _all_gates(lv.gate)]
    gates += [g for cap in spec.level_caps for g in _all_gates(cap.when)]
    varying = 0
    for gate in gates:
        test, arg = gate_test_of(gate)
        answers = [test.holds(arg, v) for v in views]
        assert [compiled(gate)(v) for v in views] == answers
        varying += len(set(answers)) > 1
    assert varying >= len(gates) / 3, f"only {varying} of {len(gates)} gates vary"
