"""Gate tests read through ranked codes give each row exactly its own code's table entry."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from smesdk.batch.ranks import RankedTests, rank_codes
from smesdk.gates import comparison_key
from smesdk.spec import CountTest, IndicatorTest

# Measured values as kinds give them: levels and numbers, None where a cell is invalid, and
# now and then text beside numbers (no common order).
values_st = st.lists(st.one_of(st.none(), st.integers(-3, 9), st.fractions(-2, 2, max_denominator=6),
                               st.sampled_from(["a", "b"])), min_size=0, max_size=12)


def _gathered(table: np.ndarray, codes: np.ndarray) -> np.ndarray:
    return np.take(table, codes)  # code -1: the last slot, a missing cell


@given(values_st, st.data())
def test_every_test_reads_each_rows_own_entry(values: list, data: st.DataObject) -> None:
    k = len(values)
    codes = np.array(data.draw(st.lists(st.integers(-1, k - 1), min_size=1, max_size=40)),
                     dtype=np.int64)
    runs: dict = {}
    tests = RankedTests(lambda t: _gathered(t, codes), lambda m: rank_codes(values), runs, 64)
    for _ in range(data.draw(st.integers(1, 6))):
        # Tables as a compare makes them (False for no value and the missing slot), or any
        # table at all: the ranks must never stand in for an entry they do not have.
        entries = data.draw(st.lists(st.booleans(), min_size=k + 1, max_size=k + 1))
        if data.draw(st.booleans()):
            entries = [e and v is not None for e, v in zip(entries, [*values, None], strict=True)]
        table = np.array(entries, dtype=bool)
        assert tests.rows(table, "level").tolist() == _gathered(table, codes).tolist()


def test_bounds_on_numbers_are_read_as_one_comparison() -> None:
    # Scene levels 0-4 and an invalid cell, coded in an order unlike the levels' own.
    values = [3, None, 0, 4, 1, 2]
    ranks = rank_codes(values)
    assert ranks is not None
    # Level 0 is the smallest (rank 1), 4 the largest (rank 5); no value and missing: 0.
    assert ranks.tolist() == [4, 0, 1, 5, 2, 3, 0]
    codes = np.array([0, 1, 2, 3, 4, 5, -1, 0, 3])
    gathers = []

    def gather(t: np.ndarray) -> np.ndarray:
        gathers.append(t)
        return _gathered(t, codes)

    tests = RankedTests(gather, lambda m: ranks, {}, 64)
    at_least_2 = np.array([v is not None and v >= 2 for v in values] + [False])
    first = tests.rows(at_least_2, "level")
    second = tests.rows(at_least_2, "level")
    # levels of the rows: 3, none, 0, 4, 1, 2, missing, 3, 4
    assert first.tolist() == second.tolist() == [True, False, False, True, False, True, False,
                                                 True, True]
    # The first test gathered its table; the second gathered the ranks once, then compared.
    assert len(gathers) == 2 and gathers[1] is ranks
    one_to_three = tests.rows(
        np.array([v is not None and 1 <= v <= 3 for v in values] + [False]), "level")
    assert one_to_three.tolist() == [True, False, False, False, True, True, False, True, False]
    at_most_1 = tests.rows(np.array([v is not None and v <= 1 for v in values] + [False]), "level")
    assert at_most_1.tolist() == [False, False, True, False, True, False, False, False, False]
    nothing = tests.rows(np.zeros(len(values) + 1, dtype=bool), "level")
    assert not nothing.any() and len(nothing) == len(codes)
    assert len(gathers) == 2


def test_a_table_that_is_not_one_run_is_gathered() -> None:
    values = [0, 1, 2, 3]
    codes = np.array([0, 1, 2, 3, -1])
    gathers = []
    tests = RankedTests(lambda t: gathers.append(t) or _gathered(t, codes),
                        lambda m: rank_codes(values), {}, 64)
    tests.rows(np.array([True, True, True, True, False]), "level")
    odd = np.array([True, False, True, False, False])  # levels 0 and 2: two runs
    assert tests.rows(odd, "level").tolist() == [True, False, True, False, False]
    assert gathers[-1] is odd


def test_too_many_values_for_a_byte_are_not_ranked() -> None:
    assert rank_codes(list(range(256))) is None
    assert rank_codes(list(range(255))) is not None


def test_comparison_keys_tell_apart_what_compares_differently() -> None:
    scenes = CountTest(at_least=6, set="scenes", measure="level", ge=Decimal("2"))
    constrained = CountTest(at_least=3, set="constrained", measure="level", ge=Decimal("2.0"))
    # the same comparison of a member, whatever the set and count around it
    assert comparison_key(scenes) == comparison_key(constrained)
    assert comparison_key(scenes) != comparison_key(
        CountTest(at_least=6, set="scenes", measure="level", gt=Decimal("2")))
    assert comparison_key(scenes) != comparison_key(
        CountTest(at_least=6, set="scenes", measure="answer", ge=Decimal("2")))
    # True == 1 in Python, but a yes/no answer is not the number 1
    yes = IndicatorTest(id="x", eq=True)
    one = IndicatorTest(id="x", eq=1)
    assert comparison_key(yes) != comparison_key(one)
    assert comparison_key(IndicatorTest(id="x", ge=Fraction(1, 3))) == comparison_key(
        IndicatorTest(id="y", ge=Fraction(1, 3)))
