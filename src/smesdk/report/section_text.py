"""Typed sections as plain lines for the terminal, and the cell wording every format shares."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from smesdk.numbers import fmt
from smesdk.report.charts import HANG_COLS, columns, fit_label, longest_word
from smesdk.report.labels import label
from smesdk.report.sections import (
    Callout,
    Cell,
    Chart,
    Grid,
    Ladder,
    RankedList,
    ReportSection,
    Table,
    renderer,
)
from smesdk.text import Lang, Text

STEP_MARKS = {"done": "✓", "current": "●", "next": "→", "todo": "○"}


def cell_text(cell: Cell, lang: Lang) -> str:
    """A cell as a person reads it: text in ``lang``, numbers with their own digits."""
    if cell is None:
        return "—"
    if isinstance(cell, Text):
        return cell.get(lang)
    if isinstance(cell, bool):
        return "✓" if cell else "✗"
    if isinstance(cell, Decimal):
        return fmt(cell)
    return str(cell)


def heading(section: ReportSection, lang: Lang) -> str:
    """The title with the status of its figures, e.g. "专精特新指标6 (官方)"."""
    status = f" ({label(section.status, lang)})" if section.status else ""
    return section.title.get(lang) + status


#: A word longer than this may be broken to keep a table within its width.
LONG_WORD = 24


def _wide(text: str) -> int:
    """The display columns of ``text``'s widest line."""
    return max(map(columns, text.split("\n")))


def _columns(head: list[str], rows: list[list[str]], width: int | None = None) -> list[str]:
    """A plain table: columns two spaces apart, under a rule. Within ``width`` display
    columns when given: each column starts as wide as its cells (its heading may wrap); the
    widest are narrowed a column at a time, never below their longest word, and their cells
    wrap (by words, or by characters in Chinese) onto more lines of the same row; room left
    over goes to the headings that would otherwise wrap, shortest first. A table that cannot
    fit runs wider."""
    widths = [max([_wide(h)] + [_wide(r[k]) for r in rows]) for k, h in enumerate(head)]
    room = None if width is None else width - 2 * (len(head) - 1)
    if room is not None and sum(widths) > room:
        natural = widths
        floor = [min(max(longest_word(t) for t in (h, *(r[k] for r in rows))), LONG_WORD)
                 + HANG_COLS for k, h in enumerate(head)]
        widths = [min(n, max(f, *(_wide(r[k]) for r in rows)) if rows else f)
                  for k, (n, f) in enumerate(zip(natural, floor, strict=True))]
        while sum(widths) > room:  # off the widest first: wide columns end up alike
            narrowable = [k for k, w in enumerate(widths) if w > floor[k]]
            if not narrowable:
                break  # as narrow as it gets: the table runs wider than asked
            widths[max(narrowable, key=widths.__getitem__)] -= 1
        for k in sorted(range(len(head)), key=lambda k: natural[k] - widths[k]):
            widths[k] += max(0, min(natural[k] - widths[k], room - sum(widths)))

    def cell_lines(text: str, w: int) -> list[str]:
        # A line break in a cell starts a line of it; fit_label lets closing punctuation
        # hang by HANG_COLS, so longer parts wrap that much narrower.
        return [line for part in text.split("\n") for line in (
            [part] if columns(part) <= w else fit_label(part, w - HANG_COLS, len(part))[0])]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - columns(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    def lines(row: list[str]) -> list[str]:
        wrapped = [cell_lines(text, w) for text, w in zip(row, widths, strict=True)]
        return [line([cell[i] if i < len(cell) else "" for cell in wrapped])
                for i in range(max(map(len, wrapped), default=1))]

    out = [*lines(head), "  ".join("-" * w for w in widths)]
    for row in rows:
        out += lines(row)
    return out


def section_lines(section: ReportSection, lang: Lang, width: int | None = None) -> list[str]:
    """The section under its heading; tables within ``width`` display columns when given."""
    out = [heading(section, lang) + ":"]
    body = renderer(_BODIES, section, "terminal")(section, lang, None if width is None
                                                   else width - 2)
    if section.note is not None:
        body.append(section.note.get(lang))
    return out + ["  " + line for line in body]


def _table(section: Table, lang: Lang, width: int | None) -> list[str]:
    return _columns([c.get(lang) for c in section.columns],
                    [[cell_text(c, lang) for c in row] for row in section.rows], width)


def _ranked(section: RankedList, lang: Lang, width: int | None) -> list[str]:
    body = []
    for k, item in enumerate(section.items, 1):
        badge = f" [{cell_text(item.badge, lang)}]" if item.badge is not None else ""
        body.append(f"{k}. {item.text.get(lang)}{badge}")
        if item.detail is not None:
            body.append(f"   {item.detail.get(lang)}")
    return body


def _callout(section: Callout, lang: Lang, width: int | None) -> list[str]:
    figure = f"{cell_text(section.figure, lang)} — " if section.figure is not None else ""
    return [f"» {figure}{section.body.get(lang)}"]


def _ladder(section: Ladder, lang: Lang, width: int | None) -> list[str]:
    return [f"{STEP_MARKS[step.state]} {step.title.get(lang)}"
            + (f" — {step.detail.get(lang)}" if step.detail is not None else "")
            for step in section.steps]


def _grid(section: Grid, lang: Lang, width: int | None) -> list[str]:
    mark = section.marker.get(lang) if section.marker else "*"
    rows = [[r.get(lang) + (f" {mark}" if k in section.marked else ""),
             *[cell_text(c, lang) if c is not None else "·" for c in cells]]
            for k, (r, cells) in enumerate(zip(section.rows, section.cells, strict=True))]
    return _columns(["", *[c.get(lang) for c in section.columns]], rows, width)


def _chart_lines(chart: Chart, lang: Lang, width: int | None) -> list[str]:
    """Bars of the first series; other series as their values in brackets."""
    names = [lab.get(lang) for lab in chart.labels]
    room = max((columns(n) for n in names), default=0)
    out = []
    for k, name in enumerate(names):
        value = chart.series[0].values[k] if chart.series else None
        filled = 0 if value is None else int(value * 20 / chart.maximum)
        others = [f"{s.name.get(lang)} {cell_text(s.values[k], lang)}" for s in chart.series[1:]]
        extra = f"  ({'; '.join(others)})" if others else ""
        shown = fmt(value, 1) if value is not None else "—"
        out.append(f"{name}{' ' * (room - columns(name))}  {'█' * filled}{'░' * (20 - filled)} "
                   f"{shown:>6}{extra}")
    return out


_BODIES: dict[type, Callable[..., list[str]]] = {
    Table: _table, RankedList: _ranked, Callout: _callout, Ladder: _ladder, Grid: _grid,
    Chart: _chart_lines,
}
