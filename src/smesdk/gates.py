"""Gates: conditions on a scored result, declared as data (all/any/not over simple tests).

Each kind of test is one :class:`GateTest` object in :data:`GATE_TESTS`, keyed by the
:class:`~smesdk.spec.Gate` field that declares it. The object carries everything every
consumer needs: per-record evaluation (:meth:`GateTest.holds`), column-wise evaluation for
the batch scorer (:meth:`GateTest.holds_columns`), its text with current values (blockers)
and without (docs), the ids it refers to (validation) and its own shape checks. Nothing else
switches on the kind of a gate: adding a test is adding one entry here (see CONTRIBUTING.md).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import attrs

from smesdk.columnar import ColumnView, NotVectorisable
from smesdk.numbers import fmt, frac, round_out
from smesdk.spec import CountTest, DimensionTest, FactTest, Gate, IndicatorTest, TotalTest
from smesdk.text import Lang, Text

if TYPE_CHECKING:
    import numpy as np

_OPS = (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<"))
_MEASURES = {"score": Text(zh="得分", en="score"), "points": Text(zh="分值", en="points"),
             "level": Text(zh="等级", en="level"), "answer": Text(zh="答案", en="answer")}


@attrs.frozen
class ScoreView:
    """What gates can see of a scored answer set. Scores are 0–100; None means left out."""

    total: Fraction
    dim_score: Mapping[str, Fraction | None]
    dim_points: Mapping[str, Fraction]
    #: The indicator measures are read-only mappings computed on first read.
    ind_score: Mapping[str, Fraction | None]
    ind_points: Mapping[str, Fraction]
    ind_level: Mapping[str, Fraction | None]
    ind_answer: Mapping[str, Any]
    facts: Mapping[str, Any]
    sets: dict[str, list[str]]
    names: dict[str, Text]
    #: Titles of the named indicator sets, for blockers (a set without one shows its id).
    set_titles: Mapping[str, Text] = attrs.field(factory=dict)
    #: What gate tests worked out for this view (a count is asked by holds and by describe).
    memo: dict[Any, Any] = attrs.field(factory=dict, eq=False, repr=False)


Test = TotalTest | DimensionTest | IndicatorTest | FactTest | CountTest


# -- comparisons (shared by every leaf test) ------------------------------------------------

def bounds(test: Test) -> list[tuple[str, Decimal]]:
    """The test's (operator, bound) pairs, e.g. [("ge", 60)]."""
    return [(op, getattr(test, op)) for op, _ in _OPS if getattr(test, op) is not None]


def comparison_key(test: Test) -> tuple[Any, ...]:
    """What ``test`` compares, as a hashable key: tests with equal keys pass the same values
    (the batch works out each comparison of an indicator once, whichever gate asks). ``eq``
    is keyed with its type (True == 1 in Python, but they are different answers); a test whose
    ``eq`` cannot be hashed is its own key."""
    eq = getattr(test, "eq", None)
    key = (getattr(test, "measure", None), type(eq), eq, *bounds(test))
    try:
        hash(key)
    except TypeError:
        return ("test", id(test))
    return key


def compare(test: Test, value: Any) -> bool:
    """Whether ``value`` passes the test's comparison (eq and bounds)."""
    eq, limits = _limits(test)
    return _passes(eq, limits, value)


#: A test's bounds as exact integers: (numerator, denominator, strict) of each lower bound and
#: of each upper bound.
_Bound = tuple[int, int, bool]
_Limits = tuple[list[_Bound], list[_Bound]]


def _ratio(value: Any) -> tuple[int, int] | None:
    """An exact number as (numerator, denominator); None for anything else (booleans too)."""
    t = type(value)
    if t is Fraction:
        return value.numerator, value.denominator
    if t is int:
        return value, 1
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        return None
    exact = frac(Decimal(repr(value))) if isinstance(value, float) else frac(value)
    return exact.numerator, exact.denominator


def _passes(eq: Any, limits: _Limits, value: Any) -> bool:
    if eq is not None and value != eq:
        return False
    lows, highs = limits
    if not lows and not highs:
        return eq is not None
    ratio = _ratio(value)
    return ratio is not None and _within(lows, highs, *ratio)


def _within(lows: list[_Bound], highs: list[_Bound], n: int, d: int) -> bool:
    # Cross-multiplied integers: exact, and far cheaper than Fraction comparisons.
    for bn, bd, strict in lows:
        left, right = n * bd, bn * d
        if left < right or (strict and left == right):
            return False
    for bn, bd, strict in highs:
        left, right = n * bd, bn * d
        if left > right or (strict and left == right):
            return False
    return True


#: id(test) -> (test, eq, limits): a spec's tests are immutable and few, so their bounds are
#: converted once. The test is kept so that its id cannot be reused meanwhile.
_LIMITS: dict[int, tuple[Test, Any, _Limits]] = {}


def _limits(test: Test) -> tuple[Any, _Limits]:
    hit = _LIMITS.get(id(test))
    if hit is None or hit[0] is not test:
        if len(_LIMITS) > 65536:
            _LIMITS.clear()
        lows: list[_Bound] = []
        highs: list[_Bound] = []
        for op, b in bounds(test):
            exact = frac(b)
            (lows if op in ("ge", "gt") else highs).append(
                (exact.numerator, exact.denominator, op in ("gt", "lt")))
        hit = _LIMITS[id(test)] = (test, getattr(test, "eq", None), (lows, highs))
    return hit[1], hit[2]


def condition(test: Test) -> str:
    """The comparison in symbols, e.g. ``≥ 60, = true``."""
    hit = _CONDITIONS.get(id(test))
    if hit is not None and hit[0] is test:
        return hit[1]
    parts = [f"{sym} {fmt(getattr(test, op))}" for op, sym in _OPS if getattr(test, op) is not None]
    eq = getattr(test, "eq", None)
    if eq is not None:
        parts.append(f"= {show_value(eq)}")
    text = ", ".join(parts)
    if len(_CONDITIONS) > 65536:
        _CONDITIONS.clear()
    _CONDITIONS[id(test)] = (test, text)  # blockers word the same tests on every record
    return text


#: id(test) -> (test, its condition in symbols), as _LIMITS keeps the bounds.
_CONDITIONS: dict[int, tuple[Test, str]] = {}


def show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        return fmt(round_out(value))
    return str(value)


#: Each indicator measure's mapping in a view: the one switch on a measure's name per record.
_MEASURED: dict[str, Callable[[ScoreView], Mapping[str, Any]]] = {
    "score": lambda view: view.ind_score, "points": lambda view: view.ind_points,
    "level": lambda view: view.ind_level, "answer": lambda view: view.ind_answer}


def _indicator_value(measure: str, iid: str, view: ScoreView) -> Any:
    return _MEASURED[measure](view).get(iid)


def count_ids(test: CountTest, sets: dict[str, list[str]]) -> list[str]:
    return list(sets.get(test.set, [])) if test.set else list(test.ids)


def _name(nid: str, names: dict[str, Text]) -> Text:
    name = names.get(nid)  # the fallback is made only when needed: blockers name many ids
    return name if name is not None else Text(zh=nid, en=nid)


def _ref(nid: str, names: dict[str, Text]) -> Text:
    """An id with its title, as docs show it: `id` title."""
    name = names.get(nid)
    if name is None:
        return Text(zh=f"`{nid}`", en=f"`{nid}`")
    return Text(zh=f"`{nid}` {name.zh}", en=f"`{nid}` {name.en}")


def _measured(name: Text, arg: DimensionTest | IndicatorTest, value: Any, *, quoted: bool) -> Text:
    """"<name> <measure> <condition> (now <value>)", an indicator's name in quotes."""
    m = _MEASURES[arg.measure]
    now = show_value(value) if value is not None else "-"
    zh, en = (f"「{name.zh}」", f"'{name.en}' ") if quoted else (name.zh, f"{name.en} ")
    return Text(zh=f"{zh}{m.zh} {condition(arg)}（当前 {now}）",
                en=f"{en}{m.en} {condition(arg)} (now {now})")


def _outlined(nid: str, arg: DimensionTest | IndicatorTest, names: dict[str, Text]) -> Text:
    ref, m = _ref(nid, names), _MEASURES[arg.measure]
    return Text(zh=f"{ref.zh} {m.zh} {condition(arg)}", en=f"{ref.en} {m.en} {condition(arg)}")


# -- the tests -------------------------------------------------------------------------------

class GateTest:
    """One kind of gate test. ``field`` is the :class:`Gate` attribute that declares it."""

    field: ClassVar[str] = ""
    #: Whether the test nests other gates (all/any/not) rather than comparing a value.
    composite: ClassVar[bool] = False

    def holds(self, arg: Any, view: ScoreView) -> bool:
        raise NotImplementedError

    def compile(self, arg: Any) -> Callable[[ScoreView], bool]:
        """``holds`` of one gate as a function of the view alone, made once per gate (every
        record asks the same gates): a test may work out there what depends only on the
        spec. By default, ``holds`` itself."""
        return functools.partial(self.holds, arg)

    def holds_columns(self, arg: Any, view: ColumnView) -> np.ndarray:
        """Per row of a batch; raise NotVectorisable when that cannot be done on arrays."""
        raise NotVectorisable(f"gate test {self.field!r}")

    def describe(self, arg: Any, view: ScoreView) -> Text:
        """The test in words, with the current values (for blockers)."""
        raise NotImplementedError

    def outline(self, arg: Any, names: dict[str, Text]) -> Text:
        """The test in words without values (docs); composites give their heading."""
        raise NotImplementedError

    def subgates(self, arg: Any) -> Sequence[Gate]:
        return ()

    def references(self, arg: Any) -> Iterator[tuple[str, str]]:
        """(kind, id) pairs the test refers to: dimension, indicator, set."""
        return iter(())

    def check(self, arg: Any, path: str) -> Iterator[tuple[str, str]]:
        """Problems with how the test is declared (beyond its own fields' types)."""
        if not self.composite and not bounds(arg) and getattr(arg, "eq", None) is None:
            yield f"{path}.{self.field}", "a comparison needs ge, gt, le, lt or eq"


class _All(GateTest):
    field = "all"
    composite = True

    def holds(self, arg: list[Gate], view: ScoreView) -> bool:
        return all(holds(g, view) for g in arg)

    def compile(self, arg: list[Gate]) -> Callable[[ScoreView], bool]:
        parts = tuple(compiled(g) for g in arg)

        def holds_all(view: ScoreView) -> bool:
            for part in parts:  # noqa: SIM110 (a loop costs less than a generator per record)
                if not part(view):
                    return False
            return True

        return holds_all

    def holds_columns(self, arg: list[Gate], view: ColumnView) -> np.ndarray:
        import numpy as np

        return np.asarray(np.logical_and.reduce([holds_columns(g, view) for g in arg]))

    def describe(self, arg: list[Gate], view: ScoreView) -> Text:
        parts = [describe(g, view) for g in arg]
        return Text(zh="；".join(p.zh for p in parts), en="; ".join(p.en for p in parts))

    def outline(self, arg: list[Gate], names: dict[str, Text]) -> Text:
        return Text(zh="全部满足", en="all of")

    def subgates(self, arg: list[Gate]) -> Sequence[Gate]:
        return arg


class _Any(_All):
    field = "any"

    def holds(self, arg: list[Gate], view: ScoreView) -> bool:
        return any(holds(g, view) for g in arg)

    def compile(self, arg: list[Gate]) -> Callable[[ScoreView], bool]:
        parts = tuple(compiled(g) for g in arg)

        def holds_any(view: ScoreView) -> bool:
            for part in parts:  # noqa: SIM110 (a loop costs less than a generator per record)
                if part(view):
                    return True
            return False

        return holds_any

    def holds_columns(self, arg: list[Gate], view: ColumnView) -> np.ndarray:
        import numpy as np

        return np.asarray(np.logical_or.reduce([holds_columns(g, view) for g in arg]))

    def describe(self, arg: list[Gate], view: ScoreView) -> Text:
        parts = [describe(g, view) for g in arg]
        return Text(zh="以下任一：" + " | ".join(p.zh for p in parts),
                    en="any one of: " + " | ".join(p.en for p in parts))

    def outline(self, arg: list[Gate], names: dict[str, Text]) -> Text:
        return Text(zh="任一满足", en="any one of")


class _Not(GateTest):
    field = "not_"
    composite = True

    def holds(self, arg: Gate, view: ScoreView) -> bool:
        return not holds(arg, view)

    def compile(self, arg: Gate) -> Callable[[ScoreView], bool]:
        inner = compiled(arg)
        return lambda view: not inner(view)

    def holds_columns(self, arg: Gate, view: ColumnView) -> np.ndarray:
        return ~holds_columns(arg, view)

    def describe(self, arg: Gate, view: ScoreView) -> Text:
        inner = describe(arg, view)
        return Text(zh=f"并非（{inner.zh}）", en=f"not ({inner.en})")

    def outline(self, arg: Gate, names: dict[str, Text]) -> Text:
        return Text(zh="并非", en="not")

    def subgates(self, arg: Gate) -> Sequence[Gate]:
        return (arg,)


class _Total(GateTest):
    field = "total"

    def holds(self, arg: TotalTest, view: ScoreView) -> bool:
        return compare(arg, view.total)

    def compile(self, arg: TotalTest) -> Callable[[ScoreView], bool]:
        eq, limits = _limits(arg)
        return lambda view: _passes(eq, limits, view.total)

    def holds_columns(self, arg: TotalTest, view: ColumnView) -> np.ndarray:
        return view.total_test(arg)

    def describe(self, arg: TotalTest, view: ScoreView) -> Text:
        now = show_value(view.total)
        return Text(zh=f"总分 {condition(arg)}（当前 {now}）", en=f"total {condition(arg)} (now {now})")

    def outline(self, arg: TotalTest, names: dict[str, Text]) -> Text:
        return Text(zh=f"总分 {condition(arg)}", en=f"total {condition(arg)}")


class _Dimension(GateTest):
    field = "dimension"

    @staticmethod
    def _value(arg: DimensionTest, view: ScoreView) -> Fraction | None:
        return view.dim_score.get(arg.id) if arg.measure == "score" else view.dim_points.get(arg.id)

    def holds(self, arg: DimensionTest, view: ScoreView) -> bool:
        value = self._value(arg, view)
        return value is not None and compare(arg, value)

    def compile(self, arg: DimensionTest) -> Callable[[ScoreView], bool]:
        eq, limits = _limits(arg)
        did, by_score = arg.id, arg.measure == "score"

        def holds_dimension(view: ScoreView) -> bool:
            value = (view.dim_score if by_score else view.dim_points).get(did)
            return value is not None and _passes(eq, limits, value)

        return holds_dimension

    def holds_columns(self, arg: DimensionTest, view: ColumnView) -> np.ndarray:
        return view.dimension_test(arg)

    def describe(self, arg: DimensionTest, view: ScoreView) -> Text:
        return _measured(_name(arg.id, view.names), arg, self._value(arg, view), quoted=False)

    def outline(self, arg: DimensionTest, names: dict[str, Text]) -> Text:
        return _outlined(arg.id, arg, names)

    def references(self, arg: DimensionTest) -> Iterator[tuple[str, str]]:
        yield "dimension", arg.id


class _Indicator(GateTest):
    field = "indicator"

    def holds(self, arg: IndicatorTest, view: ScoreView) -> bool:
        value = _indicator_value(arg.measure, arg.id, view)
        return value is not None and compare(arg, value)

    def compile(self, arg: IndicatorTest) -> Callable[[ScoreView], bool]:
        eq, limits = _limits(arg)
        measured, iid = _MEASURED[arg.measure], arg.id

        def holds_indicator(view: ScoreView) -> bool:
            value = measured(view).get(iid)
            return value is not None and _passes(eq, limits, value)

        return holds_indicator

    def holds_columns(self, arg: IndicatorTest, view: ColumnView) -> np.ndarray:
        return view.indicator_test(arg.id, arg)

    def describe(self, arg: IndicatorTest, view: ScoreView) -> Text:
        value = _indicator_value(arg.measure, arg.id, view)
        return _measured(_name(arg.id, view.names), arg, value, quoted=True)

    def outline(self, arg: IndicatorTest, names: dict[str, Text]) -> Text:
        return _outlined(arg.id, arg, names)

    def references(self, arg: IndicatorTest) -> Iterator[tuple[str, str]]:
        yield "indicator", arg.id


class _Fact(GateTest):
    field = "fact"

    def holds(self, arg: FactTest, view: ScoreView) -> bool:
        return arg.key in view.facts and compare(arg, view.facts[arg.key])

    def holds_columns(self, arg: FactTest, view: ColumnView) -> np.ndarray:
        return view.fact_test(arg)

    def describe(self, arg: FactTest, view: ScoreView) -> Text:
        now = show_value(view.facts[arg.key]) if arg.key in view.facts else "-"
        return Text(zh=f"事实 {arg.key} {condition(arg)}（当前 {now}）",
                    en=f"fact {arg.key} {condition(arg)} (now {now})")

    def outline(self, arg: FactTest, names: dict[str, Text]) -> Text:
        return Text(zh=f"事实 `{arg.key}` {condition(arg)}", en=f"fact `{arg.key}` {condition(arg)}")


class _Measured:
    """The indicators a count looks at, as one view measures them: ids, values, each
    member's exact ratio, and how many members take each ratio. The gates of one framework
    count over the same sets again and again (each level's gate), so this is worked out once
    per view; the members take a few distinct ratios (scene levels 0-4, say), so a test
    compares each ratio once, not each member."""

    __slots__ = ("ids", "ratios", "tally", "values")

    def __init__(self, arg: CountTest, view: ScoreView) -> None:
        self.ids = ids = count_ids(arg, view.sets)
        self.values = values = list(map(_MEASURED[arg.measure](view).get, ids))
        ratios: list[tuple[int, int] | None] = []
        tally: dict[tuple[int, int], int] = {}
        known = _RATIOS.get  # _ratio_of inline: this runs for every member
        for v in values:
            hit = known(id(v))
            ratio = hit[1] if hit is not None and hit[0] is v else _ratio_of(v)
            ratios.append(ratio)
            if ratio is not None:
                tally[ratio] = tally.get(ratio, 0) + 1
        #: each member's value as an exact ratio (None: no value, or not a number)
        self.ratios = ratios
        #: exact ratio -> how many members take it (members without a number left out)
        self.tally = tally


#: id(value) -> (value, its exact ratio). The values views measure are mostly the same few
#: objects (an answer's level is remembered with the answer: 80 objects for 16,000 scene
#: levels of digital), so each is converted once. The value is kept so that its id stays its
#: own; values made afresh for one record churn through it, bounded.
_RATIOS: dict[int, tuple[Any, tuple[int, int] | None]] = {}


def _ratio_of(value: Any) -> tuple[int, int] | None:
    """:func:`_ratio`, remembered by the value's identity."""
    hit = _RATIOS.get(id(value))
    if hit is not None and hit[0] is value:
        return hit[1]
    ratio = _ratio(value)
    if len(_RATIOS) >= 4096:
        _RATIOS.clear()
    _RATIOS[id(value)] = (value, ratio)
    return ratio


class _CountPlan(NamedTuple):
    """What a count test needs on every record, worked out once per test."""

    test: CountTest
    members_key: Any  # its members' key in a view's memo
    eq: Any
    lows: list[_Bound]
    highs: list[_Bound]
    plain: bool  # whether the bounds alone decide
    #: exact value -> whether it passes: the same few values recur on every record
    passes: dict[tuple[int, int], bool]


#: id(test) -> its plan, as _LIMITS keeps the bounds (the plan keeps the test, so that its id
#: cannot be reused meanwhile).
_COUNTS: dict[int, _CountPlan] = {}


def _count_plan(arg: CountTest) -> _CountPlan:
    hit = _COUNTS.get(id(arg))
    if hit is None or hit.test is not arg:
        if len(_COUNTS) > 65536:
            _COUNTS.clear()
        eq, (lows, highs) = _limits(arg)
        key = ("members", arg.set or tuple(arg.ids), arg.measure)
        hit = _COUNTS[id(arg)] = _CountPlan(arg, key, eq, lows, highs,
                                            eq is None and bool(lows or highs), {})
    return hit


def _passes_bounds(plan: _CountPlan, ratio: tuple[int, int]) -> bool:
    """Whether an exact value passes a plain count test's bounds, each value compared once."""
    ok = plan.passes.get(ratio)
    if ok is None:
        if len(plan.passes) > 4096:
            plan.passes.clear()
        ok = plan.passes[ratio] = _within(plan.lows, plan.highs, *ratio)
    return ok


def _members(arg: CountTest, key: Any, view: ScoreView) -> _Measured:
    done: _Measured | None = view.memo.get(key)
    if done is None:
        done = view.memo[key] = _Measured(arg, view)
    return done


def _count_wording(arg: CountTest, title: Text | None) -> tuple[str, str]:
    """A count blocker's words up to its current figure, zh and en: they depend on the test
    and its set's title alone, and blockers repeat them on every record."""
    hit = _WORDING.get(id(arg))
    if hit is not None and hit[0] is arg and hit[1] is title:
        return hit[2]
    scope = title.zh if title is not None else f"「{arg.set}」" if arg.set else ""
    set_en = title.en if title is not None else arg.set
    m = _MEASURES[arg.measure]
    words = (f"{scope}中至少 {arg.at_least} 项{m.zh} {condition(arg)}（当前 ",
             f"at least {arg.at_least} of {set_en or 'the listed indicators'} with {m.en} "
             f"{condition(arg)} (now ")
    if len(_WORDING) > 65536:
        _WORDING.clear()
    _WORDING[id(arg)] = (arg, title, words)
    return words


#: id(test) -> (test, its set's title, :func:`_count_wording`), as _CONDITIONS keeps words.
_WORDING: dict[int, tuple[CountTest, Text | None, tuple[str, str]]] = {}


class _Count(GateTest):
    field = "count"

    @staticmethod
    def passing(arg: CountTest, view: ScoreView) -> tuple[int, list[str]]:
        """How many listed indicators pass, and those that fail but could still be improved."""
        key = ("count", id(arg))
        done: tuple[int, list[str]] | None = view.memo.get(key)
        if done is not None:
            return done
        plan = _count_plan(arg)
        measured = _members(arg, plan.members_key, view)
        if plan.plain:  # each distinct ratio compared once
            ok = {ratio: _passes_bounds(plan, ratio) for ratio in measured.tally}
            passed = [ratio is not None and ok[ratio] for ratio in measured.ratios]
        else:
            limits = (plan.lows, plan.highs)
            passed = [v is not None and _passes(plan.eq, limits, v) for v in measured.values]
        passing, failing = 0, []
        score, answer = view.ind_score.get, view.ind_answer.get
        for iid, ok_ in zip(measured.ids, passed, strict=True):
            if ok_:
                passing += 1
            elif score(iid) is not None or answer(iid) is not None:
                failing.append(iid)  # N/A and inapplicable ones cannot be improved: not listed
        done = view.memo[key] = (passing, failing)
        return done

    @classmethod
    def count(cls, arg: CountTest, view: ScoreView) -> int:
        """How many listed indicators pass (what ``holds`` needs, without the failing list):
        with bounds alone, each distinct exact value is compared once."""
        plan = _count_plan(arg)
        if not plan.plain:
            return cls.passing(arg, view)[0]
        tally = _members(arg, plan.members_key, view).tally
        return sum([n for ratio, n in tally.items() if _passes_bounds(plan, ratio)])

    def compile(self, arg: CountTest) -> Callable[[ScoreView], bool]:
        plan = _count_plan(arg)
        if not plan.plain:
            return super().compile(arg)
        at_least, members_key, passes = arg.at_least, plan.members_key, plan.passes

        def holds_count(view: ScoreView) -> bool:
            n = 0
            for ratio, k in _members(arg, members_key, view).tally.items():
                ok = passes.get(ratio)  # _passes_bounds inline: this runs for every gate
                if ok is None:
                    ok = _passes_bounds(plan, ratio)
                if ok:
                    n += k
            return n >= at_least

        return holds_count

    def holds(self, arg: CountTest, view: ScoreView) -> bool:
        return self.count(arg, view) >= arg.at_least

    def holds_columns(self, arg: CountTest, view: ColumnView) -> np.ndarray:
        import numpy as np

        ids = count_ids(arg, view.sets)
        # The narrowest counter that cannot overflow: adding booleans into bytes is five
        # times faster than into 64-bit integers.
        counter: Any = np.uint8 if len(ids) < 256 else np.int64
        passing = np.zeros(view.rows, dtype=counter)
        for iid in ids:
            passing += view.indicator_test(iid, arg)
        return np.asarray(passing >= arg.at_least)

    def describe(self, arg: CountTest, view: ScoreView) -> Text:
        passing, failing = self.passing(arg, view)
        zh, en = _count_wording(arg, view.set_titles.get(arg.set) if arg.set else None)
        names = [_name(i, view.names) for i in failing]
        return Text(zh=f"{zh}{passing} 项；未达：{'、'.join([n.zh for n in names]) or '无'}）",
                    en=f"{en}{passing}; not yet: {', '.join([n.en for n in names]) or 'none'})")

    def outline(self, arg: CountTest, names: dict[str, Text]) -> Text:
        m = _MEASURES[arg.measure]

        def scope(lang: Lang) -> str:
            if arg.set:
                return f"set `{arg.set}`"
            return ", ".join(_ref(i, names).get(lang) for i in arg.ids)

        return Text(zh=f"{scope('zh')} 中至少 {arg.at_least} 项{m.zh} {condition(arg)}",
                    en=f"at least {arg.at_least} of {scope('en')} with {m.en} {condition(arg)}")

    def references(self, arg: CountTest) -> Iterator[tuple[str, str]]:
        if arg.set:
            yield "set", arg.set
        for iid in arg.ids:
            yield "indicator", iid

    def check(self, arg: CountTest, path: str) -> Iterator[tuple[str, str]]:
        yield from super().check(arg, path)
        if arg.at_least < 1:
            yield f"{path}.count.at_least", "must be at least 1"
        if bool(arg.set) == bool(arg.ids):
            yield f"{path}.count", "give either set or ids"


#: Every gate test, by the Gate field that declares it. The one dispatch table for gates.
GATE_TESTS: dict[str, GateTest] = {t.field: t for t in (
    _All(), _Any(), _Not(), _Total(), _Dimension(), _Indicator(), _Fact(), _Count())}


def _declared(gate: Gate) -> list[tuple[GateTest, Any]]:
    return [(t, getattr(gate, f)) for f, t in GATE_TESTS.items() if getattr(gate, f)]


#: id(gate) -> (gate, its test, the test's argument): a spec's gates are immutable, so each is
#: looked up in the table once. The gate is kept so that its id cannot be reused meanwhile.
_RESOLVED: dict[int, tuple[Gate, GateTest, Any]] = {}


def gate_test_of(gate: Gate) -> tuple[GateTest, Any]:
    """The gate's one test and its argument (validation has checked there is exactly one)."""
    hit = _RESOLVED.get(id(gate))
    if hit is not None and hit[0] is gate:
        return hit[1], hit[2]
    declared = _declared(gate)
    if len(declared) != 1:
        raise ValueError("a gate sets exactly one test")
    if len(_RESOLVED) > 65536:
        _RESOLVED.clear()
    _RESOLVED[id(gate)] = (gate, *declared[0])
    return declared[0]


# -- what consumers call ---------------------------------------------------------------------

def holds(gate: Gate, view: ScoreView) -> bool:
    """Whether the gate holds for this result."""
    return compiled(gate)(view)


#: id(gate) -> (gate, its test compiled): as _RESOLVED, once per gate of a spec.
_COMPILED: dict[int, tuple[Gate, Callable[[ScoreView], bool]]] = {}


def compiled(gate: Gate) -> Callable[[ScoreView], bool]:
    """:func:`holds` of ``gate`` as a function of the view, made once per gate."""
    hit = _COMPILED.get(id(gate))
    if hit is None or hit[0] is not gate:
        test, arg = gate_test_of(gate)
        if len(_COMPILED) > 65536:
            _COMPILED.clear()
        hit = _COMPILED[id(gate)] = (gate, test.compile(arg))
    return hit[1]


def holds_columns(gate: Gate, view: ColumnView) -> np.ndarray:
    """Per row of a batch, whether the gate holds; raises NotVectorisable where it cannot.

    A view may offer ``gate_rows``, a dict for the batch: each gate is then worked out once
    (a level rule asks for a gate, then its parts again to count blockers)."""
    memo: dict[int, tuple[Gate, np.ndarray]] | None = getattr(view, "gate_rows", None)
    if memo is not None and (done := memo.get(id(gate))) is not None:
        return done[1]
    test, arg = gate_test_of(gate)
    rows = test.holds_columns(arg, view)
    if memo is not None:
        memo[id(gate)] = (gate, rows)  # the gate is kept: its id stays its own
    return rows


def describe(gate: Gate, view: ScoreView) -> Text:
    """The gate in words, with the current values (for blockers)."""
    if gate.label is not None:  # the author's wording replaces the generated one
        return gate.label
    test, arg = gate_test_of(gate)
    return test.describe(arg, view)


def failures(gate: Gate, view: ScoreView) -> list[Text]:
    """The failing parts of a gate: each failing leaf of an ``all``, an ``any`` as one line."""
    if holds(gate, view):
        return []
    if gate.all and gate.label is None:
        return [text for g in gate.all for text in failures(g, view)]
    return [describe(gate, view)]


def failure_count_columns(gate: Gate, view: ColumnView) -> np.ndarray:
    """Per row, how many blockers :func:`failures` lists for the gate."""
    import numpy as np

    held = holds_columns(gate, view)
    if gate.all and gate.label is None:
        inner = np.zeros(view.rows, dtype=np.int64)
        for g in gate.all:
            inner += failure_count_columns(g, view)
        inner[held] = 0
        return inner
    return (~held).view(np.uint8)  # 0 or 1, without widening to 64 bits


def outline(gate: Gate, names: dict[str, Text], lang: Lang, depth: int = 0) -> list[str]:
    """A gate as nested Markdown bullets, without current values (those are in results)."""
    pad = "    " * depth
    label = f" — {gate.label.get(lang)}" if gate.label is not None else ""
    test, arg = gate_test_of(gate)
    text = test.outline(arg, names).get(lang)
    if not test.composite:
        return [f"{pad}- {text}{label}"]
    lines = [f"{pad}- {text}{label}:"]
    for sub in test.subgates(arg):
        lines += outline(sub, names, lang, depth + 1)
    return lines


def references(gate: Gate) -> Iterator[tuple[str, str]]:
    """(kind, id) pairs a gate refers to: dimension, indicator, set."""
    for test, arg in _declared(gate):
        for sub in test.subgates(arg):
            yield from references(sub)
        yield from test.references(arg)


def shape_problems(gate: Gate, path: str) -> Iterator[tuple[str, str]]:
    """A gate must set exactly one test; each test checks its own declaration."""
    declared = _declared(gate)
    if len(declared) != 1:
        got = ", ".join(t.field.rstrip("_") for t, _ in declared) or "nothing"
        yield path, (f"a gate sets exactly one of "
                     f"{'/'.join(f.rstrip('_') for f in GATE_TESTS)}, got {got}")
    for test, arg in declared:
        subs = test.subgates(arg)
        for i, sub in enumerate(subs):
            where = f"{path}.{test.field.rstrip('_')}" + (f"[{i}]" if test.field != "not_" else "")
            yield from shape_problems(sub, where)
        yield from test.check(arg, path)
