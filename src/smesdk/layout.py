"""Layouts: everything about a scoring that depends only on which indicators are left out.

Which children each dimension includes, their maximum points, each node's nominal share of
the total and whether contributions add up follow from the set of indicators left out (N/A,
not applicable to the firm, unscored) and nothing else. Most answer sets leave out the same
few, so a framework computes each layout once and reuses it.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from smesdk.aggregations import Aggregation
from smesdk.numbers import round_out
from smesdk.tree import ROOT

if TYPE_CHECKING:
    from smesdk.framework import Framework

MAX_LAYOUTS = 4096
_HUNDRED = Fraction(100)


class Layout:
    """Included children, maximum points and shares for one set of left-out indicators."""

    __slots__ = ("agg", "den", "dot", "included", "linear", "max_points", "max_points_r", "memo",
                 "parts", "plan", "share", "share_key", "share_r")

    def __init__(self, fw: Framework, left_out: frozenset[str]) -> None:
        self.included: dict[str, list[str]] = {}
        self.max_points: dict[str, Fraction] = {}
        self.agg: dict[str, Aggregation] = {}
        #: Nodes whose score is computed as a dot product of ``parts`` and child scores.
        self.dot: dict[str, bool] = {}
        self.parts: dict[str, list[Fraction]] = {}
        self.share: dict[str, Fraction] = {ROOT: _HUNDRED}
        self.linear: dict[str, bool] = {ROOT: True}
        #: Result pieces already built for (indicator, status, answer key) in this layout.
        self.memo: dict[Any, Any] = {}
        alive: set[str] = set()
        for iid in fw.indicator_ids:
            if iid in left_out or not fw.scored[iid]:
                self.max_points[iid] = Fraction(0)
            else:
                self.max_points[iid] = fw.max_points[iid]
                alive.add(iid)
        for nid in [*reversed(fw.dimension_ids), ROOT]:
            kids = [c for c in fw.children[nid] if c in alive and fw.node_scored[c]]
            self.included[nid] = kids
            if kids and nid != ROOT:
                alive.add(nid)
            self.max_points[nid] = sum((self.max_points[c] for c in kids), Fraction(0))
            agg = fw.aggregation_of(nid)
            self.agg[nid] = agg
            # A linear method's score is, by its contract, the share-weighted sum of its
            # children's scores: computed as a dot product, never through combine().
            self.dot[nid] = agg.linear
        for nid in [ROOT, *fw.dimension_ids]:
            kids = self.included[nid]
            if not kids:
                continue
            parts, own_linear = self._parts(fw, nid, kids)
            self.parts[nid] = parts
            self.dot[nid] = self.dot[nid] and own_linear  # linear needs its shares
            if nid not in self.share:  # under an unscored dimension: scored, but no share
                continue
            is_linear = own_linear and self.linear[nid]
            for cid, part in zip(kids, parts, strict=True):
                self.share[cid] = self.share[nid] * part
                self.linear[cid] = is_linear
        self.max_points_r: dict[str, Decimal] = {n: round_out(v) for n, v in self.max_points.items()}
        #: What an indicator's trace piece depends on besides its answer: its exact share of
        #: the total and whether contributions add up (the engine shares pieces across layouts).
        self.share_key: dict[str, tuple[int, int, bool] | None] = {}
        for iid in fw.indicator_ids:
            share = self.share.get(iid)
            self.share_key[iid] = (share.numerator, share.denominator, self.linear.get(iid, False)
                                   ) if share is not None else None
        self._integer_plan(fw)

    def _integer_plan(self, fw: Framework) -> None:
        """Fixed scales for every linear node whose children all have one.

        An indicator's score is ``units / (scale * max_points)`` with integer ``units`` (its
        points at the indicator's fixed scale). A linear node's score is then an integer
        combination of its children's integers over one denominator fixed by the layout:
        ``score = sum(coef * child) / den``. ``plan`` lists those nodes bottom-up with their
        (child, coef) pairs; ``den`` their denominators. Other nodes take the Fraction path.
        """
        self.plan: list[tuple[str, list[tuple[str, int]]]] = []
        self.den: dict[str, int] = {}
        unit: dict[str, Fraction] = {}  # what one integer step of each fixed child is worth
        for iid in fw.indicator_ids:
            scale = fw.scales[iid]
            if scale is not None and self.max_points[iid]:
                unit[iid] = 1 / (scale * self.max_points[iid])
        for nid in fw.bottom_up:
            kids = self.included[nid]
            if not kids or not self.dot[nid] or any(c not in unit for c in kids):
                continue
            coefs = [part * unit[c] for c, part in zip(kids, self.parts[nid], strict=True)]
            den = math.lcm(1, *(c.denominator for c in coefs))
            self.plan.append((nid, [(c, int(k * den)) for c, k in zip(kids, coefs, strict=True)]))
            self.den[nid] = den
            unit[nid] = Fraction(1, den)
        self.share_r: dict[str, Decimal] = {n: round_out(v) for n, v in self.share.items()}

    def _parts(self, fw: Framework, nid: str, kids: list[str]) -> tuple[list[Fraction], bool]:
        children = [fw.child_view(c, Fraction(0), self.max_points[c]) for c in kids]
        parts = self.agg[nid].shares(children)
        if parts is not None:
            return parts, True
        total_w = sum((fw.weights[c] for c in kids), Fraction(0))  # nominal, to rank gaps
        return [fw.weights[c] / total_w if total_w else Fraction(0) for c in kids], False


def layout_for(fw: Framework, left_out: frozenset[str]) -> Layout:
    layout = fw.layouts.get(left_out)
    if layout is None:
        if len(fw.layouts) >= MAX_LAYOUTS:
            fw.layouts.clear()
        layout = fw.layouts[left_out] = Layout(fw, left_out)
    return layout
