"""The compiled scorer: a whole batch through the framework with NumPy, exactly.

It mirrors :mod:`smesdk.engine` step by step — indicator statuses in dependency order, N/A
caps, the aggregation tree, level bands, gates, red lines and next-level blockers — on arrays.
Rows it cannot score with certainty (a cell it does not recognise as valid, a possible int64
overflow, any problem the per-record path would report) are returned as *suspect*; the caller
scores them per record, which gives their result or their error messages.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smesdk.aggregations import HighestLevel, Minimum, SumPoints, WeightedMean
from smesdk.batch.cells import EPOCH, Parsed, Unsupported, distinct, parse_column
from smesdk.batch.columns import DATE, ENTERPRISE_FIELDS, ENTERPRISE_ID, FACT_PREFIX, NA_PREFIX
from smesdk.batch.exact import Ctx, Q, compare, divide, less, rounded, weighted_sum
from smesdk.batch.output import Outcome
from smesdk.dates import as_date
from smesdk.engine import _inherited_cap, _subtree_indicators
from smesdk.gates import compare as _compare
from smesdk.gates import count_ids
from smesdk.levels import BandsRule
from smesdk.numbers import frac
from smesdk.spec import Gate
from smesdk.tree import ROOT

if TYPE_CHECKING:
    from smesdk.framework import Framework

# Indicator statuses (engine names in comments).
SCORED, NA, NOT_APPLICABLE, UNANSWERED, PREREQ, UNSCORED_VALUE, UNSCORED_EMPTY, ERROR = range(8)
_SIZES = ("micro", "small", "medium")


def _status_table(*codes: int) -> np.ndarray:
    table = np.zeros(8, dtype=bool)
    table[list(codes)] = True
    return table


# Status sets as lookup tables (faster than np.isin on every indicator).
_LEFT_OUT = _status_table(NA, NOT_APPLICABLE, UNSCORED_VALUE, UNSCORED_EMPTY)
_PRESENT = _status_table(SCORED, UNSCORED_VALUE)
_NOT_CONSIDERED = _status_table(NOT_APPLICABLE, UNSCORED_VALUE, UNSCORED_EMPTY)
_AGGREGATIONS = (WeightedMean, SumPoints, Minimum, HighestLevel)
_HUNDRED = Fraction(100)


class Compiled:
    """A framework's scoring rules, checked once for what the batch scorer supports."""

    def __init__(self, fw: Framework) -> None:
        self.fw = fw
        self.aggregation: dict[str, type] = {}
        for nid in [ROOT, *fw.dimension_ids]:
            name = fw.spec.aggregation if nid == ROOT else fw.dimension(nid).aggregation
            agg = fw.registry.aggregations.get(name)
            if type(agg) not in _AGGREGATIONS:
                raise Unsupported(f"aggregation {name!r}")
            self.aggregation[nid] = type(agg)
        if fw.spec.levels and type(fw.registry.level_rules.get(fw.spec.level_rule)) is not BandsRule:
            raise Unsupported(f"level rule {fw.spec.level_rule!r}")
        # Weighted means are invariant under scaling the weights: make them integers.
        self.int_weights: dict[str, list[int]] = {}
        for nid in [ROOT, *fw.dimension_ids]:
            ws = [fw.weights[c] for c in fw.children[nid]]
            scale = math.lcm(1, *(w.denominator for w in ws))
            self.int_weights[nid] = [int(w * scale) for w in ws]
        self.na_caps: list[tuple[list[str], Fraction]] = []
        for did in fw.dimension_ids:
            dim = fw.dimension(did)
            cap = dim.na_cap if dim.na_cap is not None else _inherited_cap(fw, did)
            ids = _subtree_indicators(fw, did)
            if cap is not None and any(fw.indicator(i).na_allowed for i in ids):
                self.na_caps.append((ids, frac(cap)))
        # Dimensions whose max points are needed: children of sum_points, and gate subjects.
        self.need_max = {c for nid, agg in self.aggregation.items() if agg is SumPoints
                         for c in fw.children[nid] if fw.nodes[c].dimension is not None}
        for gate in self._gates():
            self.need_max |= set(_dimension_points_refs(gate))
        for did in list(self.need_max):  # a dimension's max points needs its children's
            self.need_max |= {c for c in _subdimensions(fw, did)}
        self.level_caps = [(cap, self._level_index(cap.max_level)) for cap in fw.spec.level_caps]
        #: Per indicator: distinct raw cell -> (valid, parsed), kept across batches.
        self.cell_cache: dict[str, dict[Any, Any]] = {}

    def _gates(self) -> list[Gate]:
        spec = self.fw.spec
        return [lv.gate for lv in spec.levels if lv.gate] + [c.when for c in spec.level_caps]

    def _level_index(self, lid: str | None) -> int:
        return next(i for i, lv in enumerate(self.fw.spec.levels) if lv.id == lid) if lid else -1

    def score(self, batch: pa.RecordBatch, as_of: dt.date | None, out: Outcome) -> np.ndarray:
        """Fill ``out`` for the rows it can score; return the mask of rows to score per record."""
        return _Run(self, batch, as_of, out).go()


def _subdimensions(fw: Framework, did: str) -> list[str]:
    out = []
    for c in fw.children[did]:
        if fw.nodes[c].dimension is not None:
            out += [c, *_subdimensions(fw, c)]
    return out


def _dimension_points_refs(gate: Gate) -> list[str]:
    out = [d for sub in (*gate.all, *gate.any, *([gate.not_] if gate.not_ else []))
           for d in _dimension_points_refs(sub)]
    if gate.dimension is not None and gate.dimension.measure == "points":
        out.append(gate.dimension.id)
    return out


class _Run:
    """The arrays of one batch."""

    def __init__(self, c: Compiled, batch: pa.RecordBatch, as_of: dt.date | None,
                 out: Outcome) -> None:
        self.c = c
        self.fw = c.fw
        self.n = batch.num_rows
        self.cols = dict(zip(batch.schema.names, batch.columns, strict=True))
        self.as_of = as_of
        self.out = out
        self.ctx = Ctx(self.n)
        self.suspect = np.zeros(self.n, dtype=bool)
        self.status: dict[str, np.ndarray] = {}
        self.parsed: dict[str, Parsed] = {}
        self.memo: dict[int, np.ndarray] = {}

    # -- rows as a whole ----------------------------------------------------------------
    def _check_text(self, name: str) -> None:
        """Enterprise fields must be text: rows with another kind of value go per record."""
        col = self.cols.get(name)
        if col is not None and not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            self.suspect |= col.is_valid().to_numpy(zero_copy_only=False)

    def _enterprise(self) -> tuple[np.ndarray, np.ndarray]:
        n = self.n
        eid = self.cols[ENTERPRISE_ID]
        self.suspect |= eid.is_null().to_numpy(zero_copy_only=False)
        if pa.types.is_string(eid.type) or pa.types.is_large_string(eid.type):
            trimmed = pc.utf8_length(pc.utf8_trim_whitespace(eid))
            odd = pc.or_(pc.equal(trimmed, 0), pc.not_equal(trimmed, pc.utf8_length(eid)))
            self.suspect |= pc.fill_null(odd, False).to_numpy(zero_copy_only=False)
        for name in ENTERPRISE_FIELDS:
            if name not in ("size", "industry"):
                self._check_text(name)
        size = np.full(n, -1, dtype=np.int64)
        col = self.cols.get("size")
        if col is None:
            self.suspect[:] = True
        else:
            codes, values = distinct(col)
            table = np.array([_SIZES.index(v) if isinstance(v, str) and v in _SIZES else -1
                              for v in values] + [-1])
            size = table[codes]
            self.suspect |= size < 0
        industry = np.full(n, -1, dtype=np.int64)
        self._industries: list[Any] = []
        col = self.cols.get("industry")
        if col is not None and (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            industry, self._industries = distinct(col)
        elif col is not None:
            self.suspect |= col.is_valid().to_numpy(zero_copy_only=False)
        return size, industry

    def _dates(self) -> np.ndarray:
        n = self.n
        days = np.zeros(n, dtype=np.int64)
        given = np.zeros(n, dtype=bool)
        col = self.cols.get(DATE)
        if col is not None:
            if not (pa.types.is_date(col.type) or pa.types.is_string(col.type)
                    or pa.types.is_large_string(col.type) or pa.types.is_null(col.type)):
                raise Unsupported(f"a date column of type {col.type}")
            if not pa.types.is_null(col.type):
                codes, values = distinct(col)
                parsed = [as_date(v) for v in values]
                table = np.array([(d - EPOCH).days if d else 0 for d in parsed] + [0])
                ok = np.array([d is not None for d in parsed] + [False])
                given = codes >= 0
                days = table[codes]
                self.suspect |= given & ~ok[codes]
        if self.as_of is not None:
            days = np.where(given, days, (self.as_of - EPOCH).days)
        else:
            self.suspect |= ~given
        return days

    # -- indicators ----------------------------------------------------------------------
    def _indicators(self, size: np.ndarray, industry: np.ndarray, days: np.ndarray) -> None:
        fw, n = self.fw, self.n
        dates_cache: list[list[dt.date | None]] = []

        def on_values() -> list[dt.date | None]:
            if not dates_cache:
                dates_cache.append([EPOCH + dt.timedelta(days=int(d)) for d in days])
            return dates_cache[0]

        empty = Parsed(n)
        for iid in fw.order:
            ind = fw.indicator(iid)
            kind = fw.kinds[iid]
            col = self.cols.get(iid)
            cache = self.c.cell_cache.setdefault(iid, {})
            p = parse_column(kind, ind, col, days, on_values, cache) if col is not None else empty
            na_reason, na_ok = self._na(iid)
            fact_col = self.cols.get(FACT_PREFIX + ind.fact) if ind.fact else None
            if fact_col is not None:
                pf = parse_column(kind, ind, fact_col, days, on_values, cache)
                p = p.merged(pf, ~p.given & ~na_reason & pf.given)
            self.suspect |= p.given & na_reason & (col is not None)  # a value and N/A: row_to_data refuses
            self.parsed[iid] = p
            scored = fw.scored[iid]
            applies = np.ones(n, dtype=bool)
            rule = ind.applies_to
            if rule is not None and rule.sizes:
                applies &= np.isin(size, [_SIZES.index(s) for s in rule.sizes])
            if rule is not None and rule.industries:
                inds = [k for k, v in enumerate(self._industries) if v in rule.industries]
                if "" in rule.industries:  # the engine reads a missing industry as ""
                    inds.append(-1)
                applies &= np.isin(industry, inds)
            unmet = np.zeros(n, dtype=bool)
            for dep in ind.depends_on:
                unmet |= ~self._satisfied(dep)
            answered = p.given | na_reason
            status = np.where(p.valid, SCORED if scored else UNSCORED_VALUE, ERROR)
            if ind.na_allowed:
                status = np.where(na_reason, np.where(na_ok, NA, ERROR), status)
            else:
                status = np.where(na_reason, ERROR, status)
            missing = ERROR if ind.required else (UNANSWERED if scored else UNSCORED_EMPTY)
            status = np.where(answered, status, missing)
            status = np.where(unmet, PREREQ if scored else UNSCORED_EMPTY, status)
            status = np.where(applies, status, NOT_APPLICABLE)
            self.suspect |= status == ERROR
            self.status[iid] = status.astype(np.int8)

    def _na(self, iid: str) -> tuple[np.ndarray, np.ndarray]:
        """(N/A given, with a usable reason) per row."""
        col = self.cols.get(NA_PREFIX + iid)
        if col is None or pa.types.is_null(col.type):
            return np.zeros(self.n, dtype=bool), np.zeros(self.n, dtype=bool)
        given = col.is_valid().to_numpy(zero_copy_only=False)
        if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            self.suspect |= given
            return given, np.zeros(self.n, dtype=bool)
        codes, values = distinct(col)
        ok = np.array([bool(v.strip()) for v in values] + [False])
        return given, ok[codes]

    def _satisfied(self, dep: str) -> np.ndarray:
        status = self.status.get(dep)
        if status is None:
            return np.ones(self.n, dtype=bool)
        p = self.parsed[dep]
        if self.fw.scored[dep]:
            return np.asarray((status == SCORED) & (p.pts > 0))
        return np.asarray((status == UNSCORED_VALUE) & p.truthy)

    # -- scores --------------------------------------------------------------------------
    def _tree(self) -> None:
        fw, n, ctx = self.fw, self.n, self.ctx
        self.score: dict[str, Q] = {}
        self.valid: dict[str, np.ndarray] = {}
        self.maxp: dict[str, Q] = {}
        self.points: dict[str, Q] = {}
        for iid in fw.indicator_ids:
            status, p = self.status[iid], self.parsed[iid]
            pts = np.where(status == SCORED, p.pts, 0)
            self.points[iid] = Q(pts, p.pden)
            mx = fw.max_points[iid]
            self.score[iid] = (Q(ctx.mul(pts, mx.denominator), p.pden * mx.numerator)
                               if mx else Q(np.zeros(n, dtype=np.int64), 1))
            self.valid[iid] = ~_LEFT_OUT[status]
            self.maxp[iid] = Q.const(n, mx)
        for did in reversed(fw.dimension_ids):
            self._combine(did)
        self._combine(ROOT)

    def _combine(self, nid: str) -> None:
        fw, n, ctx = self.fw, self.n, self.ctx
        kids = fw.children[nid]
        masks: list[np.ndarray | None] = []
        for cid in kids:
            node = fw.nodes[cid]
            item = node.indicator or node.dimension
            assert item is not None
            m = self.valid[cid] if item.scored else np.zeros(n, dtype=bool)
            masks.append(None if m.all() else m)  # None: every row (the cheap common case)
        live = [m for m in masks if m is not None]
        anyone = (np.ones(n, dtype=bool) if len(live) < len(masks) else
                  np.logical_or.reduce(live) if live else np.zeros(n, dtype=bool))
        agg = self.c.aggregation[nid]
        pairs = list(zip(masks, kids, strict=True))
        score: Q
        if agg is WeightedMean:
            weights = self.c.int_weights[nid]
            total = weighted_sum(ctx, [(m, w, self.score[c]) for (m, c), w in zip(pairs, weights,
                                                                                    strict=True)])
            if live:
                w_sum = sum((w if m is None else np.where(m, w, 0)
                             for m, w in zip(masks, weights, strict=True)), np.zeros(n, np.int64))
                score = divide(ctx, total, Q(w_sum, 1))
            else:
                score = divide(ctx, total, sum(weights))
        elif agg is SumPoints:
            got = weighted_sum(ctx, [(m, 1, self._points_of(c)) for m, c in pairs])
            score = divide(ctx, got, weighted_sum(ctx, [(m, 1, self.maxp[c]) for m, c in pairs]))
        elif agg is HighestLevel:
            score = self._highest_level(nid, masks)
        else:  # Minimum
            score = Q(np.zeros(n, dtype=np.int64), np.ones(n, dtype=np.int64))
            have = np.zeros(n, dtype=bool)
            for mask, c in pairs:
                q = self.score[c]
                mm = np.ones(n, dtype=bool) if mask is None else mask
                take = mm & (~have | less(ctx, q, score))
                score = q.where(take, score)
                have |= mm
        self.score[nid] = score
        self.valid[nid] = anyone
        if nid in self.c.need_max:
            self.maxp[nid] = weighted_sum(ctx, [(m, 1, self.maxp[c]) for m, c in pairs])

    def _highest_level(self, nid: str, masks: list[np.ndarray | None]) -> Q:
        """The highest tier T whose included children of tier <= T all pass, over the top tier."""
        fw, n = self.fw, self.n
        params = fw.spec.params if nid == ROOT else fw.dimension(nid).params
        pass_score = Fraction(str(params.get("pass_score", 1)))
        tiers: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
        for cid, m in zip(fw.children[nid], masks, strict=True):
            node = fw.nodes[cid]
            tier = node.indicator.tier if node.indicator is not None else None
            if tier is not None:
                inc = np.ones(n, dtype=bool) if m is None else m
                fails = inc & (compare(self.ctx, self.score[cid], pass_score) < 0)
                tiers.setdefault(tier, []).append((inc, fails))
        reached = np.zeros(n, dtype=np.int64)
        top = np.zeros(n, dtype=np.int64)
        failed = np.zeros(n, dtype=bool)
        for tier in sorted(tiers):
            present = np.logical_or.reduce([inc for inc, _ in tiers[tier]])
            failed |= np.logical_or.reduce([f for _, f in tiers[tier]])
            reached = np.where(present & ~failed, tier, reached)
            top = np.where(present, tier, top)
        self.suspect |= (top <= 0) & (reached != 0)  # a zero top tier: leave it to per record
        return Q(np.where(top > 0, reached, 0), np.where(top > 0, top, 1))

    def _points_of(self, nid: str) -> Q:
        """A child's score times its max points (an indicator's points)."""
        if nid in self.points:
            return self.points[nid]
        s, mp = self.score[nid], self.maxp[nid]
        return Q(self.ctx.mul(s.num, mp.num), self.ctx.mul(s.den, mp.den)).reduced()

    # -- levels --------------------------------------------------------------------------
    def _cmp(self, q: Q, test: Any) -> np.ndarray:
        """gates._compare for rational values."""
        res = np.ones(self.n, dtype=bool)
        eq = getattr(test, "eq", None)
        bounds = [(op, getattr(test, op)) for op in ("ge", "gt", "le", "lt")
                  if getattr(test, op) is not None]
        if eq is not None:
            if isinstance(eq, bool | int | float) or hasattr(eq, "as_integer_ratio"):
                res &= compare(self.ctx, q, Fraction(eq)) == 0
            else:
                return np.zeros(self.n, dtype=bool)
        if not bounds:
            return res if eq is not None else np.zeros(self.n, dtype=bool)
        for op, bound in bounds:
            sign = compare(self.ctx, q, frac(bound))
            res &= {"ge": sign >= 0, "gt": sign > 0, "le": sign <= 0, "lt": sign < 0}[op]
        return res

    def _present(self, iid: str) -> np.ndarray:
        return np.asarray(_PRESENT[self.status[iid]])

    def _indicator_test(self, iid: str, test: Any) -> np.ndarray:
        if iid not in self.status:
            return np.zeros(self.n, dtype=bool)
        if test.measure == "score":
            return np.asarray(self.valid[iid] & self._cmp(self._score100(iid), test))
        if test.measure == "points":
            return self._cmp(self.points[iid], test)
        return np.asarray(self._present(iid) & self.parsed[iid].test(test, test.measure))

    def _score100(self, nid: str) -> Q:
        q = self.score[nid]
        return Q(self.ctx.mul(q.num, 100), q.den)

    def holds(self, gate: Gate) -> np.ndarray:
        key = id(gate)
        if key not in self.memo:
            self.memo[key] = self._holds(gate)
        return self.memo[key]

    def _holds(self, gate: Gate) -> np.ndarray:
        n = self.n
        if gate.all:
            return np.asarray(np.logical_and.reduce([self.holds(g) for g in gate.all]))
        if gate.any:
            return np.asarray(np.logical_or.reduce([self.holds(g) for g in gate.any]))
        if gate.not_ is not None:
            return ~self.holds(gate.not_)
        if gate.total is not None:
            return self._cmp(self.total, gate.total)
        if gate.dimension is not None:
            t = gate.dimension
            if t.id not in self.score:
                return np.zeros(n, dtype=bool)
            if t.measure == "score":
                return np.asarray(self.valid[t.id] & self._cmp(self._score100(t.id), t))
            return self._cmp(self._points_of(t.id), t)
        if gate.indicator is not None:
            return self._indicator_test(gate.indicator.id, gate.indicator)
        if gate.fact is not None:
            return self._fact(gate.fact)
        if gate.count is not None:
            ct = gate.count
            passing = sum((self._indicator_test(i, ct).astype(np.int64)
                           for i in count_ids(ct, self.fw.spec.sets)), np.zeros(n, dtype=np.int64))
            return np.asarray(passing >= ct.at_least)
        return np.ones(n, dtype=bool)

    def _fact(self, t: Any) -> np.ndarray:
        res = np.zeros(self.n, dtype=bool)
        col = self.cols.get(FACT_PREFIX + t.key)
        if col is not None and not pa.types.is_null(col.type):
            codes, values = distinct(col)
            table = np.array([_compare(t, v) for v in values] + [False])
            res = table[codes]
        for iid in self.fw.order:  # an answered indicator's value stands for its fact
            if self.fw.indicator(iid).fact == t.key:
                res = np.where(self._present(iid), self.parsed[iid].test(t, "answer"), res)
        return res

    def failures(self, gate: Gate) -> np.ndarray:
        """How many blockers ``levels.failures`` lists for the gate."""
        held = self.holds(gate)
        if gate.all and gate.label is None:
            inner = sum((self.failures(g) for g in gate.all), np.zeros(self.n, dtype=np.int64))
            return np.where(held, 0, inner)
        return np.where(held, 0, 1)

    def _levels(self) -> tuple[np.ndarray, np.ndarray]:
        levels = self.fw.spec.levels
        n = self.n
        if not levels:
            return np.full(n, -1), np.zeros(n, dtype=np.int64)
        reached = np.full(n, -1)
        for i, lv in enumerate(levels):
            ok = compare(self.ctx, self.total, frac(lv.min)) >= 0
            if lv.gate is not None:
                ok &= self.holds(lv.gate)
            reached = np.where(ok, i, reached)
        failing = [(~self.holds(cap.when), limit) for cap, limit in self.c.level_caps]
        final = reached
        for fails, limit in failing:
            final = np.where(fails, np.minimum(final, limit), final)
        nxt = final + 1
        blockers = np.zeros(n, dtype=np.int64)
        for j, lv in enumerate(levels):
            here = nxt == j
            if not np.any(here):
                continue
            count = (compare(self.ctx, self.total, frac(lv.min)) < 0).astype(np.int64)
            if lv.gate is not None:
                count += self.failures(lv.gate)
            for fails, limit in failing:
                count += fails & (limit < j)
            blockers = np.where(here, count, blockers)
        return final, blockers

    # -- the whole batch -----------------------------------------------------------------
    def go(self) -> np.ndarray:
        size, industry = self._enterprise()
        days = self._dates()
        self._indicators(size, industry, days)
        for ids, cap in self.c.na_caps:
            na = sum(((self.status[i] == NA).astype(np.int64) for i in ids), np.zeros(self.n, np.int64))
            considered = sum((~_NOT_CONSIDERED[self.status[i]]
                              ).astype(np.int64) for i in ids)
            self.suspect |= (considered > 0) & (na * cap.denominator > cap.numerator * considered)
        self._tree()
        root = self.score[ROOT]
        self.total = Q(self.ctx.mul(root.num, 100), root.den)
        level, blockers = self._levels()
        out, ctx = self.out, self.ctx
        out.total[:] = rounded(ctx, self.total)
        out.level[:] = level
        out.blockers[:] = blockers
        plan_dims = [d for d in self.fw.children[ROOT] if self.fw.nodes[d].dimension is not None]
        for k, did in enumerate(plan_dims):
            out.dims[k] = rounded(ctx, self.score[did], 100)
            out.dims_valid[k] = self.valid[did]
        return self.suspect | ctx.bad
