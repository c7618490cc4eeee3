"""Aggregation methods: how a dimension combines its children's scores.

Plugins add methods by registering instances through ``smesdk_register_aggregations``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, ClassVar

import attrs

from smesdk.columnar import NotVectorisable
from smesdk.text import Text


@attrs.frozen
class ChildColumn:
    """What an aggregation sees of one child over a batch: exact scores ``num / den`` per row
    (``den`` one integer for the whole column) and where the child is included."""

    id: str
    num: Any  # numpy int64 array
    den: int
    included: Any  # numpy bool array
    weight: Fraction
    max_points: Fraction
    tier: int | None = None


@attrs.frozen
class Child:
    """What an aggregation sees of one included child."""

    id: str
    score: Fraction
    weight: Fraction
    max_points: Fraction
    tier: int | None = None


class Aggregation:
    """Base class. ``combine`` returns the parent's score in [0, 1]."""

    name: ClassVar[str] = ""
    #: Linear methods report each child's share of the parent (``shares``), and promise that
    #: their score is exactly the share-weighted sum of the children's scores: every path
    #: then scores them as that sum (an integer dot product), without calling ``combine``.
    linear: ClassVar[bool] = False
    description: ClassVar[Text] = Text(zh="", en="")

    def combine(self, children: Sequence[Child], params: dict[str, Any]) -> Fraction:
        raise NotImplementedError

    def shares(self, children: Sequence[Child]) -> list[Fraction] | None:
        """Each child's share of the parent's score (summing to 1), for linear methods."""
        return None

    def check(self, children: Sequence[Child], params: dict[str, Any]) -> list[str]:
        """Problems with how a dimension is declared for this method."""
        return []

    def combine_columns(self, children: Sequence[ChildColumn], params: dict[str, Any]
                        ) -> tuple[Any, int]:
        """``combine`` over a whole batch: per-row numerators over one denominator, exact.

        Linear methods need not implement it (the batch uses their ``shares``). A method that
        cannot be evaluated on arrays raises NotVectorisable: the batch then calls
        ``combine`` once per distinct tuple of child scores, never a default.
        """
        raise NotVectorisable(f"aggregation {self.name!r} on columns")


class WeightedMean(Aggregation):
    name = "weighted_mean"
    linear = True
    description = Text(zh="加权平均", en="weighted mean")

    def combine(self, children: Sequence[Child], params: dict[str, Any]) -> Fraction:
        total = sum((c.weight for c in children), Fraction(0))
        if not total:
            return Fraction(0)
        return sum((c.weight * c.score for c in children), Fraction(0)) / total

    def shares(self, children: Sequence[Child]) -> list[Fraction] | None:
        total = sum((c.weight for c in children), Fraction(0))
        return [c.weight / total if total else Fraction(0) for c in children]

    def check(self, children: Sequence[Child], params: dict[str, Any]) -> list[str]:
        if children and not any(c.weight > 0 for c in children):
            return ["no child has a positive weight"]
        return []


class SumPoints(Aggregation):
    name = "sum_points"
    linear = True
    description = Text(zh="分值累加", en="sum of points")

    def combine(self, children: Sequence[Child], params: dict[str, Any]) -> Fraction:
        total = sum((c.max_points for c in children), Fraction(0))
        if not total:
            return Fraction(0)
        return sum((c.score * c.max_points for c in children), Fraction(0)) / total

    def shares(self, children: Sequence[Child]) -> list[Fraction] | None:
        total = sum((c.max_points for c in children), Fraction(0))
        return [c.max_points / total if total else Fraction(0) for c in children]


class Minimum(Aggregation):
    name = "minimum"
    description = Text(zh="取最低（短板）", en="minimum (weakest link)")

    def combine(self, children: Sequence[Child], params: dict[str, Any]) -> Fraction:
        return min((c.score for c in children), default=Fraction(0))

    def combine_columns(self, children: Sequence[ChildColumn], params: dict[str, Any]
                        ) -> tuple[Any, int]:
        import numpy as np

        den = math.lcm(1, *(c.den for c in children))
        n = len(children[0].num) if children else 0
        best = np.zeros(n, dtype=np.int64)
        seen = np.zeros(n, dtype=bool)
        for c in children:
            scaled = c.num * (den // c.den)
            take = c.included & (~seen | (scaled < best))
            best = np.where(take, scaled, best)
            seen |= c.included
        return best, den  # no included child: 0, as combine's default


class HighestLevel(Aggregation):
    """The highest tier T such that every child of tier <= T passes; score T / top tier."""

    name = "highest_level"
    description = Text(zh="完全达到的最高级", en="highest level fully reached")

    def combine(self, children: Sequence[Child], params: dict[str, Any]) -> Fraction:
        pass_score = Fraction(str(params.get("pass_score", 1)))
        tiers = sorted({c.tier for c in children if c.tier is not None})
        if not tiers:
            return Fraction(0)
        reached = 0
        for tier in tiers:
            if all(c.score >= pass_score for c in children if c.tier is not None and
                   c.tier <= tier):
                reached = tier
            else:
                break
        return Fraction(reached, tiers[-1])

    def check(self, children: Sequence[Child], params: dict[str, Any]) -> list[str]:
        missing = [c.id for c in children if c.tier is None]
        return [f"children without a tier: {', '.join(missing)}"] if missing else []

    def combine_columns(self, children: Sequence[ChildColumn], params: dict[str, Any]
                        ) -> tuple[Any, int]:
        import numpy as np

        pass_score = Fraction(str(params.get("pass_score", 1)))
        by_tier: dict[int, list[ChildColumn]] = {}
        for c in children:
            if c.tier is not None:
                by_tier.setdefault(c.tier, []).append(c)
        n = len(children[0].num) if children else 0
        if not by_tier or min(by_tier) <= 0:
            raise NotVectorisable("highest_level with a tier below 1")
        den = math.lcm(*by_tier)
        reached = np.zeros(n, dtype=np.int64)
        top = np.zeros(n, dtype=np.int64)
        failed = np.zeros(n, dtype=bool)
        for tier in sorted(by_tier):
            present = np.zeros(n, dtype=bool)
            for c in by_tier[tier]:
                # c.num / c.den < pass_score, cross-multiplied
                fails = c.num * pass_score.denominator < pass_score.numerator * c.den
                failed |= c.included & fails
                present |= c.included
            reached = np.where(present & ~failed, tier, reached)
            top = np.where(present, tier, top)
        safe_top = np.where(top > 0, top, 1)
        return np.where(top > 0, reached * (den // safe_top), 0), den


BUILTIN_AGGREGATIONS: tuple[Aggregation, ...] = (WeightedMean(), SumPoints(), Minimum(),
                                                 HighestLevel())
