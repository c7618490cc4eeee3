"""Exact per-row rationals on int64 arrays, with an overflow guard.

A :class:`Q` is ``num / den`` per row (``den`` an array, or one Python int for every row).
Every product and sum is checked cheaply against the batch's largest magnitudes; when the
check cannot rule out int64 overflow, the rows that could overflow are marked in
``Ctx.bad`` and rescored by the per-record path, so no wrapped integer reaches a result.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from smesdk.numbers import PLACES

#: Products and sums stay below this; float estimates are exact to far better than 2x.
LIMIT = 1 << 61
#: Denominators below this are left unreduced.
_SMALL = 1 << 24
#: An int64 array, or one Python int standing for every row (numpy's own types are loose).
Int = Any


class Ctx:
    """Per-batch scratch: the row count and the rows whose arithmetic could overflow."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.bad = np.zeros(n, dtype=bool)

    def _guard(self, estimate: np.ndarray | float) -> None:
        if isinstance(estimate, np.ndarray):
            self.bad |= estimate >= LIMIT
        elif estimate >= LIMIT:
            self.bad[:] = True

    def mul(self, a: Int, b: Int) -> Int:
        if isinstance(a, int) and isinstance(b, int):
            return a * b
        if _absmax(a) * _absmax(b) >= LIMIT:
            self._guard(np.abs(_as_float(a)) * np.abs(_as_float(b)))
            a, b = _clip(a), _clip(b)
        return a * b

    def add(self, a: Int, b: Int) -> Int:
        if _absmax(a) + _absmax(b) >= LIMIT:
            self._guard(np.abs(_as_float(a)) + np.abs(_as_float(b)))
            a, b = _clip(a), _clip(b)
        return a + b


def _absmax(a: Int) -> int:
    if isinstance(a, int):
        return abs(a)
    return int(np.abs(a).max()) if a.size else 0


def _as_float(a: Int) -> np.ndarray | float:
    return a.astype(np.float64) if isinstance(a, np.ndarray) else float(a)


def _clip(a: Int) -> Int:
    # Rows already marked bad may hold anything; keep the arithmetic itself warning-free.
    if isinstance(a, int):
        return a if abs(a) < LIMIT else 0
    return np.where(np.abs(a) < LIMIT, a, 0)


class Q:
    """Per-row exact rationals ``num / den`` with ``den > 0``."""

    __slots__ = ("_top", "den", "num")

    def __init__(self, num: Int, den: Int) -> None:
        self.num = num
        self.den = den
        self._top: int | None = None

    @property
    def top(self) -> int:
        """The largest |num| in the batch (computed once)."""
        if self._top is None:
            self._top = _absmax(self.num)
        return self._top

    @classmethod
    def const(cls, n: int, value: Fraction) -> Q:
        return cls(np.full(n, value.numerator, dtype=np.int64), value.denominator)

    def reduced(self) -> Q:
        """The same values with smaller terms; skipped while terms are small (gcd is slow)."""
        if isinstance(self.den, int):
            if self.den < _SMALL or not self.num.size:
                return self
            common = math.gcd(self.den, int(np.gcd.reduce(self.num)))
            return Q(self.num // common, self.den // common) if common > 1 else self
        if _absmax(self.den) < _SMALL:
            return self
        g = np.gcd(self.num, self.den)
        g = np.where(g == 0, 1, g)
        return Q(self.num // g, self.den // g)

    def where(self, mask: np.ndarray, other: Q) -> Q:
        return Q(np.where(mask, self.num, other.num), np.where(mask, self.den, other.den))


def scale(ctx: Ctx, q: Q, k: Fraction) -> Q:
    """q * k for a constant k."""
    return Q(ctx.mul(q.num, k.numerator), ctx.mul(q.den, k.denominator)).reduced()


def weighted_sum(ctx: Ctx, terms: list[tuple[np.ndarray | None, Int, Q]]) -> Q:
    """Sum of ``coef * q`` over the rows where ``mask`` (None: every row) holds."""
    if all(isinstance(q.den, int) for _, _, q in terms):
        fast = _scalar_sum(ctx, terms)
        if fast is not None:
            return fast
    num: Int = np.zeros(ctx.n, dtype=np.int64)
    den: Int = 1
    up_acc: Int
    up_q: Int
    for mask, coef, q in terms:
        qden = q.den if mask is None or isinstance(q.den, int) else np.where(mask, q.den, 1)
        if isinstance(den, int) and isinstance(qden, int):
            lcm = math.lcm(den, qden)
            if lcm >= LIMIT:
                ctx.bad[:] = True
                lcm = den
            up_acc, up_q = lcm // den, lcm // qden
        else:
            g = np.gcd(den, qden)
            up_acc = qden // g
            up_q = den // g
            lcm = ctx.mul(den, up_acc)
        term = ctx.mul(ctx.mul(q.num, coef), up_q)
        if mask is not None:
            term = np.where(mask, term, 0)
        num = ctx.add(ctx.mul(num, up_acc), term)
        den = lcm
    if isinstance(num, int):
        num = np.full(ctx.n, num, dtype=np.int64)
    return Q(num, den).reduced()


def _scalar_sum(ctx: Ctx, terms: list[tuple[np.ndarray | None, Int, Q]]) -> Q | None:
    """The common case: one denominator per term; bounds known up front, no per-op checks."""
    lcm = math.lcm(1, *(q.den for _, _, q in terms))
    ups = [abs(coef) * (lcm // q.den) for _, coef, q in terms]
    if lcm >= LIMIT or sum(up * q.top for up, (_, _, q) in zip(ups, terms, strict=True)) >= LIMIT:
        return None
    num = np.zeros(ctx.n, dtype=np.int64)
    for (mask, coef, q), up in zip(terms, ups, strict=True):
        term = q.num * (up if coef >= 0 else -up)
        num += term if mask is None else np.where(mask, term, 0)
    return Q(num, lcm).reduced()


def divide(ctx: Ctx, q: Q, by: Q | int) -> Q:
    """q / by, and 0 where ``by`` is 0 (the aggregations' rule for an empty total)."""
    if isinstance(by, int):
        if by == 0:
            return Q(np.zeros(ctx.n, dtype=np.int64), 1)
        return Q(q.num, ctx.mul(q.den, by)).reduced()
    zero = by.num == 0
    num = ctx.mul(q.num, by.den)
    den = ctx.mul(q.den, np.where(zero, 1, by.num))
    return Q(np.where(zero, 0, num), np.where(zero, 1, den)).reduced()


def compare(ctx: Ctx, q: Q, k: Fraction) -> np.ndarray:
    """Sign of q - k per row (-1, 0, 1)."""
    left = ctx.mul(q.num, k.denominator)
    right = ctx.mul(q.den, k.numerator)
    return np.asarray(np.sign(np.asarray(left) - right))


def less(ctx: Ctx, a: Q, b: Q) -> np.ndarray:
    return np.asarray(np.asarray(ctx.mul(a.num, b.den)) < ctx.mul(b.num, a.den))


def rounded(ctx: Ctx, q: Q, times: int = 1) -> np.ndarray:
    """round_out(q * times) as int64 ten-thousandths: halves away from zero."""
    x = ctx.mul(np.abs(q.num), times * 10**PLACES)
    den = np.broadcast_to(q.den, x.shape) if isinstance(q.den, int) else q.den
    quot, rem = np.divmod(x, den)
    quot = quot + (2 * rem >= den)
    return np.where(q.num < 0, -quot, quot)
