"""The ``best_of`` aggregation: a dimension scores as its best child.

专精特新 indicator 11 (上年度研发费用投入) awards its points by the R&D amount *or* the R&D
share, whichever band is higher. The two routes are two indicators with equal maximum
points; the dimension's maximum is their sum, so each route carries half the published
points and the dimension's points come out as the published figure: best score × the sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from smesdk import Aggregation, Child, Text


class BestOf(Aggregation):
    name = "best_of"
    description = Text(zh="取最优（任一途径）", en="best of (either route)")

    def combine(self, children: Sequence[Child], params: dict[str, Any]) -> Fraction:
        return max((c.score for c in children), default=Fraction(0))

    def check(self, children: Sequence[Child], params: dict[str, Any]) -> list[str]:
        if len({c.max_points for c in children}) > 1:
            return ["best_of needs children with equal maximum points"]
        return []
