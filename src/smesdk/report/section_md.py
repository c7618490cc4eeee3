"""Typed sections as Markdown: tables, numbered lists, quotes; every cell escaped."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from smesdk.report.section_text import STEP_MARKS, cell_text, heading
from smesdk.report.sections import (
    Callout,
    Chart,
    Grid,
    Ladder,
    RankedList,
    ReportSection,
    Table,
    renderer,
)
from smesdk.text import Lang

Escape = Callable[[object], str]
TableFn = Callable[[Sequence[str], Sequence[Sequence[str]], Sequence[bool]], list[str]]


def section_md(section: ReportSection, lang: Lang, md: Escape, table: TableFn) -> list[str]:
    out = [f"### {md(heading(section, lang))}", ""]
    out += renderer(_BODIES, section, "Markdown")(section, lang, md, table)
    if section.note is not None:
        out += [md(section.note.get(lang)), ""]
    return out


def _table(section: Table, lang: Lang, md: Escape, table: TableFn) -> list[str]:
    numeric = section.numeric or [False] * len(section.columns)
    return table([md(c.get(lang)) for c in section.columns],
                 [[md(cell_text(c, lang)) for c in row] for row in section.rows], numeric)


def _ranked(section: RankedList, lang: Lang, md: Escape, table: TableFn) -> list[str]:
    out = []
    for k, item in enumerate(section.items, 1):
        badge = f" **{md(cell_text(item.badge, lang))}**" if item.badge is not None else ""
        out.append(f"{k}. {md(item.text.get(lang))}{badge}")
        if item.detail is not None:
            out.append(f"   {md(item.detail.get(lang))}")
    return [*out, ""]


def _callout(section: Callout, lang: Lang, md: Escape, table: TableFn) -> list[str]:
    figure = f"**{md(cell_text(section.figure, lang))}** — " if section.figure is not None else ""
    return [f"> {figure}{md(section.body.get(lang))}", ""]


def _ladder(section: Ladder, lang: Lang, md: Escape, table: TableFn) -> list[str]:
    return [f"- {STEP_MARKS[s.state]} {md(s.title.get(lang))}"
            + (f" — {md(s.detail.get(lang))}" if s.detail is not None else "")
            for s in section.steps] + [""]


def _grid(section: Grid, lang: Lang, md: Escape, table: TableFn) -> list[str]:
    mark = section.marker.get(lang) if section.marker else "*"
    rows = [[md(r.get(lang) + (f" {mark}" if k in section.marked else "")),
             *[md(cell_text(c, lang)) if c is not None else "·" for c in cells]]
            for k, (r, cells) in enumerate(zip(section.rows, section.cells, strict=True))]
    return table(["", *[md(c.get(lang)) for c in section.columns]], rows,
                 [False] * (len(section.columns) + 1))


def _chart(section: Chart, lang: Lang, md: Escape, table: TableFn) -> list[str]:
    head = ["", *[md(s.name.get(lang)) for s in section.series]]
    rows = [[md(lab.get(lang)), *[md(cell_text(s.values[k], lang)) for s in section.series]]
            for k, lab in enumerate(section.labels)]
    return table(head, rows, [False] + [True] * len(section.series))


_BODIES: dict[type, Callable[..., list[str]]] = {
    Table: _table, RankedList: _ranked, Callout: _callout, Ladder: _ladder, Grid: _grid,
    Chart: _chart,
}
