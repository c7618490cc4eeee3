"""Answer shapes: the small closed set of forms an answer can take.

Every answer kind declares one. Forms, docs, batch columns, synthetic data and test
strategies dispatch on the shape, never on a kind's class or name, so a plugin kind of a
known shape works everywhere a built-in kind does.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import attrs

from smesdk.text import Text


class Shape(StrEnum):
    """How an answer looks, whatever scores it."""

    #: One of a finite list (:meth:`AnswerKind.choices`): a drop-down, a text column.
    OPTIONS = "options"
    #: A number, scored by the band it falls in (:meth:`AnswerKind.number_range`).
    BANDS = "bands"
    #: Any subset of a finite list (:meth:`AnswerKind.choices`; one may be exclusive).
    SUBSET = "subset"
    #: A calendar date.
    DATE = "date"
    #: Free text, checked by the kind.
    TEXT = "text"
    #: Rows × columns of cells, each one of a finite list (:meth:`AnswerKind.grid`); the
    #: answer maps row → column → cell value.
    GRID = "grid"


@attrs.frozen
class Choice:
    """One item of an OPTIONS or SUBSET answer: the raw value the kind accepts and its label."""

    value: Any
    label: Text
    exclusive: bool = False


@attrs.frozen
class GridForm:
    """What a GRID answer looks like: its rows, its columns, and what every cell may hold
    (worst first where the items have an order)."""

    rows: list[Choice]
    columns: list[Choice]
    cells: list[Choice]

    def item(self, value: Any) -> Choice:
        """The cell item a parsed cell value is (items of one grid share a value type)."""
        return next(c for c in self.cells if type(c.value) is type(value) and c.value == value)


@attrs.frozen
class ScoringTable:
    """How a kind turns answers into points, for docs and reports: a lead sentence and/or a
    table whose cells are plain strings (values, numbers) or texts (labels)."""

    lead: Text | None = None
    header: list[Text] = attrs.field(factory=list)
    rows: list[list[str | Text]] = attrs.field(factory=list)
    #: The column holding the framework's own names (option or level labels), if any.
    named_column: int | None = None
    #: True when answers of this indicator carry no points at all.
    unscored: bool = False
