"""Unit tests of the built-in aggregations, with every expected value worked out by hand."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from smesdk.aggregations import (
    BUILTIN_AGGREGATIONS,
    Child,
    HighestLevel,
    Minimum,
    SumPoints,
    WeightedMean,
)


def child(id: str, score: F | int, weight: F | int = 1, max_points: F | int = 1,
          tier: int | None = None) -> Child:
    return Child(id, F(score), F(weight), F(max_points), tier)


def test_builtin_names_and_linearity() -> None:
    names = {a.name: a.linear for a in BUILTIN_AGGREGATIONS}
    assert names == {"weighted_mean": True, "sum_points": True, "minimum": False,
                     "highest_level": False}


# --- weighted_mean -------------------------------------------------------------------------


def test_weighted_mean() -> None:
    kids = [child("a", F(3, 4), weight=2), child("b", F(1, 2), weight=1),
            child("c", F(9, 10), weight=1)]
    # (2*0.75 + 1*0.5 + 1*0.9) / (2+1+1) = (1.5+0.5+0.9)/4 = 2.9/4 = 29/40
    assert WeightedMean().combine(kids, {}) == F(29, 40)
    # shares are the weights over their sum: 2/4, 1/4, 1/4
    assert WeightedMean().shares(kids) == [F(1, 2), F(1, 4), F(1, 4)]


def test_weighted_mean_ignores_max_points() -> None:
    kids = [child("a", 1, weight=1, max_points=100), child("b", 0, weight=3, max_points=1)]
    # (1*1 + 3*0) / 4 = 1/4
    assert WeightedMean().combine(kids, {}) == F(1, 4)


def test_weighted_mean_zero_weights() -> None:
    kids = [child("a", 1, weight=0), child("b", 1, weight=0)]
    assert WeightedMean().combine(kids, {}) == 0
    assert WeightedMean().shares(kids) == [0, 0]
    assert WeightedMean().check(kids, {}) == ["no child has a positive weight"]
    assert WeightedMean().check([child("a", 0, weight=1)], {}) == []
    assert WeightedMean().combine([], {}) == 0


def test_weighted_mean_shares_sum_to_one() -> None:
    kids = [child(str(i), 0, weight=w) for i, w in enumerate([F(1, 3), 2, F(7, 5)])]
    assert sum(WeightedMean().shares(kids) or []) == 1


# --- sum_points ----------------------------------------------------------------------------


def test_sum_points() -> None:
    # points earned: 0.5*4 = 2, 1*3 = 3, 0*3 = 0 -> 5 of 10
    kids = [child("a", F(1, 2), max_points=4, weight=9), child("b", 1, max_points=3),
            child("c", 0, max_points=3)]
    assert SumPoints().combine(kids, {}) == F(1, 2)
    # shares by max points: 4/10, 3/10, 3/10 (weights play no part)
    assert SumPoints().shares(kids) == [F(2, 5), F(3, 10), F(3, 10)]


def test_sum_points_with_no_points() -> None:
    assert SumPoints().combine([child("a", 1, max_points=0)], {}) == 0
    assert SumPoints().shares([child("a", 1, max_points=0)]) == [0]


# --- minimum -------------------------------------------------------------------------------


def test_minimum() -> None:
    kids = [child("a", F(3, 4), weight=5), child("b", F(1, 3)), child("c", 1)]
    assert Minimum().combine(kids, {}) == F(1, 3)
    assert Minimum().combine([], {}) == 0
    assert Minimum().shares(kids) is None


# --- highest_level -------------------------------------------------------------------------


@pytest.fixture
def tiers() -> list[Child]:
    # tier 1: a=1, b=1; tier 2: c=1, d=0.6; tier 3: e=1
    return [child("a", 1, tier=1), child("b", 1, tier=1), child("c", 1, tier=2),
            child("d", F(3, 5), tier=2), child("e", 1, tier=3)]


def test_highest_level_default_pass_score(tiers: list[Child]) -> None:
    # tier 1 all pass (>= 1); tier 2: d = 0.6 < 1 fails -> reached 1 of top tier 3
    assert HighestLevel().combine(tiers, {}) == F(1, 3)
    assert HighestLevel().shares(tiers) is None


def test_highest_level_with_pass_score(tiers: list[Child]) -> None:
    # pass_score 0.6: d = 0.6 >= 0.6 passes, so tiers 1, 2, 3 all pass -> 3/3
    assert HighestLevel().combine(tiers, {"pass_score": 0.6}) == 1
    # pass_score 0.7: d fails at tier 2 -> 1/3
    assert HighestLevel().combine(tiers, {"pass_score": "0.7"}) == F(1, 3)


def test_highest_level_lower_tier_failure_blocks_higher(tiers: list[Child]) -> None:
    kids = [*tiers[:1], child("b", 0, tier=1), *tiers[2:]]
    # b fails at tier 1 -> nothing reached, even though tier 3 passes: 0/3
    assert HighestLevel().combine(kids, {"pass_score": 0.5}) == 0


def test_highest_level_gaps_in_tier_numbers() -> None:
    kids = [child("a", 1, tier=2), child("b", 0, tier=4)]
    # tier 2 passes, tier 4 fails -> 2 of top tier 4 = 1/2
    assert HighestLevel().combine(kids, {}) == F(1, 2)


def test_highest_level_checks_tiers() -> None:
    kids = [child("a", 1, tier=1), child("b", 1), child("c", 1)]
    assert HighestLevel().check(kids, {}) == ["children without a tier: b, c"]
    assert HighestLevel().combine([child("b", 1)], {}) == 0
