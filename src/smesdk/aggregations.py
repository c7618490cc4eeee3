"""Aggregation methods: how a dimension combines its children's scores.

Plugins add methods by registering instances through ``smesdk_register_aggregations``.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any, ClassVar

import attrs

from smesdk.text import Text


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
    #: Linear methods report each child's share of the parent, so contributions add up.
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


BUILTIN_AGGREGATIONS: tuple[Aggregation, ...] = (WeightedMean(), SumPoints(), Minimum(),
                                                 HighestLevel())
