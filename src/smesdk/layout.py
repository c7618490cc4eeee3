"""Layouts: everything about a scoring that depends only on which indicators are left out.

Which children each dimension includes, their maximum points, each node's nominal share of
the total and whether contributions add up follow from the set of indicators left out (N/A,
not applicable to the firm, unscored) and nothing else. Most answer sets leave out the same
few, so a framework computes each layout once and reuses it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from smesdk.aggregations import Aggregation
from smesdk.numbers import round_out
from smesdk.tree import ROOT

if TYPE_CHECKING:
    from smesdk.framework import Framework

MAX_LAYOUTS = 4096
#: A layout's integer plan runs as straight-line code (:func:`straight_line`) from this many
#: uses on. Compiling it costs 0.3-0.8 ms; the loop costs 3-9 us a use more than the code
#: (40 nodes of management's: 11 us against 3), so a layout used a hundred times has paid.
COMPILE_AFTER = 100
_HUNDRED = Fraction(100)


class Layout:
    """Included children, maximum points and shares for one set of left-out indicators.

    A layout is built from ``base`` (the framework's first layout) when given: only the
    dimensions above an indicator whose inclusion differs are worked out again; every other
    node's children, points, shares and integer plan are the base's, which are the same by
    construction. A first assessment with a new pattern of N/A answers then costs a few
    nodes' work instead of the whole tree's.
    """

    __slots__ = ("agg", "den", "dot", "fill", "included", "left_out", "linear", "max_points",
                 "max_points_r", "memo", "off_plan", "own_linear", "parts", "plan", "share",
                 "share_key", "share_r", "unit", "uses")

    def __init__(self, fw: Framework, left_out: frozenset[str], base: Layout | None = None
                 ) -> None:
        self.left_out = left_out
        #: Result pieces already built for (indicator, status, answer key) in this layout.
        self.memo: dict[Any, Any] = {}
        #: The integer plan compiled (see :meth:`fill_units`), once the layout is used often.
        self.fill: Callable[[dict[str, int]], None] | None = None
        self.uses = 0
        changed = left_out ^ base.left_out if base is not None else None
        if base is None or changed is None:
            dirty: set[str] | None = None
        else:
            dirty = set()
            for iid in changed:
                nid = fw.nodes[iid].parent
                while nid not in dirty:
                    dirty.add(nid)
                    if nid == ROOT:
                        break
                    nid = fw.nodes[nid].parent
        self._points(fw, base, dirty, changed or frozenset())
        self._shares(fw, base, dirty)
        self._integer_plan(fw, base, dirty)

    def _points(self, fw: Framework, base: Layout | None, dirty: set[str] | None,
                changed: frozenset[str]) -> None:
        """Included children, maximum points and parts, for every node (``dirty`` ones only
        when there is a base)."""
        if base is None or dirty is None:
            self.max_points: dict[str, Fraction] = {}
            self.included: dict[str, list[str]] = {}
            #: Nodes whose score is computed as a dot product of ``parts`` and child scores.
            self.dot: dict[str, bool] = {}
            self.parts: dict[str, list[Fraction]] = {}
            self.own_linear: dict[str, bool] = {}
            self.agg: dict[str, Aggregation] = {nid: fw.aggregation_of(nid) for nid in fw.bottom_up}
            todo = fw.bottom_up
            indicators = fw.indicator_ids
        else:
            self.max_points = dict(base.max_points)
            self.included = dict(base.included)
            self.dot = dict(base.dot)
            self.parts = dict(base.parts)
            self.own_linear = dict(base.own_linear)
            self.agg = base.agg
            todo = [nid for nid in fw.bottom_up if nid in dirty]
            indicators = sorted(changed)
        for iid in indicators:
            counted = iid not in self.left_out and fw.scored[iid]
            self.max_points[iid] = fw.max_points[iid] if counted else Fraction(0)
        for nid in todo:
            kids = [c for c in fw.children[nid] if self._alive(fw, c)]
            self.included[nid] = kids
            self.max_points[nid] = sum((self.max_points[c] for c in kids), Fraction(0))
            # A linear method's score is, by its contract, the share-weighted sum of its
            # children's scores: computed as a dot product, never through combine().
            self.dot[nid] = self.agg[nid].linear
            self.parts.pop(nid, None)
            self.own_linear.pop(nid, None)
            if kids:
                parts, own_linear = self._parts(fw, nid, kids)
                self.parts[nid] = parts
                self.own_linear[nid] = own_linear
                self.dot[nid] = self.dot[nid] and own_linear  # linear needs its shares
        self.max_points_r: dict[str, Decimal]
        if base is None or dirty is None:
            self.max_points_r = {n: round_out(v) for n, v in self.max_points.items()}
        else:
            self.max_points_r = dict(base.max_points_r)
            for n in (*changed, *dirty):
                self.max_points_r[n] = round_out(self.max_points[n])

    def _alive(self, fw: Framework, nid: str) -> bool:
        """Whether a child counts in its parent: a scored indicator not left out, or a scored
        dimension with children of its own."""
        if not fw.node_scored[nid]:
            return False
        if nid in fw.scored:  # an indicator
            return nid not in self.left_out and fw.scored[nid]
        return bool(self.included[nid])

    def _shares(self, fw: Framework, base: Layout | None, dirty: set[str] | None) -> None:
        """Each node's nominal share of the total, top-down; a node whose share and linearity
        are the base's keeps the base's figures (no arithmetic)."""
        self.share: dict[str, Fraction] = {ROOT: _HUNDRED}
        self.linear: dict[str, bool] = {ROOT: True}
        same: set[str] = {ROOT} if base is not None else set()
        for nid in [ROOT, *fw.dimension_ids]:
            kids = self.included.get(nid)
            if not kids or nid not in self.share:  # under an unscored dimension: no share
                continue
            is_linear = self.own_linear[nid] and self.linear[nid]
            reuse = base is not None and nid in same and (dirty is None or nid not in dirty)
            for cid, part in zip(kids, self.parts[nid], strict=True):
                if reuse and base is not None:
                    self.share[cid] = base.share[cid]
                    same.add(cid)
                else:
                    self.share[cid] = self.share[nid] * part
                    if base is not None and base.share.get(cid) == self.share[cid] and \
                            base.linear.get(cid) == is_linear:
                        same.add(cid)
                self.linear[cid] = is_linear
        #: What an indicator's trace piece depends on besides its answer: its exact share of
        #: the total and whether contributions add up (the engine shares pieces across layouts).
        self.share_key: dict[str, tuple[int, int, bool] | None] = {}
        self.share_r: dict[str, Decimal] = {}
        for n, value in self.share.items():
            if base is not None and n in same:
                self.share_r[n] = base.share_r[n]
            else:
                self.share_r[n] = round_out(value)
        for iid in fw.indicator_ids:
            if base is not None and iid in same:
                self.share_key[iid] = base.share_key[iid]
                continue
            got = self.share.get(iid)
            self.share_key[iid] = (got.numerator, got.denominator, self.linear.get(iid, False)
                                   ) if got is not None else None

    def _integer_plan(self, fw: Framework, base: Layout | None, dirty: set[str] | None) -> None:
        """Fixed scales for every linear node whose children all have one.

        An indicator's score is ``units / (scale * max_points)`` with integer ``units`` (its
        points at the indicator's fixed scale). A linear node's score is then an integer
        combination of its children's integers over one denominator fixed by the layout:
        ``score = sum(coef * child) / den``. ``plan`` lists those nodes bottom-up with their
        (child, coef) pairs; ``den`` their denominators. Other nodes take the Fraction path.
        """
        self.plan: list[tuple[str, list[tuple[str, int]]]] = []
        self.den: dict[str, int] = {}
        #: What one integer step of each fixed node is worth.
        self.unit: dict[str, Fraction] = {}
        unit = self.unit
        known = dict(base.plan) if base is not None else {}
        for iid in fw.indicator_ids:
            if base is not None and self.max_points[iid] == base.max_points[iid]:
                if iid in base.unit:
                    unit[iid] = base.unit[iid]
                continue
            scale = fw.scales[iid]
            if scale is not None and self.max_points[iid]:
                unit[iid] = 1 / (scale * self.max_points[iid])
        for nid in fw.bottom_up:
            if base is not None and dirty is not None and nid not in dirty:
                if nid in known:  # the subtree is the base's: so is its plan
                    self.plan.append((nid, known[nid]))
                    self.den[nid] = base.den[nid]
                    unit[nid] = base.unit[nid]
                continue
            kids = self.included[nid]
            if not kids or not self.dot[nid] or any(c not in unit for c in kids):
                continue
            coefs = [part * unit[c] for c, part in zip(kids, self.parts[nid], strict=True)]
            den = math.lcm(1, *(c.denominator for c in coefs))
            self.plan.append((nid, [(c, int(k * den)) for c, k in zip(kids, coefs, strict=True)]))
            self.den[nid] = den
            unit[nid] = Fraction(1, den)
        on_plan = {nid for nid, _ in self.plan}
        #: The nodes the plan leaves to the exact path, bottom-up.
        self.off_plan = [nid for nid in fw.bottom_up if nid not in on_plan]

    def fill_units(self, units: dict[str, int]) -> bool:
        """Add to ``units`` (the indicators' integers) the integer of every node on the plan;
        True when none was skipped (then only :attr:`off_plan` nodes are left to score).

        A node with a child missing from ``units`` (an answer off its indicator's scale, or
        a node so skipped) is skipped: it takes the exact path. The straight-line code stops
        at the first such child; the loop then does every node again, with the same sums.
        """
        fill = self.fill
        if fill is not None:
            try:
                fill(units)
                return True
            except KeyError:
                pass
        else:
            self.uses += 1  # unlocked: a lost count only compiles a use later
            if self.uses >= COMPILE_AFTER:
                self.fill = straight_line(self.plan)
        complete = True
        for nid, terms in self.plan:
            try:
                units[nid] = sum([coef * units[c] for c, coef in terms])
            except KeyError:
                complete = False
        return complete

    def _parts(self, fw: Framework, nid: str, kids: list[str]) -> tuple[list[Fraction], bool]:
        children = [fw.child_view(c, Fraction(0), self.max_points[c]) for c in kids]
        parts = self.agg[nid].shares(children)
        if parts is not None:
            return parts, True
        total_w = sum((fw.weights[c] for c in kids), Fraction(0))  # nominal, to rank gaps
        return [fw.weights[c] / total_w if total_w else Fraction(0) for c in kids], False


def straight_line(plan: list[tuple[str, list[tuple[str, int]]]]
                  ) -> Callable[[dict[str, int]], None]:
    """``plan`` as one function of straight-line code: each node's integer is the sum of its
    children's (each read once, into a local) times their coefficients. No loop, list or
    call per node: a third of the loop's time. Ids enter the source only as ``repr``
    literals and coefficients as integers, so a framework's ids cannot inject code."""
    names: dict[str, str] = {}
    body = []
    for nid, terms in plan:
        expr = []
        for child, coef in terms:
            if child not in names:
                names[child] = f"v{len(names)}"
                body.append(f"    {names[child]} = units[{child!r}]")
            expr.append(names[child] if coef == 1 else f"{int(coef)} * {names[child]}")
        names[nid] = f"v{len(names)}"
        body.append(f"    {names[nid]} = units[{nid!r}] = {' + '.join(expr) or '0'}")
    source = "def fill(units):\n" + ("\n".join(body) or "    pass") + "\n"
    scope: dict[str, Any] = {}
    exec(compile(source, "<smesdk integer plan>", "exec"), scope)
    fill: Callable[[dict[str, int]], None] = scope["fill"]
    return fill


def layout_for(fw: Framework, left_out: frozenset[str]) -> Layout:
    layout = fw.layouts.get(left_out)
    if layout is None:
        if len(fw.layouts) >= MAX_LAYOUTS:
            fw.layouts.clear()
        base = next(iter(fw.layouts.values()), None)
        layout = fw.layouts[left_out] = Layout(fw, left_out, base)
    return layout
