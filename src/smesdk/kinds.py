"""Answer kinds: how an answer to an indicator is checked and turned into points.

A kind is an object; plugins add kinds by registering instances through the
``smesdk_register_answer_kinds`` hook. Points are exact Fractions.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import math
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, ClassVar

import attrs

from smesdk.dates import as_date
from smesdk.numbers import fmt, frac
from smesdk.shapes import Choice, GridForm, ScoringTable, Shape
from smesdk.spec import Band, GridLine, GridRule, Indicator
from smesdk.text import Text

_VALUE = Text(zh="取值", en="value")
_LABEL = Text(zh="含义", en="label")
_POINTS = Text(zh="分值", en="points")
_LEVEL = Text(zh="等级", en="level")


class ColumnRule(enum.Enum):
    """How the batch scorer may score a whole column of a kind's answers at once.

    ``DISTINCT`` is always right: the kind's own ``parse`` and ``points`` are asked once per
    distinct cell value. The others name a built-in rule the batch implements on arrays; a kind
    declares one only when its points are exactly that rule.
    """

    DISTINCT = "distinct"
    #: a number scored by the indicator's ``bands`` within ``number_range``
    BANDS = "bands"
    #: a subset of options: their points summed, capped at the indicator's ``points``
    SUBSET = "subset"
    #: a date scoring the indicator's points when it lies within ``within_days``
    RECENT = "recent"

_YES = {"yes", "y", "true", "是", "有"}
_NO = {"no", "n", "false", "否", "无"}


class AnswerKind:
    """Base class of answer kinds. Subclasses set ``name`` and override what they need."""

    name: ClassVar[str] = ""
    #: The form an answer takes (see :mod:`smesdk.shapes`); every kind must declare one.
    shape: ClassVar[Shape | None] = None
    #: False for kinds whose answers never carry points (text evidence).
    scored: ClassVar[bool] = True
    #: True when parse, points, explain, level and to_json depend only on their arguments, so
    #: the engine may remember what an answer comes to (see :mod:`smesdk.cells`). Plugins opt in.
    cacheable: ClassVar[bool] = False
    #: Whether points depend on the assessment date (``within_days``); when False, a
    #: remembered answer serves every date. Unknown kinds are assumed to depend on it.
    dated: ClassVar[bool] = True
    #: The batch's whole-column rule for this kind (see :class:`ColumnRule`). A subclass that
    #: overrides ``parse``, ``points`` or ``max_points`` falls back to ``DISTINCT`` unless it
    #: declares its own: an inherited shortcut would score by the parent's rule.
    column_rule: ClassVar[ColumnRule] = ColumnRule.DISTINCT

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        rescored = any(m in cls.__dict__ for m in ("parse", "points", "max_points"))
        if rescored and "column_rule" not in cls.__dict__:
            cls.column_rule = ColumnRule.DISTINCT

    def depends_on_date(self, ind: Indicator) -> bool:
        """Whether this indicator's points may change with the assessment date."""
        return self.dated

    def check(self, ind: Indicator) -> Iterator[tuple[str, str]]:
        """Problems with the indicator's declaration, as (field path, message)."""
        return iter(())

    def parse(self, ind: Indicator, raw: Any) -> Any:
        """Check a raw answer and return its normal form; raise ValueError with a message."""
        return raw

    def points(self, ind: Indicator, value: Any, on: dt.date) -> Fraction:
        """Points for a parsed answer, assessed on date ``on``."""
        return Fraction(0)

    def max_points(self, ind: Indicator) -> Fraction:
        return Fraction(0)

    def is_scored(self, ind: Indicator) -> bool:
        return self.scored and ind.scored and self.max_points(ind) > 0

    def points_scale(self, ind: Indicator) -> int | None:
        """A whole number S such that every answer's points times S is an integer, or None.

        The engine then adds points as integers at this fixed scale; an answer whose points
        do not fit it is scored by the exact Fraction path instead, so a guess never changes a
        result. The default looks at the points of :meth:`samples` and the maximum.
        """
        on = dt.date(2000, 1, 1)
        try:
            points = [self.points(ind, self.parse(ind, raw), on) for raw in self.samples(ind)]
        except Exception:  # a plugin kind's samples are its own business: no fixed scale
            return None
        return math.lcm(1, self.max_points(ind).denominator,
                        *(Fraction(p).denominator for p in points))

    def explain(self, ind: Indicator, value: Any) -> Text:
        """The rule applied to this answer, in words."""
        return Text(zh=f"答案 {value}", en=f"answer {value}")

    def ladder(self, ind: Indicator) -> list[Any]:
        """Valid raw answers ordered from worst to best by the kind's own meaning.

        Used by the property tests: points must not fall along the ladder.
        """
        return []

    def samples(self, ind: Indicator) -> list[Any]:
        """A finite set of valid raw answers covering every scoring outcome."""
        return self.ladder(ind)

    def level(self, ind: Indicator, value: Any) -> Fraction | None:
        """The ordinal level of an answer, for gates with ``measure: level``."""
        return None

    def to_json(self, value: Any) -> Any:
        """The parsed answer as plain JSON data for the result."""
        return value

    # -- what forms, docs, batch columns and test data need (by shape) -------------------

    def choices(self, ind: Indicator) -> list[Choice]:
        """OPTIONS and SUBSET shapes: the items, worst first where they have an order."""
        return []

    def number_range(self, ind: Indicator) -> tuple[Fraction | None, Fraction | None]:
        """BANDS shape: the allowed range (None: open)."""
        return None, None

    def unit(self, ind: Indicator) -> Text | None:
        """The unit answers are given in (BANDS), e.g. % or 万元."""
        return ind.unit

    def grid(self, ind: Indicator) -> GridForm | None:
        """GRID shape: the rows, the columns and what each cell may hold."""
        return None

    def scoring(self, ind: Indicator) -> ScoringTable:
        """How answers turn into points, for docs and reports."""
        extra = f" 参数: `{ind.params}`" if ind.params else ""
        extra_en = f" params: `{ind.params}`" if ind.params else ""
        return ScoringTable(lead=Text(zh=f"插件定义的题型 `{self.name}`.{extra}",
                                      en=f"plugin-defined kind `{self.name}`.{extra_en}"))


def _option_table(ind: Indicator) -> ScoringTable:
    rows: list[list[str | Text]] = [
        [f"`{o.value}`" + (" (exclusive)" if o.exclusive else ""), o.label, fmt(o.points)]
        for o in ind.options]
    return ScoringTable(header=[_VALUE, _LABEL, _POINTS], rows=rows, named_column=1)


def _check_options(ind: Indicator) -> Iterator[tuple[str, str]]:
    seen: set[str] = set()
    for i, opt in enumerate(ind.options):
        if opt.value in seen:
            yield f"options[{i}].value", f"duplicate option value {opt.value!r}"
        seen.add(opt.value)
        if opt.points < 0:
            yield f"options[{i}].points", "points must not be negative"


class ChoiceKind(AnswerKind):
    """One option among several, each worth its points."""

    name = "choice"
    shape = Shape.OPTIONS
    cacheable = True
    dated = False

    def choices(self, ind: Indicator) -> list[Choice]:
        return [Choice(o.value, o.label) for o in ind.options]

    def scoring(self, ind: Indicator) -> ScoringTable:
        return _option_table(ind)

    def check(self, ind: Indicator) -> Iterator[tuple[str, str]]:
        if len(ind.options) < 2:
            yield "options", "a choice needs at least two options"
        yield from _check_options(ind)

    def parse(self, ind: Indicator, raw: Any) -> Any:
        if isinstance(raw, bool) or raw is None:
            raise ValueError(f"expected one of {self._values(ind)}, got {raw!r}")
        key = str(raw)
        for opt in ind.options:
            if key == opt.value:
                return opt.value
        raise ValueError(f"{raw!r} is not one of {self._values(ind)}")

    @staticmethod
    def _values(ind: Indicator) -> str:
        return "/".join(o.value for o in ind.options)

    def points(self, ind: Indicator, value: Any, on: dt.date) -> Fraction:
        return next(frac(o.points) for o in ind.options if o.value == value)

    def max_points(self, ind: Indicator) -> Fraction:
        return max((frac(o.points) for o in ind.options), default=Fraction(0))

    def explain(self, ind: Indicator, value: Any) -> Text:
        opt = next(o for o in ind.options if o.value == value)
        return Text(
            zh=f"选项「{opt.label.zh}」得 {opt.points} 分",
            en=f"option '{opt.label.en}' scores {opt.points}",
        )

    def ladder(self, ind: Indicator) -> list[Any]:
        return [o.value for o in ind.options]


class MultiKind(AnswerKind):
    """Several options ticked: the sum of their points (capped), or the share ticked."""

    name = "multi"
    shape = Shape.SUBSET
    column_rule = ColumnRule.SUBSET
    cacheable = True
    dated = False

    def choices(self, ind: Indicator) -> list[Choice]:
        return [Choice(o.value, o.label, o.exclusive) for o in ind.options]

    def scoring(self, ind: Indicator) -> ScoringTable:
        if ind.mode == "fraction":
            pts = fmt(ind.points) if ind.points is not None else "-"
            zh = f"按所选比例计分：所选项 / 全部非排他项 × {pts}"
            en = f"fraction mode: chosen / all non-exclusive options × {pts}"
        else:
            zh = "所选各项分值之和" + (f"，上限 {fmt(ind.cap)}" if ind.cap is not None else "")
            en = "sum of the chosen options" + (f", capped at {fmt(ind.cap)}"
                                                if ind.cap is not None else "")
        return attrs.evolve(_option_table(ind), lead=Text(zh=f"多选; {zh}.",
                                                          en=f"Several may be chosen; {en}."))

    def check(self, ind: Indicator) -> Iterator[tuple[str, str]]:
        if not ind.options:
            yield "options", "a multi-select needs options"
        if sum(o.exclusive for o in ind.options) > 1:
            yield "options", "at most one option may be exclusive (e.g. none)"
        if ind.mode == "fraction" and ind.points is None:
            yield "points", "mode 'fraction' needs the indicator's full points"
        if ind.cap is not None and ind.cap <= 0:
            yield "cap", "cap must be positive"
        yield from _check_options(ind)

    def parse(self, ind: Indicator, raw: Any) -> Any:
        if raw is None:
            raw = []
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list):
            raise ValueError(f"expected a list of options, got {type(raw).__name__}")
        known = {o.value: o for o in ind.options}
        unknown = [v for v in raw if str(v) not in known]
        if unknown:
            raise ValueError(f"{unknown} not among {'/'.join(known)}")
        chosen = [str(v) for v in raw]
        if len(set(chosen)) != len(chosen):
            raise ValueError("an option is ticked twice")
        exclusive = [v for v in chosen if known[v].exclusive]
        if exclusive and len(chosen) > 1:
            raise ValueError(f"{exclusive[0]!r} excludes every other option")
        # Normal form: the declared order, so equal answers compare equal.
        return [o.value for o in ind.options if o.value in chosen]

    def _inclusive(self, ind: Indicator) -> list[Any]:
        return [o for o in ind.options if not o.exclusive]

    def points(self, ind: Indicator, value: Any, on: dt.date) -> Fraction:
        chosen = set(value)
        if ind.mode == "fraction":
            options = self._inclusive(ind)
            ticked = sum(1 for o in options if o.value in chosen)
            return Fraction(ticked, len(options)) * frac(ind.points or 0) if options else Fraction(0)
        total = sum((frac(o.points) for o in ind.options if o.value in chosen), Fraction(0))
        return min(total, frac(ind.cap)) if ind.cap is not None else total

    def max_points(self, ind: Indicator) -> Fraction:
        if ind.mode == "fraction":
            return frac(ind.points or 0)
        total = sum((frac(o.points) for o in ind.options), Fraction(0))
        return min(total, frac(ind.cap)) if ind.cap is not None else total

    def explain(self, ind: Indicator, value: Any) -> Text:
        labels = {o.value: o.label for o in ind.options}
        zh = "、".join(labels[v].zh for v in value) or "未选"
        en = ", ".join(labels[v].en for v in value) or "none ticked"
        how_zh = "按比例" if ind.mode == "fraction" else "分值相加"
        how_en = "share ticked" if ind.mode == "fraction" else "points added"
        cap_zh = f"，上限 {ind.cap}" if ind.cap is not None else ""
        cap_en = f", capped at {ind.cap}" if ind.cap is not None else ""
        return Text(zh=f"勾选 {zh}（{how_zh}{cap_zh}）", en=f"ticked {en} ({how_en}{cap_en})")

    def ladder(self, ind: Indicator) -> list[Any]:
        options = [o.value for o in self._inclusive(ind)]
        return [options[:i] for i in range(len(options) + 1)]

    def samples(self, ind: Indicator) -> list[Any]:
        out = self.ladder(ind)
        out += [[o.value] for o in ind.options if o.exclusive]
        return out

    def points_scale(self, ind: Indicator) -> int | None:
        # Any subset may be ticked, not only the samples: the scale must fit every sum.
        if ind.mode == "fraction":
            return max(1, len(self._inclusive(ind))) * frac(ind.points or 0).denominator
        cap = frac(ind.cap).denominator if ind.cap is not None else 1
        return math.lcm(cap, *(frac(o.points).denominator for o in ind.options))


class YesNoKind(AnswerKind):
    """A fact that holds or not: the good answer (yes unless ``better: lower``) earns the points."""

    name = "yesno"
    shape = Shape.OPTIONS
    cacheable = True
    dated = False

    def choices(self, ind: Indicator) -> list[Choice]:
        return [Choice(True, Text(zh="是", en="yes")), Choice(False, Text(zh="否", en="no"))]

    def scoring(self, ind: Indicator) -> ScoringTable:
        zh, en = ("是", "yes") if ind.better == "higher" else ("否", "no")
        pts = fmt(ind.points) if ind.points is not None else "1"
        return ScoringTable(lead=Text(zh=f"{zh} → {pts}，否则 0", en=f"{en} → {pts}, otherwise 0"))

    def parse(self, ind: Indicator, raw: Any) -> Any:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _YES:
            return True
        if isinstance(raw, str) and raw.strip().lower() in _NO:
            return False
        raise ValueError(f"expected yes or no (是/否), got {raw!r}")

    def _full(self, ind: Indicator) -> Fraction:
        return frac(ind.points) if ind.points is not None else Fraction(1)

    def points(self, ind: Indicator, value: Any, on: dt.date) -> Fraction:
        good = value if ind.better == "higher" else not value
        return self._full(ind) if good else Fraction(0)

    def max_points(self, ind: Indicator) -> Fraction:
        return self._full(ind)

    def explain(self, ind: Indicator, value: Any) -> Text:
        pts = self.points(ind, value, dt.date.min)
        return Text(
            zh=f"答「{'是' if value else '否'}」得 {_show(pts)} 分",
            en=f"answered {'yes' if value else 'no'}: {points_en(_show(pts))}",
        )

    def ladder(self, ind: Indicator) -> list[Any]:
        return [False, True] if ind.better == "higher" else [True, False]

    def level(self, ind: Indicator, value: Any) -> Fraction | None:
        return Fraction(int(bool(value)))


def _show(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    d = Decimal(value.numerator) / Decimal(value.denominator)
    return format(d.normalize(), "f") if len(str(d)) < 12 else f"{float(value):.4f}"


def _lower(band: Band) -> tuple[Fraction | None, bool]:
    if band.ge is not None:
        return frac(band.ge), True
    if band.gt is not None:
        return frac(band.gt), False
    return None, False


def _upper(band: Band) -> tuple[Fraction | None, bool]:
    if band.le is not None:
        return frac(band.le), True
    if band.lt is not None:
        return frac(band.lt), False
    return None, False


def band_contains(band: Band, value: Fraction) -> bool:
    lo, lo_in = _lower(band)
    hi, hi_in = _upper(band)
    if lo is not None and (value < lo or (value == lo and not lo_in)):
        return False
    return not (hi is not None and (value > hi or (value == hi and not hi_in)))


def with_unit(number: str, unit: str) -> str:
    """A number followed by its unit as people write it: "45%", "3年", "300万元", but
    "3 years" and "300 10k yuan" (a unit in Latin letters or digits after a space, or it
    reads as part of the number: "30010k yuan"). Specs write units with or without a
    leading space; it is kept once."""
    unit = unit.strip()
    if unit[:1].isascii() and unit[:1].isalnum():
        return f"{number} {unit}"
    return f"{number}{unit}"


def points_en(shown: str) -> str:
    """ "1 point", "0 points", "2.5 points": the English for a number of points as shown."""
    return f"{shown} point" if shown == "1" else f"{shown} points"


def band_text(band: Band, unit: str = "") -> str:
    lo, lo_in = _lower(band)
    hi, hi_in = _upper(band)
    left = ("[" if lo_in else "(") + (_show(lo) if lo is not None else "−∞")
    right = (_show(hi) if hi is not None else "+∞") + ("]" if hi_in else ")")
    return with_unit(f"{left}, {right}", unit)


def band_inequality(band: Band) -> str:
    """A band as an inequality on x, e.g. ``10 < x ≤ 20`` or ``x ≥ 24`` (docs and reports)."""
    low = (f"{fmt(band.gt)} < " if band.gt is not None
           else f"{fmt(band.ge)} ≤ " if band.ge is not None else "")
    high = (f" < {fmt(band.lt)}" if band.lt is not None
            else f" ≤ {fmt(band.le)}" if band.le is not None else "")
    return f"{low}x{high}" if low or high else "any"


class NumberKind(AnswerKind):
    """A number scored by the band it falls in (e.g. R&D share 1 % / 2 % / 3 % / 5 %)."""

    name = "number"
    shape = Shape.BANDS
    column_rule = ColumnRule.BANDS
    cacheable = True
    dated = False
    default_min: ClassVar[Decimal | None] = None
    default_max: ClassVar[Decimal | None] = None

    def number_range(self, ind: Indicator) -> tuple[Fraction | None, Fraction | None]:
        return self._range(ind)

    def scoring(self, ind: Indicator) -> ScoringTable:
        unit = ind.unit
        header = [Text(zh=f"x ({unit.zh.strip()})", en=f"x ({unit.en.strip()})") if unit
                  else Text(zh="x", en="x"),
                  _POINTS]
        rows: list[list[str | Text]] = []
        for band in ind.bands:
            edges = band_inequality(band)
            label = band.label
            cell = Text(zh=f"{edges} ({label.zh})", en=f"{edges} ({label.en})") if label else edges
            rows.append([cell, fmt(band.points)])
        rng = ", ".join([*([f"min {fmt(ind.min)}"] if ind.min is not None else []),
                         *([f"max {fmt(ind.max)}"] if ind.max is not None else [])])
        zh = "越高越好" if ind.better == "higher" else "越低越好"
        en = f"better: {ind.better}"
        tail = f"; {rng}" if rng else ""
        return ScoringTable(lead=Text(zh=f"{zh}{tail}.", en=f"{en}{tail}."), header=header,
                            rows=rows)

    def _range(self, ind: Indicator) -> tuple[Fraction | None, Fraction | None]:
        lo = ind.min if ind.min is not None else self.default_min
        hi = ind.max if ind.max is not None else self.default_max
        return (frac(lo) if lo is not None else None, frac(hi) if hi is not None else None)

    def check(self, ind: Indicator) -> Iterator[tuple[str, str]]:
        if not ind.bands:
            yield "bands", "a number indicator needs bands"
            return
        for i, band in enumerate(ind.bands):
            if band.ge is not None and band.gt is not None:
                yield f"bands[{i}]", "give ge or gt, not both"
            if band.le is not None and band.lt is not None:
                yield f"bands[{i}]", "give le or lt, not both"
            if band.points < 0:
                yield f"bands[{i}].points", "points must not be negative"
            lo, _ = _lower(band)
            hi, _ = _upper(band)
            if lo is not None and hi is not None and (lo > hi or not _nonempty(band)):
                yield f"bands[{i}]", f"band {band_text(band)} is empty"
        yield from self._check_cover(ind)

    def _check_cover(self, ind: Indicator) -> Iterator[tuple[str, str]]:
        order = sorted(
            range(len(ind.bands)),
            key=lambda i: (_lower(ind.bands[i])[0] is not None, _lower(ind.bands[i])[0] or 0,
                           not _lower(ind.bands[i])[1]),
        )
        for a, b in itertools.pairwise(order):
            hi, hi_in = _upper(ind.bands[a])
            lo, lo_in = _lower(ind.bands[b])
            ta, tb = band_text(ind.bands[a]), band_text(ind.bands[b])
            if hi is None or lo is None or hi > lo or (hi == lo and hi_in and lo_in):
                yield f"bands[{b}]", f"band {tb} overlaps band {ta}"
            elif hi < lo or (hi == lo and not hi_in and not lo_in):
                yield f"bands[{b}]", f"gap between band {ta} and band {tb}"
        lo_range, hi_range = self._range(ind)
        first, last = ind.bands[order[0]], ind.bands[order[-1]]
        if lo_range is not None and not band_contains(first, lo_range):
            lo, _ = _lower(first)
            if lo is not None and lo >= lo_range:
                yield "bands", f"no band covers the minimum {_show(lo_range)}"
        if hi_range is not None and not band_contains(last, hi_range):
            hi, _ = _upper(last)
            if hi is not None and hi <= hi_range:
                yield "bands", f"no band covers the maximum {_show(hi_range)}"

    def parse(self, ind: Indicator, raw: Any) -> Any:
        if isinstance(raw, bool) or raw is None:
            raise ValueError(f"expected a number, got {raw!r}")
        try:
            value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(str(raw).strip())
        except InvalidOperation:
            raise ValueError(f"expected a number, got {raw!r}") from None
        if not value.is_finite():
            raise ValueError(f"expected a finite number, got {raw!r}")
        lo, hi = self._range(ind)
        if (lo is not None and frac(value) < lo) or (hi is not None and frac(value) > hi):
            unit = self._unit(ind)
            got = with_unit(_show(frac(value)), unit)
            # One bound alone in words: "0–+∞" asked the reader to decode infinity.
            if lo is not None and hi is not None:
                message = (f"{got} is outside the allowed range "
                           f"{with_unit(f'{_show(lo)}–{_show(hi)}', unit)}")
            elif lo is not None:
                message = f"{got} is less than the allowed minimum, {with_unit(_show(lo), unit)}"
            else:
                assert hi is not None
                message = f"{got} is more than the allowed maximum, {with_unit(_show(hi), unit)}"
            raise ValueError(message)
        if self._band(ind, frac(value)) is None:
            raise ValueError(f"no band covers {_show(frac(value))}")
        return value

    def _unit(self, ind: Indicator) -> str:
        return ind.unit.en if ind.unit else ""

    @staticmethod
    def _band(ind: Indicator, value: Fraction) -> Band | None:
        return next((b for b in ind.bands if band_contains(b, value)), None)

    def points(self, ind: Indicator, value: Any, on: dt.date) -> Fraction:
        band = self._band(ind, frac(value))
        return frac(band.points) if band else Fraction(0)

    def max_points(self, ind: Indicator) -> Fraction:
        return max((frac(b.points) for b in ind.bands), default=Fraction(0))

    def explain(self, ind: Indicator, value: Any) -> Text:
        band = self._band(ind, frac(value))
        assert band is not None
        unit = self.unit(ind)  # a percentage's "%" even where the spec names no unit
        unit_zh, unit_en = (unit.zh, unit.en) if unit else ("", "")
        shown = _show(frac(value))
        return Text(
            zh=f"{with_unit(shown, unit_zh)} 落在区间 {band_text(band, unit_zh)}，得 {band.points} 分",
            en=f"{with_unit(shown, unit_en)} lies in {band_text(band, unit_en)}: "
            f"{points_en(str(band.points))}",
        )

    def _representatives(self, ind: Indicator) -> list[Decimal]:
        """A value at each inclusive edge and in the middle of every band, within range."""
        lo_range, hi_range = self._range(ind)
        out: list[Decimal] = []
        for band in ind.bands:
            lo_b, lo_in = _lower(band)
            hi_b, hi_in = _upper(band)
            lo: Fraction = lo_b if lo_b is not None else (
                lo_range if lo_range is not None else
                (hi_b - 1 if hi_b is not None else Fraction(0)))
            hi: Fraction = hi_b if hi_b is not None else (
                hi_range if hi_range is not None else lo + 2)
            picks = [(lo + hi) / 2]
            if lo_in or lo_b is None:
                picks.append(lo)
            if hi_in or hi_b is None:
                picks.append(hi)
            for p in picks:
                inside = (lo_range is None or p >= lo_range) and (hi_range is None or p <= hi_range)
                if inside and band_contains(band, p):
                    out.append(_to_decimal(p))
        return sorted(set(out))

    def ladder(self, ind: Indicator) -> list[Any]:
        values = self._representatives(ind)
        return values if ind.better == "higher" else values[::-1]

    def level(self, ind: Indicator, value: Any) -> Fraction | None:
        return frac(value)

    def to_json(self, value: Any) -> Any:
        return int(value) if value == value.to_integral_value() else float(value)


def _nonempty(band: Band) -> bool:
    lo, lo_in = _lower(band)
    hi, hi_in = _upper(band)
    if lo is None or hi is None:
        return True
    return lo < hi or (lo == hi and lo_in and hi_in)


def _to_decimal(value: Fraction) -> Decimal:
    d = Decimal(value.numerator) / Decimal(value.denominator)
    return d.quantize(Decimal("0.0001")).normalize() if d != d.to_integral_value() else Decimal(
        int(d)
    )


class PercentKind(NumberKind):
    """A percentage, 0–100 unless declared otherwise."""

    name = "percent"
    default_min = Decimal(0)
    default_max = Decimal(100)

    def _unit(self, ind: Indicator) -> str:
        return "%"

    def unit(self, ind: Indicator) -> Text | None:
        return Text(zh="%", en="%")


class ScaleKind(AnswerKind):
    """An ordinal level (e.g. 0 none … 4 reviewed and improved), each with its descriptor."""

    name = "scale"
    shape = Shape.OPTIONS
    cacheable = True
    dated = False

    def choices(self, ind: Indicator) -> list[Choice]:
        return [Choice(s.level, Text(zh=f"{s.level} – {s.label.zh}", en=f"{s.level} – {s.label.en}"))
                for s in ind.scale]

    def scoring(self, ind: Indicator) -> ScoringTable:
        rows: list[list[str | Text]] = [
            [str(s.level), s.label, fmt(s.points if s.points is not None else Decimal(s.level))]
            for s in ind.scale]
        return ScoringTable(header=[_LEVEL, _LABEL, _POINTS], rows=rows, named_column=1)

    def check(self, ind: Indicator) -> Iterator[tuple[str, str]]:
        if len(ind.scale) < 2:
            yield "scale", "a scale needs at least two levels"
        levels = [s.level for s in ind.scale]
        if levels != sorted(set(levels)):
            yield "scale", "levels must be listed lowest first, each once"
        for i, step in enumerate(ind.scale):
            if step.points is not None and step.points < 0:
                yield f"scale[{i}].points", "points must not be negative"

    def _points_of(self, step_level: int, ind: Indicator) -> Fraction:
        step = next(s for s in ind.scale if s.level == step_level)
        return frac(step.points) if step.points is not None else Fraction(step.level)

    def parse(self, ind: Indicator, raw: Any) -> Any:
        if isinstance(raw, bool) or not isinstance(raw, int | str | float):
            raise ValueError(f"expected a level {self._levels(ind)}, got {raw!r}")
        try:
            level = int(str(raw).strip())
        except ValueError:
            raise ValueError(f"expected a level {self._levels(ind)}, got {raw!r}") from None
        if str(level) != str(raw).strip() and raw != level:
            raise ValueError(f"expected a whole level {self._levels(ind)}, got {raw!r}")
        if level not in {s.level for s in ind.scale}:
            raise ValueError(f"level {level} is not one of {self._levels(ind)}")
        return level

    @staticmethod
    def _levels(ind: Indicator) -> str:
        return "/".join(str(s.level) for s in ind.scale)

    def points(self, ind: Indicator, value: Any, on: dt.date) -> Fraction:
        return self._points_of(value, ind)

    def max_points(self, ind: Indicator) -> Fraction:
        return max((self._points_of(s.level, ind) for s in ind.scale), default=Fraction(0))

    def explain(self, ind: Indicator, value: Any) -> Text:
        step = next(s for s in ind.scale if s.level == value)
        pts = _show(self._points_of(value, ind))
        return Text(
            zh=f"等级 {value}「{step.label.zh}」得 {pts} 分",
            en=f"level {value} '{step.label.en}': {points_en(pts)}",
        )

    def ladder(self, ind: Indicator) -> list[Any]:
        return [s.level for s in ind.scale]

    def level(self, ind: Indicator, value: Any) -> Fraction | None:
        return Fraction(value)


class DateKind(AnswerKind):
    """A date; scored only with ``within_days`` (recent enough before the assessment)."""

    name = "date"
    shape = Shape.DATE
    cacheable = True
    column_rule = ColumnRule.RECENT

    def depends_on_date(self, ind: Indicator) -> bool:
        return ind.within_days is not None

    def scoring(self, ind: Indicator) -> ScoringTable:
        if ind.within_days is None:
            return ScoringTable(unscored=True)
        pts = fmt(ind.points) if ind.points is not None else "1"
        return ScoringTable(lead=Text(
            zh=f"评估日前 {ind.within_days} 天内 → {pts}",
            en=f"a date at most {ind.within_days} days before the assessment date → {pts}"))

    def check(self, ind: Indicator) -> Iterator[tuple[str, str]]:
        if ind.within_days is not None and ind.within_days < 0:
            yield "within_days", "must not be negative"

    def parse(self, ind: Indicator, raw: Any) -> Any:
        parsed = as_date(raw)
        if parsed is None:
            raise ValueError(f"expected a date (YYYY-MM-DD), got {raw!r}")
        return parsed

    def max_points(self, ind: Indicator) -> Fraction:
        if ind.within_days is None:
            return Fraction(0)
        return frac(ind.points) if ind.points is not None else Fraction(1)

    def points(self, ind: Indicator, value: Any, on: dt.date) -> Fraction:
        if ind.within_days is None:
            return Fraction(0)
        age = (on - value).days
        return self.max_points(ind) if 0 <= age <= ind.within_days else Fraction(0)

    def explain(self, ind: Indicator, value: Any) -> Text:
        if ind.within_days is None:
            return Text(zh=f"日期 {value}（不计分）", en=f"date {value} (not scored)")
        return Text(
            zh=f"日期 {value}，须在评估日前 {ind.within_days} 天内",
            en=f"date {value}, must fall within {ind.within_days} days before the assessment",
        )

    def samples(self, ind: Indicator) -> list[Any]:
        return ["2020-01-15", "2024-06-30", "2026-01-01"]

    def to_json(self, value: Any) -> Any:
        return value.isoformat()


class TextKind(AnswerKind):
    """Free-text evidence: recorded, never scored."""

    name = "text"
    shape = Shape.TEXT
    cacheable = True
    dated = False
    scored = False

    def scoring(self, ind: Indicator) -> ScoringTable:
        return ScoringTable(unscored=True)

    def parse(self, ind: Indicator, raw: Any) -> Any:
        if not isinstance(raw, str):
            raise ValueError(f"expected text, got {type(raw).__name__}")
        return raw

    def explain(self, ind: Indicator, value: Any) -> Text:
        return Text(zh="文字说明（不计分）", en="text evidence (not scored)")

    def samples(self, ind: Indicator) -> list[Any]:
        return ["", "见附件", "Documented in the quality manual"]


class GridCellErrors(ValueError):
    """Every bad cell of a grid answer at once, each as (where under the answer, message):
    ``[row][column]``, ``[row]`` or ``""`` for the answer as a whole."""

    def __init__(self, parts: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{where}: {msg}" if where else msg for where, msg in parts))
        self.parts = parts


#: What a grid's cells may be: the built-in kinds of a finite list, reading the grid's own
#: ``options`` or ``scale``. A cell is parsed and scored by its kind, exactly as one answer.
_GRID_CELLS: dict[str, AnswerKind] = {"choice": ChoiceKind(), "scale": ScaleKind(),
                                      "yesno": YesNoKind()}


def _when_text(rule: GridRule, ind: Indicator, cell: AnswerKind) -> Text:
    columns = {c.value: c.label for c in ind.columns}
    labels = {str(c.value): c.label for c in cell.choices(ind)}

    def item(lang: str, col: str, raw: Any) -> str:
        shown = labels.get(str(cell.parse(ind, raw)))
        value = shown.zh if shown and lang == "zh" else shown.en if shown else str(raw)
        name = columns[col].zh if lang == "zh" else columns[col].en
        return f"{name} = {value}"

    if not rule.when:
        return Text(zh="其他", en="otherwise")
    return Text(zh="且".join(item("zh", c, v) for c, v in rule.when.items()),
                en=" and ".join(item("en", c, v) for c, v in rule.when.items()))


class GridKind(AnswerKind):
    """Rows × columns of cells, each a choice, a scale level or a yes/no.

    Points: without ``rules``, every cell's points (as its cell kind scores it) times its
    row's and its column's weight, summed; with ``rules``, per row the points of the first
    rule whose ``when`` cells the row holds (0 if none), times the row's weight, summed.
    """

    name = "grid"
    shape = Shape.GRID
    cacheable = True
    dated = False

    def _cell(self, ind: Indicator) -> AnswerKind:
        return _GRID_CELLS[ind.cell or "yesno"]

    def grid(self, ind: Indicator) -> GridForm:
        cell = self._cell(ind)
        order = cell.ladder(ind)  # worst first, as every finite list is shown
        choices = sorted(cell.choices(ind), key=lambda c: order.index(c.value)
                         if c.value in order else len(order))
        return GridForm(rows=[Choice(r.value, r.label) for r in ind.rows],
                        columns=[Choice(c.value, c.label) for c in ind.columns], cells=choices)

    # -- the declaration -------------------------------------------------------------------

    def check(self, ind: Indicator) -> Iterator[tuple[str, str]]:
        if ind.cell is None:
            yield "cell", "a grid declares what its cells hold: choice, scale or yesno"
            return
        for field, lines in (("rows", ind.rows), ("columns", ind.columns)):
            if not lines:
                yield field, f"a grid needs {field}"
            seen: set[str] = set()
            for i, line in enumerate(lines):
                if line.value in seen:
                    yield f"{field}[{i}].value", f"duplicate value {line.value!r}"
                seen.add(line.value)
                if line.weight < 0:
                    yield f"{field}[{i}].weight", "weights must not be negative"
                if "[" in line.value or "]" in line.value:
                    yield f"{field}[{i}].value", ("brackets are reserved (batch columns name "
                                                  "cells as id[row][column])")
        wrong = [f for f, used, wanted in (("options", ind.options, "choice"),
                                           ("scale", ind.scale, "scale"), ("bands", ind.bands, ""))
                 if used and ind.cell != wanted]
        for field in wrong:
            yield field, f"a grid of {ind.cell} cells has no {field}"
        for field, value in (("points", ind.points), ("cap", ind.cap), ("fact", ind.fact)):
            if value is not None:
                yield field, f"a grid takes its points from cells, weights or rules, not {field}"
        if ind.better != "higher":
            yield "better", "a grid's cells are scored as their kind says: better is higher"
        if not wrong:
            yield from self._cell(ind).check(ind)
        yield from self._check_rules(ind)

    def _check_rules(self, ind: Indicator) -> Iterator[tuple[str, str]]:
        if not ind.rules:
            return
        if any(c.weight != 1 for c in ind.columns):
            yield "columns", "with rules, points come per row: columns carry no weight"
        columns = {c.value for c in ind.columns}
        for i, rule in enumerate(ind.rules):
            if rule.points < 0:
                yield f"rules[{i}].points", "points must not be negative"
            for col, raw in rule.when.items():
                if col not in columns:
                    yield f"rules[{i}].when.{col}", f"no column {col!r}"
                    continue
                try:
                    self._cell(ind).parse(ind, raw)
                except ValueError as exc:
                    yield f"rules[{i}].when.{col}", str(exc)

    # -- answers ---------------------------------------------------------------------------

    def parse(self, ind: Indicator, raw: Any) -> Any:
        if not isinstance(raw, dict):
            raise ValueError("expected a mapping row → column → value, got "
                             f"{type(raw).__name__}")
        cell = self._cell(ind)
        parts: list[tuple[str, str]] = []
        rows = [r.value for r in ind.rows]
        columns = [c.value for c in ind.columns]
        parts += [(f"[{key}]", f"no row {key!r} (rows: {', '.join(rows)})")
                  for key in raw if key not in rows]
        out: dict[str, dict[str, Any]] = {}
        for row in rows:
            cells = raw.get(row)
            if not isinstance(cells, dict):
                parts.append((f"[{row}]", "row missing" if cells is None else
                              f"expected a mapping column → value, got {type(cells).__name__}"))
                continue
            parts += [(f"[{row}][{key}]", f"no column {key!r} (columns: {', '.join(columns)})")
                      for key in cells if key not in columns]
            out[row] = {}
            for col in columns:
                where = f"[{row}][{col}]"
                if cells.get(col) is None:
                    parts.append((where, "cell missing"))
                    continue
                try:
                    out[row][col] = cell.parse(ind, cells[col])
                except ValueError as exc:
                    parts.append((where, str(exc)))
        if parts:
            raise GridCellErrors(parts)
        return out

    def _row_points(self, ind: Indicator, row: dict[str, Any]) -> Fraction:
        """A row's points before its weight."""
        cell = self._cell(ind)
        if ind.rules:
            rule = self._rule(ind, row)
            return frac(rule.points) if rule is not None else Fraction(0)
        on = dt.date(2000, 1, 1)  # cell kinds of a grid never depend on the date
        return sum((frac(c.weight) * cell.points(ind, row[c.value], on) for c in ind.columns),
                   Fraction(0))

    def _rule(self, ind: Indicator, row: dict[str, Any]) -> GridRule | None:
        cell = self._cell(ind)
        return next((r for r in ind.rules
                     if all(row[c] == cell.parse(ind, v) for c, v in r.when.items())), None)

    def points(self, ind: Indicator, value: Any, on: dt.date) -> Fraction:
        return sum((frac(r.weight) * self._row_points(ind, value[r.value]) for r in ind.rows),
                   Fraction(0))

    def max_points(self, ind: Indicator) -> Fraction:
        if ind.cell is None or (ind.rules and not ind.rows):
            return Fraction(0)
        if ind.rules:
            best = max(frac(r.points) for r in ind.rules)
        else:
            top = self._cell(ind).max_points(ind)
            best = sum((frac(c.weight) * top for c in ind.columns), Fraction(0))
        return sum((frac(r.weight) * best for r in ind.rows), Fraction(0))

    def points_scale(self, ind: Indicator) -> int | None:
        # Every answer's points are a sum of weight × (cell or rule) points: their common
        # denominator fits them all.
        cell = self._cell(ind)
        if ind.rules:
            parts = [frac(r.weight) * frac(rule.points) for r in ind.rows for rule in ind.rules]
        else:
            on = dt.date(2000, 1, 1)
            parts = [frac(r.weight) * frac(c.weight) * cell.points(ind, cell.parse(ind, v), on)
                     for r in ind.rows for c in ind.columns for v in cell.ladder(ind)]
        return math.lcm(1, *(p.denominator for p in parts))

    def explain(self, ind: Indicator, value: Any) -> Text:
        zh: list[str] = []
        en: list[str] = []
        for r in ind.rows:
            pts = frac(r.weight) * self._row_points(ind, value[r.value])
            zh.append(f"{r.label.zh} {_show(pts)}")
            en.append(f"{r.label.en} {_show(pts)}")
        total = _show(self.points(ind, value, dt.date(2000, 1, 1)))
        how_zh, how_en = (("按行首条匹配规则", "first matching rule per row") if ind.rules
                          else ("各格分值相加", "cell points added"))
        return Text(zh=f"{how_zh}：{'；'.join(zh)}，合计 {total} 分",
                    en=f"{how_en}: {'; '.join(en)}; total {points_en(total)}")

    def ladder(self, ind: Indicator) -> list[Any]:
        # Every cell at the same rung, worst to best: with rules the points need not follow
        # the cells' order, so no order is claimed then.
        if ind.rules or ind.cell is None:
            return []
        return [self._filled(ind, lambda r, c, v=v: v) for v in self._cell(ind).ladder(ind)]

    def samples(self, ind: Indicator) -> list[Any]:
        steps = self._cell(ind).ladder(ind) if ind.cell is not None else []
        if not steps:
            return []
        out = [self._filled(ind, lambda r, c, v=v: v) for v in steps]
        # A mixed grid (the rungs in turn along rows and columns), and each rule met alone.
        out.append(self._filled(ind, lambda r, c: steps[(r + c) % len(steps)]))
        for rule in ind.rules:
            out.append(self._filled(
                ind, lambda r, c, rule=rule: rule.when.get(ind.columns[c].value, steps[0])))
        return out

    @staticmethod
    def _filled(ind: Indicator, pick: Any) -> dict[str, dict[str, Any]]:
        return {row.value: {col.value: pick(i, j) for j, col in enumerate(ind.columns)}
                for i, row in enumerate(ind.rows)}

    def to_json(self, value: Any) -> Any:
        return {row: dict(cells) for row, cells in value.items()}

    def scoring(self, ind: Indicator) -> ScoringTable:
        if ind.cell is None:
            return ScoringTable()
        cell = self._cell(ind)

        def names(lines: list[GridLine], lang: str) -> str:
            return ("、" if lang == "zh" else ", ").join(
                (line.label.zh if lang == "zh" else line.label.en)
                + (f" × {fmt(line.weight)}" if line.weight != 1 else "") for line in lines)

        what = {"choice": ("选项", "an option"), "scale": ("等级", "a level"),
                "yesno": ("是/否", "yes/no")}[ind.cell]
        zh = (f"表格：行 {names(ind.rows, 'zh')}；列 {names(ind.columns, 'zh')}（× 为权重）；"
              f"每格填{what[0]}。")
        en = (f"A grid. Rows: {names(ind.rows, 'en')}; columns: {names(ind.columns, 'en')} "
              f"(× weight); each cell {what[1]}.")
        if ind.rules:
            rows: list[list[str | Text]] = [[_when_text(rule, ind, cell), fmt(rule.points)]
                                            for rule in ind.rules]
            return ScoringTable(
                lead=Text(zh=zh + "每行按下表首条满足的规则计分（都不满足得 0），乘以行权重后相加。",
                          en=en + " Each row scores the first rule below that it meets (none: 0), "
                                  "times its weight; rows are added."),
                header=[Text(zh="该行满足", en="the row holds"), _POINTS], rows=rows,
                named_column=0)
        table = cell.scoring(ind)
        each = f" {table.lead.en}" if table.lead else ""
        each_zh = table.lead.zh if table.lead else ""
        return attrs.evolve(table, lead=Text(
            zh=zh + f"每格分值乘以行、列权重后相加。{each_zh}",
            en=en + f" Each cell's points times its row's and column's weights, added.{each}"))


BUILTIN_KINDS: tuple[AnswerKind, ...] = (
    ChoiceKind(),
    MultiKind(),
    YesNoKind(),
    NumberKind(),
    PercentKind(),
    ScaleKind(),
    DateKind(),
    TextKind(),
    GridKind(),
)
