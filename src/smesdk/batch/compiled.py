"""The compiled scorer: a whole batch through the framework with NumPy, exactly.

It follows :mod:`smesdk.engine` — indicator statuses in dependency order, N/A caps, the
aggregation tree, then the level rule — on arrays, in exact integer arithmetic at fixed
scales, asking the semantic objects for their column-wise evaluation:

- each node's score is an integer column over one denominator per *layout* (which children
  are left out, as :mod:`smesdk.layout` says per answer set), never per-row rationals; an
  indicator's is its points, looked up from the cell's code;
- a linear aggregation's coefficients are worked out once per distinct layout from its own
  ``shares`` and applied with a few whole-column products; other aggregations run their
  ``combine_columns``, or else their ``combine`` once per distinct tuple of child scores;
- the level rule runs its ``decide_columns`` (gates through :func:`smesdk.gates.
  holds_columns` over this batch as a :class:`smesdk.columnar.ColumnView`), or else its
  ``decide`` once per distinct view (:mod:`smesdk.batch.levelrule`);
- integer magnitudes are bounded per node from the tables, so int64 overflow is ruled out
  once per batch (or the batch goes per record), not checked per operation.

Rows it cannot score with certainty (a cell it does not recognise as valid, any problem the
per-record path would report) are returned as *suspect*; the caller scores them per record,
which gives their result or their error messages.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smesdk.aggregations import Aggregation, Child, ChildColumn
from smesdk.batch.cells import (
    COMPARISONS,
    EPOCH,
    Parsed,
    Unsupported,
    buffer_values,
    by_code,
    distinct,
    is_text,
    parse_column,
    validity,
)
from smesdk.batch.columns import (
    DATE,
    ENTERPRISE_FIELDS,
    ENTERPRISE_ID,
    FACT_PREFIX,
    FIELD_PREFIX,
    NA_PREFIX,
)
from smesdk.batch.grouping import group_rows
from smesdk.batch.levelrule import plugin_levels
from smesdk.batch.output import Outcome
from smesdk.columnar import NotVectorisable
from smesdk.dates import as_date
from smesdk.enterprise import (
    field_passes,
    field_value,
    fields_in_rules,
    industries,
    model,
    size_classes,
)
from smesdk.gates import bounds as gates_bounds
from smesdk.gates import compare as _compare
from smesdk.gates import comparison_key
from smesdk.numbers import PLACES, frac
from smesdk.spec import CountTest, DimensionTest, FactTest, IndicatorTest, TotalTest
from smesdk.tree import ROOT

if TYPE_CHECKING:
    from smesdk.framework import Framework

# Indicator statuses (engine names in comments).
SCORED, NA, NOT_APPLICABLE, UNANSWERED, PREREQ, UNSCORED_VALUE, UNSCORED_EMPTY, ERROR = range(8)
assert ERROR < 8  # _in tests statuses as the bits of one byte
#: Every integer product and sum stays below this (checked from bounds, once per batch).
LIMIT = 1 << 62
_SCALE = 10**PLACES


def _status_table(*codes: int) -> np.ndarray:
    table = np.zeros(8, dtype=bool)
    table[list(codes)] = True
    return table


# Status sets as lookup tables (faster than np.isin on every indicator).
_LEFT_OUT = _status_table(NA, NOT_APPLICABLE, UNSCORED_VALUE, UNSCORED_EMPTY)
_PRESENT = _status_table(SCORED, UNSCORED_VALUE)
_NOT_CONSIDERED = _status_table(NOT_APPLICABLE, UNSCORED_VALUE, UNSCORED_EMPTY)


class Overflow(Unsupported):
    """The exact integers of this batch could outgrow int64: the rows go per record."""


def _agree(kind: Any, ind: Any, a: Parsed, b: Parsed, rows: np.ndarray) -> np.ndarray:
    """Per row, whether two columns' answers parse to the same value (False where unknown):
    each distinct pair of cells is compared once, by the kind's own parse."""
    agree = np.zeros(len(rows), dtype=bool)
    if a.codes is None or b.codes is None:
        return agree
    codes_a, codes_b = a.codes[rows], b.codes[rows]
    first, inverse = group_rows([codes_a, codes_b])
    same = np.zeros(len(first), dtype=bool)
    for k, (ca, cb) in enumerate(zip(codes_a[first].tolist(), codes_b[first].tolist(),
                                     strict=True)):
        try:
            same[k] = kind.parse(ind, a.values[ca]) == kind.parse(ind, b.values[cb])
        except ValueError:
            same[k] = False  # an unparsable cell: the per-record path says which
    agree[rows] = same[inverse.reshape(-1)]
    return agree


class Compiled:
    """A framework's scoring rules, prepared once for column-wise scoring."""

    def __init__(self, fw: Framework) -> None:
        self.fw = fw
        #: The extra enterprise fields the framework declares, and those deciding applicability.
        self.fields = model(fw.spec).fields
        self.rule_fields = set(fields_in_rules(fw.spec))
        self.sizes = tuple(size_classes(fw.spec))
        self.industry_codes = industries(fw.spec)
        rule = fw.registry.level_rules.get(fw.spec.level_rule)
        assert rule is not None  # validation checked the name
        self.rule = rule
        self.agg: dict[str, Aggregation] = {}
        self.kids: dict[str, list[str]] = {}
        self.params: dict[str, dict[str, Any]] = {}
        for nid in fw.bottom_up:
            self.agg[nid] = fw.aggregation_of(nid)
            self.params[nid] = fw.dimension(nid).params if nid else fw.spec.params
            # Children that can ever count: scored dimensions, scored indicators.
            self.kids[nid] = [c for c in fw.children[nid] if fw.node_scored[c] and (
                fw.nodes[c].dimension is not None or fw.scored[c])]
        # The framework's N/A caps, where some indicator under them allows N/A at all.
        self.na_caps: list[tuple[list[str], Fraction]] = [
            (ids, cap) for _, ids, cap in fw.na_caps
            if any(fw.indicator(i).na_allowed for i in ids)]
        self.level_caps = [(cap, self._level_index(cap.max_level)) for cap in fw.spec.level_caps]
        self.top_dimensions = [d for d in fw.children[ROOT] if fw.nodes[d].dimension is not None]
        #: Per indicator: distinct raw cell -> (valid, parsed), kept across batches.
        self.cell_cache: dict[str, dict[Any, Any]] = {}
        #: Per indicator and table of distinct values: its status and points tables.
        self.table_cache: dict[Any, Any] = {}
        #: Per group of code-scored children: their packed sums tables (up to 32 KiB each, so
        #: fewer are kept than of the small tables above).
        self.packed_cache: dict[Any, Any] = {}
        #: Per node and layout (each child's denominator and maximum, or left out): what the
        #: layout means (:class:`_Layout`), worked out once across batches.
        self.layout_cache: dict[Any, _Layout] = {}
        #: Per node and tuple of its layouts in a batch: the coefficient terms, across batches.
        self.coef_cache: dict[Any, Any] = {}
        #: id(gate test) -> (gates.comparison_key of it, the test, kept so its id stays its own)
        self.test_keys: dict[int, tuple[tuple[Any, ...], Any]] = {}

    def _level_index(self, lid: str | None) -> int:
        return next(i for i, lv in enumerate(self.fw.spec.levels) if lv.id == lid) if lid else -1

    def score(self, batch: pa.RecordBatch, as_of: dt.date | None, out: Outcome) -> np.ndarray:
        """Fill ``out`` for the rows it can score; return the mask of rows to score per record."""
        return _Run(self, batch, as_of, out).go()


class _Node:
    """A node's scores over the batch: ``num / den`` (0 where the node is left out).

    ``incl`` is None when every row includes the node. ``lid`` numbers each row's layout of
    the node's subtree (None: one layout for all rows); per layout, ``maxp`` is the maximum
    points, ``dens`` the denominator and ``his`` a bound on ``|num|``.

    An indicator scored by its cell alone keeps its cells' ``codes`` and its points per code
    (``table``, the last slot a missing cell; ``complete``: no code is -1): its parent sums
    several such children with one look-up (:func:`_packed_sum`), so ``num`` itself is made
    only when something reads it.
    """

    __slots__ = ("_num", "codes", "complete", "dens", "his", "incl", "lid", "maxp", "table")

    def __init__(self, num: np.ndarray | None, dens: list[int], his: list[int],
                 incl: np.ndarray | None, lid: np.ndarray | None, maxp: list[Fraction]) -> None:
        self._num = num
        self.dens = dens
        self.his = his
        self.incl = incl
        self.lid = lid
        self.maxp = maxp
        self.codes: np.ndarray | None = None
        self.table: np.ndarray | None = None
        self.complete = False

    @property
    def num(self) -> np.ndarray:
        if self._num is None:
            assert self.codes is not None and self.table is not None
            self._num = by_code(self.table, self.codes)
        return self._num

    @num.setter
    def num(self, value: np.ndarray) -> None:
        self._num = value

    @property
    def den(self) -> Any:
        """The denominator: one int, or one per row."""
        if self.lid is None or len(set(self.dens)) == 1:
            return self.dens[0]
        return np.array(self.dens, dtype=np.int64)[self.lid]

    @property
    def hi(self) -> int:
        return max(self.his, default=0)

    @property
    def dmax(self) -> int:
        return max(self.dens, default=1)

    def den_at(self, row: int) -> int:
        return self.dens[int(self.lid[row])] if self.lid is not None else self.dens[0]


def _check(value: int, what: str) -> int:
    if value >= LIMIT:
        raise Overflow(f"exact sums beyond 64-bit integers ({what})")
    return value


def _in(status: np.ndarray, statuses: np.ndarray) -> np.ndarray:
    """Per row: its status is in the set ``statuses`` (a table by status), tested by bits of
    one byte: four times faster than a look-up through wide indices."""
    bits = np.uint8(sum(1 << int(s) for s in np.flatnonzero(statuses)))
    byte = status.astype(np.int8, copy=False).view(np.uint8)
    return np.asarray((np.left_shift(np.uint8(1), byte) & bits) != 0)


def _put(status: np.ndarray, where: np.ndarray, value: int) -> np.ndarray:
    """``status``, but ``value`` where ``where``: arithmetic on int8, with no branch per row
    (np.where mispredicts on mixed rows)."""
    status = status.astype(np.int8, copy=False)
    return np.asarray(status - (status - np.int8(value)) * where)


def _with_na(status: np.ndarray, reason: np.ndarray, usable: np.ndarray, allowed: bool,
             given: np.ndarray | None) -> np.ndarray:
    """Statuses where N/A is given (``reason``): N/A with a usable reason where allowed,
    else an error; an error too where a value is given besides (row_to_data refuses it).
    N/A is the exception, so only its rows are visited."""
    rows = np.flatnonzero(reason)
    na = np.where(usable[rows], np.int8(NA), np.int8(ERROR)) if allowed else np.int8(ERROR)
    if given is not None:
        na = np.where(given[rows], np.int8(ERROR), na)
    status[rows] = na
    return status


def _member(codes: np.ndarray, members: list[int], count: int) -> np.ndarray:
    """Per row: its code (-1 .. count - 1) is one of ``members`` (np.isin sorts)."""
    table = np.zeros(count + 1, dtype=bool)
    table[members] = True  # -1: the last slot
    return by_code(table, codes)


def _add_digit(code: np.ndarray | None, k: _Node, radix: int) -> np.ndarray:
    """code + digit x radix, the digit a child's layout + 1, or 0 where it is left out
    (products by the inclusion mask: no branch per row, no array of ones)."""
    if k.lid is None:
        assert k.incl is not None  # the caller skips children with neither
        digit: np.ndarray = np.multiply(k.incl, radix, dtype=np.int64)
    else:
        digit = k.lid + 1 if radix == 1 else (k.lid + 1) * radix
        if k.incl is not None:
            digit *= k.incl
    if code is None:
        return digit
    code += digit
    return code


def _distinct_codes(code: np.ndarray, radix: int) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct codes, each row's index among them)."""
    if radix <= 1 << 16:
        seen = np.zeros(radix, dtype=bool)
        seen[code] = True  # half the cost of np.bincount (which counts)
        present = np.flatnonzero(seen)
        if len(present) == radix:  # every code is there: each is its own index
            return present, code
        remap = np.zeros(radix, dtype=np.int64)
        remap[present] = np.arange(len(present))
        return present, np.take(remap, code)
    values, inverse = np.unique(code, return_inverse=True)
    return values, inverse.reshape(-1)


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
        self.suspect = np.zeros(self.n, dtype=bool)
        self.status: dict[str, np.ndarray] = {}
        self.parsed: dict[str, Parsed] = {}
        #: Indicators whose status is not fixed by their cell alone (N/A, prerequisites, ...).
        self.varies: dict[str, bool] = {}
        self.nodes: dict[str, _Node] = {}
        self.sets = self.fw.spec.sets
        self.tests: dict[Any, tuple[np.ndarray, Any]] = {}
        #: Each gate's rows once worked out (see smesdk.gates.holds_columns).
        self.gate_rows: dict[int, tuple[Any, np.ndarray]] = {}
        self.days = np.zeros(self.n, dtype=np.int64)

    # -- rows as a whole ----------------------------------------------------------------
    def _check_text(self, name: str) -> None:
        """Enterprise fields must be text: rows with another kind of value go per record."""
        col = self.cols.get(name)
        if col is not None and not _text_like(col.type):
            self.suspect |= col.is_valid().to_numpy(zero_copy_only=False)

    def _enterprise(self) -> tuple[np.ndarray, np.ndarray]:
        n = self.n
        eid = self.cols[ENTERPRISE_ID]
        if eid.null_count:
            self.suspect |= eid.is_null().to_numpy(zero_copy_only=False)
        if pa.types.is_dictionary(eid.type) and is_text(eid.type.value_type):
            codes, values = distinct(eid)
            odd = np.array([not v or v.strip() != v for v in values] + [False])
            self.suspect |= odd[codes]
        elif is_text(eid.type):
            # Empty, or with white space at either end (as str.strip sees it): per record says
            # what is wrong. Trimming is five times cheaper than a regular expression.
            length = pc.binary_length(eid)
            odd = pc.or_(pc.equal(length, 0),
                         pc.not_equal(pc.binary_length(pc.utf8_trim_whitespace(eid)), length))
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
            sizes = self.c.sizes
            table = np.array([sizes.index(v) if isinstance(v, str) and v in sizes else -1
                              for v in values] + [-1])
            size = table[codes]
            self.suspect |= size < 0
        industry = np.full(n, -1, dtype=np.int64)
        self._industries: list[Any] = []
        col = self.cols.get("industry")
        if col is not None and _text_like(col.type):
            industry, self._industries = distinct(col)
            # A code outside the framework's classification: per record says so.
            listed = self.c.industry_codes
            known = np.array([isinstance(v, str) and listed.code(v) is not None
                              for v in self._industries] + [True])
            self.suspect |= ~known[industry]
        elif col is not None:
            self.suspect |= col.is_valid().to_numpy(zero_copy_only=False)
        return size, industry

    def _read_fields(self) -> None:
        """The extra enterprise fields, each distinct cell read once by the field's kind. A
        cell the kind refuses, or a missing field that decides applicability, is an error per
        record (which names it)."""
        self._fields: dict[str, tuple[np.ndarray, list[Any]]] = {}
        for name, field in self.c.fields.items():
            col = self.cols.get(FIELD_PREFIX + name)
            codes, values = (distinct(col) if col is not None and not pa.types.is_null(col.type)
                             else (np.full(self.n, -1, dtype=np.int64), []))
            read: list[Any] = []
            bad = np.zeros(len(values) + 1, dtype=bool)  # the last slot: a missing cell
            for k, value in enumerate(values):
                try:
                    read.append(field_value(field, value))
                except ValueError:
                    read.append(None)
                    bad[k] = True
            bad[-1] = name in self.c.rule_fields
            self.suspect |= bad[codes]
            self._fields[name] = (codes, read)

    def _field_test(self, name: str, test: Any) -> np.ndarray:
        """Per row, whether the field's value passes an ``applies_to`` test (rows whose value
        is missing or refused are errors already)."""
        codes, read = self._fields[name]
        table = np.array([v is not None and field_passes(test, v) for v in read] + [False])
        return np.asarray(table[codes])

    def _dates(self) -> np.ndarray:
        n = self.n
        days = np.zeros(n, dtype=np.int64)
        given = np.zeros(n, dtype=bool)
        col = self.cols.get(DATE)
        if col is not None:
            t = col.type.value_type if pa.types.is_dictionary(col.type) else col.type
            if not (pa.types.is_date(t) or is_text(t) or pa.types.is_null(t)):
                raise Unsupported(f"a date column of type {col.type}")
            if pa.types.is_date32(col.type):
                given = validity(col)
                days = pc.fill_null(col.cast(pa.int32()), 0).to_numpy(
                    zero_copy_only=False).astype(np.int64)
            elif not pa.types.is_null(t):
                codes, values = distinct(col)
                parsed = [as_date(v) for v in values]
                table = np.array([(d - EPOCH).days if d else 0 for d in parsed] + [0])
                ok = np.array([d is not None for d in parsed] + [False])
                given = codes >= 0
                days = table[codes]
                self.suspect |= given & ~ok[codes]
        if self.as_of is not None:
            if not given.all():
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
        errors: list[np.ndarray] = []
        for iid in fw.order:
            ind = fw.indicator(iid)
            kind = fw.kinds[iid]
            col = self.cols.get(iid)
            cache = self.c.cell_cache.setdefault(iid, {})
            p = parse_column(kind, ind, col, days, on_values, cache) if col is not None else empty
            na_reason, na_ok = self._na(iid)
            fact_col = self.cols.get(FACT_PREFIX + ind.fact) if ind.fact else None
            merged = False
            if fact_col is not None and not pa.types.is_null(fact_col.type):
                pf = parse_column(kind, ind, fact_col, days, on_values, cache)
                # An answer and its fact both given must agree (the engine reports a
                # contradiction): rows where this cannot be shown go per record.
                both = p.given & pf.given
                if both.any():
                    self.suspect |= both & ~_agree(kind, ind, p, pf, both)
                if na_reason is not None:
                    self.suspect |= na_reason & pf.given
                no_na = ~na_reason if na_reason is not None else True
                p = p.merged(pf, ~p.given & no_na & pf.given)
                merged = True
            self.parsed[iid] = p
            scored = fw.scored[iid]
            ok_status = SCORED if scored else UNSCORED_VALUE
            missing = ERROR if ind.required else (UNANSWERED if scored else UNSCORED_EMPTY)
            if p.codes is not None and not merged:
                table, error_slot = self._status_table(iid, p, ok_status, missing)
                if not error_slot:  # every value valid: one status, another where missing
                    status = np.full(n, ok_status, dtype=np.int8)
                    maybe_error = False
                    if not p.complete:
                        missed = p.codes < 0
                        status = _put(status, missed, missing)
                        maybe_error = missing == ERROR and bool(missed.any())
                else:
                    status = by_code(table, p.codes)
                    # Only a used slot that is an error can make an error row.
                    maybe_error = error_slot or (missing == ERROR and bool((p.codes < 0).any()))
            else:
                # missing, an error where given, ok where valid too (valid implies given):
                # int8 products, a sixth of a look-up's time
                status = (p.given.view(np.int8) * np.int8(ERROR - missing)
                          + p.valid.view(np.int8) * np.int8(ok_status - ERROR) + np.int8(missing))
                maybe_error = True
            if na_reason is not None and na_ok is not None:
                status = _with_na(status.astype(np.int8), na_reason, na_ok, ind.na_allowed,
                                  p.given if col is not None else None)
                maybe_error = True
            if ind.depends_on:
                unmet = np.zeros(n, dtype=bool)
                for dep in ind.depends_on:
                    unmet |= ~self._satisfied(dep)
                status = _put(status, unmet, PREREQ if scored else UNSCORED_EMPTY)
            rule = ind.applies_to
            if rule is not None and (rule.sizes or rule.industries or rule.fields):
                applies = np.ones(n, dtype=bool)
                for name, test in rule.fields.items():
                    applies &= self._field_test(name, test)
                if rule.sizes:
                    applies &= _member(size, [self.c.sizes.index(s) for s in rule.sizes],
                                       len(self.c.sizes))
                if rule.industries:
                    inds = [k for k, v in enumerate(self._industries) if v in rule.industries]
                    if "" in rule.industries:  # the engine reads a missing industry as ""
                        inds.append(-1)
                    applies &= _member(industry, inds, len(self._industries))
                status = _put(status, ~applies, NOT_APPLICABLE)
            status = status.astype(np.int8, copy=False)
            self.status[iid] = status
            if maybe_error:
                errors.append(status)
            varies = merged or na_reason is not None or bool(ind.depends_on) or rule is not None
            self.varies[iid] = varies
            if scored:
                self._leaf(iid, p, status, varies)
        for status in errors:
            self.suspect |= status == ERROR

    def _status_table(self, iid: str, p: Parsed, ok_status: int, missing: int
                      ) -> tuple[np.ndarray, bool]:
        """Status per code (the last slot: a missing cell), and whether a value is an error;
        made once per set of distinct values (their tables are shared between batches)."""
        key = (iid, id(p.ok_tab), "status")
        done = self.c.table_cache.get(key)
        if done is None or done[0] is not p.ok_tab:
            table = np.where(p.ok_tab, ok_status, ERROR).astype(np.int8)
            table[-1] = missing
            if len(self.c.table_cache) > 8192:
                self.c.table_cache.clear()
            done = self.c.table_cache[key] = (p.ok_tab, table, bool((table[:-1] == ERROR).any()))
        return done[1], done[2]

    def _leaf(self, iid: str, p: Parsed, status: np.ndarray, varies: bool) -> None:
        """The indicator's score column: points over points scale x max points."""
        mx = self.fw.max_points[iid]
        md = mx.denominator
        den = _check(p.pden * mx.numerator, iid)
        if p.codes is not None and p._pts is None:
            key = (iid, id(p.pts_tab), "points")
            done = self.c.table_cache.get(key)
            if done is None or done[0] is not p.pts_tab:
                table = p.pts_tab * md if md != 1 else p.pts_tab
                if len(self.c.table_cache) > 8192:
                    self.c.table_cache.clear()
                done = self.c.table_cache[key] = (p.pts_tab, table, int(np.abs(table).max()))
            hi = _check(done[2], iid)
            if not varies:  # the parent looks the points up (see _Node)
                node = self.nodes[iid] = _Node(None, [den], [hi], None, None, [mx])
                node.codes, node.table, node.complete = p.codes, done[1], p.complete
                return
            num = by_code(done[1], p.codes)
        else:
            num = p.pts * md if md != 1 else p.pts
            # |num| bound from both ends: two reductions, no array of absolute values
            hi = _check(max(int(num.max(initial=0)), -int(num.min(initial=0))), iid)
        incl = None
        if varies:
            num = num * (status == SCORED)  # no branch per row (np.where mispredicts)
            left_out = _in(status, _LEFT_OUT)
            if left_out.any():
                incl = ~left_out
        self.nodes[iid] = _Node(num, [den], [hi], incl, None, [mx])

    def _na(self, iid: str) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(N/A given, with a usable reason) per row; (None, None) without N/A cells."""
        col = self.cols.get(NA_PREFIX + iid)
        if col is None or pa.types.is_null(col.type) or col.null_count == len(col):
            return None, None
        given = validity(col)
        if not _text_like(col.type):
            self.suspect |= given
            return given, np.zeros(self.n, dtype=bool)
        if 2 * col.null_count <= len(col):
            return given, _reason_given(col)
        # Mostly empty (N/A is the exception): read only the rows that have a reason.
        rows = np.flatnonzero(given)
        usable = np.zeros(self.n, dtype=bool)
        if pa.types.is_dictionary(col.type):  # those rows' codes, straight from the buffer
            indices = buffer_values(col.indices, col.type.index_type.to_pandas_dtype())
            usable[rows] = _reasons(col.dictionary.to_pylist())[indices[rows]]
        else:
            usable[rows] = _reason_given(col.take(pa.array(rows)))
        return given, usable

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
        for nid in self.fw.bottom_up:
            self.nodes[nid] = self._combine(nid)

    def _layouts(self, nid: str, kids: list[_Node]
                 ) -> tuple[np.ndarray | None, list[list[int]]]:
        """Each row's layout of the node (None: one for all) and, per layout, each child's
        own layout, or -1 where the child is left out."""
        code: np.ndarray | None = None
        radix = 1
        radices = []
        for k in kids:
            if k.incl is None and k.lid is None:
                radices.append(0)
                continue
            code = _add_digit(code, k, radix)
            radices.append(radix)
            radix *= len(k.maxp) + 1
            if radix >= LIMIT:
                raise Unsupported(f"too many layouts under {nid!r}")
        if code is None:
            return None, [[0] * len(kids)]
        values, lid = _distinct_codes(code, radix)
        layouts = []
        for v in values.tolist():
            layout = []
            for k, r in zip(kids, radices, strict=True):
                layout.append((v // r) % (len(k.maxp) + 1) - 1 if r else 0)
            layouts.append(layout)
        return lid, layouts

    def _combine(self, nid: str) -> _Node:
        c, n = self.c, self.n
        ids = c.kids[nid]
        kids = [self.nodes[k] for k in ids]
        lid, layouts = self._layouts(nid, kids)
        scales = [[_scale_key(k, x) for x in range(len(k.maxp))] for k in kids]
        infos = [self._layout(nid, ids, kids, lay, scales) for lay in layouts]
        maxp = [info.maxp for info in infos]
        empty = [info.empty for info in infos]
        incl = None
        if any(empty):
            incl = ~np.array(empty)[lid] if lid is not None else np.zeros(n, dtype=bool)
        node = self._linear(nid, kids, lid, layouts, infos)
        if node is not None:
            if incl is not None and node.codes is not None:  # rows left out: a column
                node.num, node.codes = node.num, None
            node.incl, node.lid, node.maxp = incl, lid, maxp
            return node
        try:
            num, dens, his = self._columns(nid, ids, kids, len(layouts))
        except NotVectorisable:
            num, dens, his = self._by_tuples(nid, ids, kids, lid, layouts)
        if incl is not None:
            num = num * incl
        return _Node(num, dens, his, incl, lid, maxp)

    def _children(self, ids: list[str], kids: list[_Node], layout: list[int],
                  scores: list[Fraction] | None = None) -> list[Child]:
        fw = self.fw
        return [fw.child_view(ids[j], scores[j] if scores else Fraction(0), kids[j].maxp[x])
                for j, x in enumerate(layout) if x >= 0]

    def _layout(self, nid: str, ids: list[str], kids: list[_Node], lay: list[int],
                scales: list[list[tuple[int, int, int]]]) -> _Layout:
        """What one layout of the node means; made once per distinct layout, across batches
        (a batch's layouts are numbered afresh, so the key is each child's scale and maximum
        in it, not its number: ``scales``, per child and layout of it)."""
        key = (nid, tuple(scales[j][x] if x >= 0 else None for j, x in enumerate(lay)))
        done = self.c.layout_cache.get(key)
        if done is None:
            if len(self.c.layout_cache) > 8192:
                self.c.layout_cache.clear()
                self.c.coef_cache.clear()  # its keys hold the layouts
            done = self.c.layout_cache[key] = self._work_out_layout(nid, ids, kids, lay)
        return done

    def _work_out_layout(self, nid: str, ids: list[str], kids: list[_Node], lay: list[int]
                         ) -> _Layout:
        maxp = sum((kids[j].maxp[x] for j, x in enumerate(lay) if x >= 0), Fraction(0))
        empty = all(x < 0 for x in lay)
        agg = self.c.agg[nid]
        if not agg.linear:
            return _Layout(maxp, empty, None)
        if empty:
            return _Layout(maxp, empty, (1, [0] * len(lay)))
        shares = agg.shares(self._children(ids, kids, lay))
        if shares is None:
            return _Layout(maxp, empty, None)
        # sum(share x child num / child den) over the layout's common denominator
        it = iter(shares)
        parts = [frac(next(it)) / kids[j].dens[x] if x >= 0 else Fraction(0)
                 for j, x in enumerate(lay)]
        den = _check(math.lcm(1, *(q.denominator for q in parts)), nid)
        return _Layout(maxp, empty, (den, [int(q * den) for q in parts]))

    def _linear(self, nid: str, kids: list[_Node], lid: np.ndarray | None,
                layouts: list[list[int]], infos: list[_Layout]) -> _Node | None:
        """sum(share * child score) with each layout's shares, over each layout's common
        denominator; None when the aggregation is not linear here."""
        if any(info.linear is None for info in infos):
            return None
        key = (nid, tuple(infos))
        plan = self.c.coef_cache.get(key)
        if plan is None:
            plan = _coefficients(nid, layouts, infos)
            if len(self.c.coef_cache) > 4096:
                self.c.coef_cache.clear()
            self.c.coef_cache[key] = plan
        dens, table, terms = plan
        lazy = self._lazy_sum(terms, kids) if lid is None else None
        num = self._apply(terms, kids, lid) if lazy is None else None
        # The bounds follow from the plan, the children's bounds and the layouts: batches
        # repeat them, and a root of many layouts takes a while to sum them in Python.
        hkey = (key, tuple(tuple(k.his) for k in kids), tuple(map(tuple, layouts)))
        his = self.c.coef_cache.get(hkey)
        if his is None:
            if len(self.c.coef_cache) > 4096:
                self.c.coef_cache.clear()
            his = self.c.coef_cache[hkey] = [
                _check(sum(abs(e) * kids[j].his[x] for j, (e, x) in enumerate(zip(
                    row, lay, strict=True)) if x >= 0), nid)
                for row, lay in zip(table, layouts, strict=True)]
        node = _Node(num, dens, his, None, None, [])
        if lazy is not None:
            node.codes, node.table, node.complete = lazy
        return node

    def _lazy_sum(self, terms: list[tuple[int, Any]], kids: list[_Node]
                  ) -> tuple[np.ndarray, np.ndarray, bool] | None:
        """A node whose children are all scored by their codes, with one coefficient each,
        and fit one packed look-up, is scored by that look-up's codes itself: its parent packs
        them in turn, and its own column is made only if something reads it (see _Node)."""
        if not terms or any(isinstance(coef, np.ndarray) or kids[j].codes is None
                            for j, coef in terms):
            return None
        groups = _packs([(kids[j], coef) for j, coef in terms])
        return self._packed(groups[0]) if len(groups) == 1 else None

    def _apply(self, terms: list[tuple[int, Any]], kids: list[_Node], lid: np.ndarray | None
               ) -> np.ndarray:
        """sum(coefficient x child numerator): a coefficient is one int, or one per layout.
        Summed in place into one array (a new array per term cost a third of the time)."""
        if not terms:
            return np.zeros(self.n, dtype=np.int64)
        if len(terms) == 1 and not isinstance(terms[0][1], np.ndarray) and terms[0][1] == 1:
            return kids[terms[0][0]].num
        # Children scored by their codes with one coefficient: a few at a time, one look-up
        # (the first look-up's fresh array is the sum to add the rest into).
        by_codes = [(j, coef) for j, coef in terms
                    if not isinstance(coef, np.ndarray) and kids[j].codes is not None]
        sums = [self._packed_sum(group) for group in _packs([(kids[j], c) for j, c in by_codes])]
        num = sums[0] if sums else np.zeros(self.n, dtype=np.int64)
        for part in sums[1:]:
            num += part
        packed = {j for j, _ in by_codes}
        term = np.empty(self.n, dtype=np.int64)
        for j, coef in terms:
            k = kids[j]
            if j in packed:
                continue
            if isinstance(coef, np.ndarray):  # one per layout: rows have layout ids
                assert lid is not None
                np.multiply(by_code(coef, lid), k.num, out=term)
                num += term
            elif coef != 1:
                np.multiply(k.num, coef, out=term)
                num += term
            else:
                num += k.num
        return num

    def _packed_sum(self, group: list[tuple[_Node, int]]) -> np.ndarray:
        """sum(coefficient x points[code]) over children scored by their codes."""
        codes, table, _ = self._packed(group)
        return by_code(table, codes)

    def _packed(self, group: list[tuple[_Node, int]]) -> tuple[np.ndarray, np.ndarray, bool]:
        """(codes, table, complete) of sum(coefficient x points[code]) over children scored
        by their codes: their codes packed into one index (mixed radix) into the table of
        every combination's sum. A lone child keeps its own codes (-1 where missing)."""
        key = tuple((id(k.table), k.complete, coef) for k, coef in group)
        packed = self.c.packed_cache
        done = packed.get(key)
        if done is None or any(t is not k.table for t, (k, _) in zip(done[0], group,
                                                                       strict=True)):
            if len(packed) >= _PACKED_TABLES:
                packed.clear()
            done = packed[key] = (tuple(k.table for k, _ in group), _sums_table(group))
        table = done[1]
        last = group[-1][0]
        assert last.codes is not None
        if len(group) == 1:
            return last.codes, table, last.complete
        # Horner's scheme from the last child: index = sum((code + shift) x place value), in
        # int16 (below _PACKED): four times faster than in int64 on narrow codes.
        index = last.codes.astype(np.int16)
        offset = _slots(last)[1]
        for k, _ in reversed(group[:-1]):
            assert k.codes is not None
            slots, shift = _slots(k)
            np.multiply(index, slots, out=index)
            np.add(index, k.codes, out=index, casting="unsafe")
            offset = offset * slots + shift
        if offset:
            index += offset
        return index, table, True

    def _columns(self, nid: str, ids: list[str], kids: list[_Node], layouts: int
                 ) -> tuple[np.ndarray, list[int], list[int]]:
        """The aggregation's own column-wise ``combine_columns`` (NotVectorisable if none)."""
        fw, n = self.fw, self.n
        columns = []
        common = math.lcm(1, *(d for k in kids for d in k.dens))
        for cid, k in zip(ids, kids, strict=True):
            if len(set(k.maxp)) > 1:  # a column has one maximum: tell the rows apart instead
                raise NotVectorisable("children whose maximum points vary between rows")
            den = math.lcm(*k.dens)
            num = k.num
            if k.lid is not None and len(set(k.dens)) > 1:  # to one denominator per column
                _check(k.hi * den, nid)
                num = num * np.array([den // d for d in k.dens], dtype=np.int64)[k.lid]
            node = fw.nodes[cid]
            columns.append(ChildColumn(
                node.local_id, num, den, k.incl if k.incl is not None else np.ones(n, bool),
                fw.weights[cid], k.maxp[0], node.indicator.tier if node.indicator else None))
            # what the method may multiply: a numerator by the common denominator
            _check(max(k.hi, 1) * common * 64, nid)
        num, den = self.c.agg[nid].combine_columns(columns, self.c.params[nid])
        num = np.asarray(num, dtype=np.int64)
        hi = _check(int(np.abs(num).max(initial=0)), nid)
        return num, [_check(int(den), nid)] * layouts, [hi] * layouts

    def _by_tuples(self, nid: str, ids: list[str], kids: list[_Node], lid: np.ndarray | None,
                   layouts: list[list[int]]) -> tuple[np.ndarray, list[int], list[int]]:
        """The aggregation's own ``combine``, once per distinct tuple of child scores."""
        cols = [k.num for k in kids] + ([lid] if lid is not None else [])
        if not cols:
            return np.zeros(self.n, dtype=np.int64), [1] * len(layouts), [0] * len(layouts)
        first, inverse = group_rows(cols)
        agg, params = self.c.agg[nid], self.c.params[nid]
        results: list[Fraction] = []
        bad = np.zeros(len(first), dtype=bool)
        for t, row in enumerate(first.tolist()):
            lay = layouts[int(lid[row])] if lid is not None else layouts[0]
            scores = [Fraction(int(k.num[row]), k.den_at(row)) for k in kids]
            children = self._children(ids, kids, lay, scores)
            if not children:
                results.append(Fraction(0))
                continue
            try:
                results.append(frac(agg.combine(children, params)))
            except Exception:  # the plugin's own failure: per record reports it
                results.append(Fraction(0))
                bad[t] = True
        den = _check(math.lcm(1, *(r.denominator for r in results)), nid)
        values = [r.numerator * (den // r.denominator) for r in results]
        hi = _check(max((abs(v) for v in values), default=0), nid)
        inverse = inverse.reshape(-1)
        if bad.any():
            self.suspect |= bad[inverse]
        return (np.array(values, dtype=np.int64)[inverse], [den] * len(layouts),
                [hi] * len(layouts))

    # -- what gates read (smesdk.columnar.ColumnView) ------------------------------------
    @property
    def rows(self) -> int:
        return int(self.n)

    def _cmp(self, num: np.ndarray, den: int | np.ndarray, hi: int, times: int, test: Any
             ) -> np.ndarray:
        """gates._compare for num * times / den (exact; den > 0)."""
        eq = getattr(test, "eq", None)
        bounds = gates_bounds(test)
        dmax = int(den.max(initial=1)) if isinstance(den, np.ndarray) else int(den)
        checks: list[tuple[Fraction, str | None]] = [(Fraction(eq), None)] if eq is not None and (
            isinstance(eq, bool | int | float) or hasattr(eq, "as_integer_ratio")) else []
        if eq is not None and not checks:
            return np.zeros(self.n, dtype=bool)  # text never equals a number
        if not bounds and eq is None:
            return np.zeros(self.n, dtype=bool)
        checks += [(frac(b), op) for op, b in bounds]
        res: np.ndarray | None = None
        for value, op in checks:
            _check(hi * times * value.denominator + abs(value.numerator) * dmax, "a gate")
            if isinstance(den, np.ndarray):
                held = _compared(num * (times * value.denominator), op, den * value.numerator)
            else:
                held = _over_threshold(num, op, times * value.denominator,
                                       int(den) * value.numerator)
            if res is None:
                res = held
            else:
                res &= held
        assert res is not None  # checks is not empty
        return res

    def total_test(self, test: TotalTest) -> np.ndarray:
        return self._remembered(("total_test", id(test)), test, lambda: self._total_test(test))

    def _total_test(self, test: TotalTest) -> np.ndarray:
        root = self.nodes[ROOT]
        return self._cmp(root.num, root.den, root.hi, 100, test)

    def dimension_test(self, test: DimensionTest) -> np.ndarray:
        return self._remembered(("dimension_test", id(test)), test, lambda: self._dimension_test(test))

    def _dimension_test(self, test: DimensionTest) -> np.ndarray:
        node = self.nodes.get(test.id)
        if node is None:  # an unscored dimension: no score, 0 points
            if test.measure == "score":
                return np.zeros(self.n, dtype=bool)
            return self._cmp(np.zeros(self.n, dtype=np.int64), 1, 0, 1, test)
        if test.measure == "score":
            held = self._cmp(node.num, node.den, node.hi, 100, test)
            return held if node.incl is None else held & node.incl
        # points = score x the layout's max points
        mn = np.array([m.numerator for m in node.maxp], dtype=object)
        md = np.array([m.denominator for m in node.maxp], dtype=object)
        top = _check(max(mn.tolist(), default=0) * node.hi, "dimension points")
        if node.lid is None:
            return self._cmp(node.num * int(mn[0]), node.den * int(md[0]), top, 1, test)
        return self._cmp(node.num * mn.astype(np.int64)[node.lid],
                         node.den * md.astype(np.int64)[node.lid], top, 1, test)

    def indicator_test(self, iid: str, test: IndicatorTest | CountTest) -> np.ndarray:
        # Keyed by what the test compares, not by the test: count gates over overlapping
        # sets (digital's scenes and constraining scenes) ask the same member the same thing.
        keys = self.c.test_keys
        hit = keys.get(id(test))
        if hit is None or hit[1] is not test:
            if len(keys) > 4096:  # a plugin rule may make tests on the fly: stay bounded
                keys.clear()
            hit = keys[id(test)] = (comparison_key(test), test)
        return self._remembered(("indicator_test", iid, hit[0]), test,
                                lambda: self._indicator_test(iid, test))

    def _remembered(self, key: Any, test: Any, work: Any) -> np.ndarray:
        """A test's rows, worked out once per batch (level rules ask for the same gate parts
        again when they count blockers); the test is kept so that its id stays its own."""
        done = self.tests.get(key)
        if done is None:
            done = self.tests[key] = (work(), test)
        return done[0]

    def _indicator_test(self, iid: str, test: IndicatorTest | CountTest) -> np.ndarray:
        status = self.status.get(iid)
        if status is None:
            return np.zeros(self.n, dtype=bool)
        measure = test.measure
        if measure in ("score", "points"):
            node = self.nodes.get(iid)
            if node is None:  # unscored: no score, 0 points
                if measure == "score":
                    return np.zeros(self.n, dtype=bool)
                return self._cmp(np.zeros(self.n, dtype=np.int64), 1, 0, 1, test)
            if measure == "score":
                return np.asarray(~_in(status, _LEFT_OUT) & self._cmp(node.num, node.den, node.hi,
                                                                 100, test))
            # points = score x max points
            mx = self.fw.max_points[iid]
            return self._cmp(node.num, node.den, node.hi, 1, _Scaled(test, mx))
        parsed = self.parsed[iid]
        if parsed.codes is not None and not self.varies[iid]:
            return parsed.test(test, measure)  # present exactly where the cell is valid
        return np.asarray(_in(status, _PRESENT) & parsed.test(test, measure))

    def fact_test(self, t: FactTest) -> np.ndarray:
        return self._remembered(("fact_test", id(t)), t, lambda: self._fact_test(t))

    def _fact_test(self, t: FactTest) -> np.ndarray:
        res = np.zeros(self.n, dtype=bool)
        col = self.cols.get(FACT_PREFIX + t.key)
        if col is not None and not pa.types.is_null(col.type):
            codes, values = distinct(col)
            table = np.array([_compare(t, v) for v in values] + [False])
            res = table[codes]
        for iid in self.fw.fact_users.get(t.key, []):  # an answered indicator stands for it
            res = np.where(_in(self.status[iid], _PRESENT), self.parsed[iid].test(t, "answer"), res)
        return res

    # -- levels --------------------------------------------------------------------------
    def _levels(self) -> tuple[np.ndarray, np.ndarray]:
        """The level rule over the batch: column-wise, else once per distinct view."""
        try:
            levels, blockers = self.c.rule.decide_columns(self.fw.spec, self)
            return np.asarray(levels), np.asarray(blockers)
        except NotVectorisable:
            return plugin_levels(self)

    # -- the whole batch -----------------------------------------------------------------
    def go(self) -> np.ndarray:
        size, industry = self._enterprise()
        self._read_fields()
        self.days = days = self._dates()
        self._indicators(size, industry, days)
        for ids, cap in self.c.na_caps:
            na = sum(((self.status[i] == NA).astype(np.int64) for i in ids), np.zeros(self.n, np.int64))
            considered = sum((~_in(self.status[i], _NOT_CONSIDERED)
                              ).astype(np.int64) for i in ids)
            self.suspect |= (considered > 0) & (na * cap.denominator > cap.numerator * considered)
        self._tree()
        level, blockers = self._levels()
        out = self.out
        root = self.nodes[ROOT]
        out.total[:] = _rounded(root, 100)
        out.level[:] = level
        out.blockers[:] = blockers
        for k, did in enumerate(self.c.top_dimensions):
            node = self.nodes.get(did)
            if node is None:  # an unscored dimension: no score
                out.dims_valid[k] = False
                continue
            out.dims[k] = _rounded(node, 100)
            out.dims_valid[k] = True if node.incl is None else node.incl
        return self.suspect


def _compared(left: np.ndarray, op: str | None, right: Any) -> np.ndarray:
    """left OP right, per row (op None: equality)."""
    return np.asarray((np.equal if op is None else COMPARISONS[op])(left, right))


def _over_threshold(num: np.ndarray, op: str | None, a: int, b: int) -> np.ndarray:
    """num * a OP b (a > 0) for integer num, as num OP' an integer threshold: one comparison
    and no product. Exact: num * a >= b iff num >= ceil(b / a), num * a > b iff
    num > floor(b / a), and likewise for <= and <; num * a == b needs a to divide b."""
    if op is None:
        return np.asarray(num == b // a) if b % a == 0 else np.zeros(len(num), dtype=bool)
    if op in ("ge", "lt"):
        return _compared(num, op, -(-b // a))
    return _compared(num, op, b // a)


#: Packed sums tables kept across batches: 512 x 32 KiB at most (16 MiB); a framework has
#: one per parent of code-scored children, and a new set of distinct values makes another.
_PACKED_TABLES = 512


def _scale_key(kid: _Node, x: int) -> tuple[int, int, int]:
    """A child layout's denominator and maximum points, as plain ints (hashing a Fraction
    costs a modular inverse)."""
    m = kid.maxp[x]
    return kid.dens[x], m.numerator, m.denominator


class _Layout:
    """One layout of a node: its maximum points, whether no child counts in it, and for a
    linear aggregation (denominator, integer coefficient per child) such that the node's
    numerator is sum(coefficient x child numerator); ``linear`` None when not linear."""

    __slots__ = ("empty", "linear", "maxp")

    def __init__(self, maxp: Fraction, empty: bool, linear: tuple[int, list[int]] | None
                 ) -> None:
        self.maxp = maxp
        self.empty = empty
        self.linear = linear


#: Most combinations one packed look-up covers (4,096 int64 sums: 32 KiB, cache-sized).
_PACKED = 1 << 12


def _slots(k: _Node) -> tuple[int, int]:
    """(number of values, shift) of a child's codes: a missing cell (code -1) takes value 0
    after a shift of 1; a complete column has no missing cell, so no slot for it."""
    assert k.table is not None
    return (len(k.table) - 1, 0) if k.complete else (len(k.table), 1)


def _packs(children: list[tuple[_Node, int]]) -> list[list[tuple[_Node, int]]]:
    """Consecutive children in groups whose combinations fit one packed table."""
    groups: list[list[tuple[_Node, int]]] = []
    size = 1
    for child in children:
        slots = max(_slots(child[0])[0], 1)  # no values at all: a batch of no rows
        if not groups or size * slots > _PACKED:
            groups.append([])
            size = 1
        groups[-1].append(child)
        size *= slots
    return groups


def _sums_table(group: list[tuple[_Node, int]]) -> np.ndarray:
    """Per packed index (see _Run._packed_sum), the sum of the children's coefficient x
    points; for one child, its points table times the coefficient (looked up by code)."""
    def scaled(k: _Node, coef: int) -> np.ndarray:
        assert k.table is not None
        table = k.table * coef
        if len(group) == 1:
            return table
        # index 0 .. slots-1: a shifted missing cell first, or no missing slot at all
        return np.roll(table, 1) if _slots(k)[1] else table[:-1]

    table = scaled(*group[-1])
    if len(group) == 1:
        return table
    for k, coef in reversed(group[:-1]):
        table = np.add.outer(table, scaled(k, coef)).ravel()
    # A last slot as every points table has (for a missing cell): a packed index has none,
    # so it is never looked up.
    return np.append(table, np.zeros(1, dtype=table.dtype))


def _coefficients(nid: str, layouts: list[list[int]], infos: list[_Layout]
                  ) -> tuple[list[int], list[list[int]], list[tuple[int, Any]]]:
    """(denominator per layout, coefficients per layout, per child its coefficient — one int,
    or one per layout; a child left out scores 0, so only layouts including it tell)."""
    dens: list[int] = []
    table: list[list[int]] = []
    for info in infos:
        assert info.linear is not None
        dens.append(info.linear[0])
        table.append(info.linear[1])
    terms: list[tuple[int, Any]] = []
    for j in range(len(layouts[0]) if layouts else 0):
        col = [row[j] for row in table]
        if not any(col):
            continue
        used = {e for e, lay in zip(col, layouts, strict=True) if lay[j] >= 0}
        if len(used) == 1:
            terms.append((j, used.pop()))
        else:
            _check(max(abs(e) for e in col), nid)
            terms.append((j, np.array(col, dtype=np.int64)))
    return dens, table, terms


class _Scaled:
    """A test on ``value * k`` read as a test on ``value`` (bounds divided by k)."""

    def __init__(self, test: Any, k: Fraction) -> None:
        eq = getattr(test, "eq", None)
        number = isinstance(eq, bool | int | float) or hasattr(eq, "as_integer_ratio")
        self.eq = Fraction(eq) / k if eq is not None and number else eq
        for op in ("ge", "gt", "le", "lt"):
            b = getattr(test, op)
            setattr(self, op, frac(b) / k if b is not None else None)


def _rounded(node: _Node, times: int) -> np.ndarray:
    """round_out(num * times / den) as int64 ten-thousandths: halves away from zero.

    float64 finds the answer for every row whose exact value is not within 1e-6 of a half
    (its error is below 1e-9 at these magnitudes); the rest are worked out in integers.
    """
    _check(node.hi * times + node.dmax * _SCALE, "rounding")
    num = node.num
    negative = bool(num.min(initial=0) < 0)
    if negative:
        num = np.abs(num)
    # One factor per layout, looked up per row: a product, not a division per row (two
    # roundings, as with one denominator for all rows; still far below 1e-6).
    lid = node.lid if len(set(node.dens)) > 1 else None
    if lid is not None:
        factors = np.array([times * _SCALE / d for d in node.dens])
        z = by_code(factors, lid)
        z *= num  # in place: no temporaries
    else:
        z = num * (times * _SCALE / node.dens[0])
    z += 0.5
    q = np.floor(z)
    part = z - q  # exact: the fraction's own bits
    near = (part < 1e-6) | (part > 1 - 1e-6)  # within 1e-6 of a whole (fewer passes)
    out = q.astype(np.int64)
    if any(h * times * _SCALE > 10**9 * d for h, d in zip(node.his, node.dens, strict=True)):
        near[:] = True  # values this large: integers only
    if near.any():
        at = np.flatnonzero(near)
        d = np.array(node.dens, dtype=np.int64)[lid[at]] if lid is not None else node.dens[0]
        whole, rest = np.divmod(num[at] * times, d)
        part, rem = np.divmod(rest * _SCALE, d)
        out[at] = whole * _SCALE + part + (2 * rem >= d)
    return np.asarray(np.where(node.num < 0, -out, out)) if negative else out


def _reason_given(col: pa.Array) -> np.ndarray:
    """Per cell of a text column: a reason that is not blank (as str.strip sees it)."""
    codes, values = distinct(col)
    return by_code(_reasons(values), codes)


def _reasons(values: list[Any]) -> np.ndarray:
    """Per distinct text, whether it is a reason (not blank); the last slot: none."""
    return np.array([v is not None and bool(v.strip()) for v in values] + [False])


def _text_like(t: pa.DataType) -> bool:
    return is_text(t) or (pa.types.is_dictionary(t) and is_text(t.value_type))

