"""Per-answer memo: what one raw answer to one indicator comes to, computed once.

A framework is immutable and the built-in kinds are pure, so the parsed value, points, score,
rule text and rounded figures of an answer depend only on (indicator, raw answer, date). A
platform scoring many enterprises sees the same few answers per indicator again and again;
remembering them turns the per-indicator work of scoring into a dictionary lookup.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from smesdk.kinds import AnswerKind
from smesdk.numbers import round_out
from smesdk.spec import Indicator
from smesdk.statuses import IndicatorStatus
from smesdk.text import Text

#: Entries kept per framework before the memo starts afresh (bounds memory on numeric answers).
MAX_CELLS = 200_000

_HUNDRED = Fraction(100)
#: Types value_key keys by the value itself, and types it keys by their text (1.0 == 1.00 but
#: they print differently). The engine keys the common answers inline by these same sets.
ATOMS = frozenset({str, int, bool, type(None), dt.date})
EXACT_TEXT = frozenset({float, Decimal})


class Cell:
    """One answer to one indicator, parsed and scored.

    It also stands, as it is, for the indicator's working state in the engine when the answer
    came plain (no evidence, no note, no N/A): the engine then stores the cell itself instead of
    a new per-assessment object (``status``, ``cell``, ``piece``, ``note``, ``given``
    are the attributes it reads; ``given``, the Answer, is None as nothing else of it counts).
    """

    __slots__ = ("answer", "cell", "given", "level", "note", "piece", "points",
                 "points_r", "rule", "score", "score100", "score_r", "status", "units", "value")

    def __init__(self, kind: AnswerKind, ind: Indicator, value: Any, points: Fraction,
                 max_points: Fraction, scale: int | None = None, *, scored: bool = True,
                 key: Any = None) -> None:
        self.value = value
        self.points = points
        self.status = IndicatorStatus.SCORED if scored else IndicatorStatus.UNSCORED
        self.cell = self
        #: A remembered cell (one with a memo key) has its trace piece remembered too.
        self.piece = key is not None
        self.note: str | None = None
        self.given = None
        #: The points as a whole number of 1/scale (the indicator's fixed scale), or None when
        #: they are not a multiple of it: then the engine takes its exact Fraction path.
        self.units: int | None = None
        if scale is not None:
            units = points * scale
            if units.denominator == 1:
                self.units = units.numerator
        self.score = points / max_points if max_points else Fraction(0)
        self.score100 = self.score * _HUNDRED
        self.points_r = round_out(points)
        self.score_r = round_out(self.score100)
        self.answer = kind.to_json(value)
        self.level = kind.level(ind, value)
        self.rule: Text = kind.explain(ind, value)


def value_key(raw: Any) -> Any:
    """A hashable key telling raw answers apart exactly, or None when there is none."""
    t = type(raw)
    if t in ATOMS:
        return (t, raw)
    if t in EXACT_TEXT:
        return (t, repr(raw))
    if t is list or t is tuple:
        # The common elements (text, numbers) keyed inline: a call per element cost more.
        parts = tuple([(te, x) if (te := type(x)) is str or te is int else value_key(x)
                       for x in raw])
        return None if None in parts else (t, parts)
    return None


def cell_for(cells: dict[Any, Cell], iid: str, kind: AnswerKind, ind: Indicator, raw: Any,
             on: dt.date, max_points: Fraction, scored: bool,
             scale: int | None = None, *, dated: bool = True) -> tuple[Cell, Any]:
    """The cell of ``raw`` (memoised when the kind allows it) and its memo key (or None).

    The key holds the date only when the indicator's points depend on it (``dated``, see
    ``Framework.dated``). Raises ValueError from the kind's parser for an invalid answer
    (never memoised).
    """
    key = None
    if kind.cacheable:
        vk = value_key(raw)
        if vk is not None:
            key = (iid, vk, on) if dated else (iid, vk)
            cell = cells.get(key)
            if cell is not None:
                return cell, key
    value = kind.parse(ind, raw)
    points = kind.points(ind, value, on) if scored else Fraction(0)
    cell = Cell(kind, ind, value, points, max_points, scale, scored=scored, key=key)
    if key is not None:
        if len(cells) >= MAX_CELLS:
            cells.clear()
        cells[key] = cell
    return cell, key
