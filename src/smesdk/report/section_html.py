"""Typed sections as HTML (Markup built from escaped parts) with inline SVG charts."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from markupsafe import Markup, escape

from smesdk.report import charts
from smesdk.report.labels import label
from smesdk.report.section_text import STEP_MARKS, cell_text
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

TextFn = Callable[[Text | None, Lang], Markup]


# Digits joined by hyphens: a date (2026-03-31) or a standard's year (GB/T 19001-2016), which
# a browser would break after a hyphen.
_JOINED = re.compile(r"\d+(?:-\d+)+")


def unbroken(text: str) -> Markup:
    """``text`` escaped, its dates and standard numbers each kept on one line."""
    return Markup("").join(
        Markup('<span class="nw">{}</span>').format(part) if k % 2 else escape(part)
        for k, part in enumerate(re.split(f"({_JOINED.pattern})", text)))


def _cell(cell: Cell, lang: Lang, t: TextFn) -> Markup:
    return t(cell, lang) if isinstance(cell, Text) else unbroken(cell_text(cell, lang))


def badge(status: str | None, lang: Lang) -> Markup:
    if not status:
        return Markup("")
    return Markup(' <span class="badge {0}">{1}</span>').format(status, label(status, lang))


def section_html(section: ReportSection, lang: Lang, t: TextFn) -> Markup:
    kind = type(section).__name__.lower()
    head = Markup('<h3>{0}{1}</h3>').format(t(section.title, lang), badge(section.status, lang))
    body = _body(section, lang, t)
    note = Markup('<p class="muted">{0}</p>').format(t(section.note, lang)) if section.note else Markup("")
    return Markup('<div class="section {0}" data-section="{1}">{2}{3}{4}</div>').format(
        kind, section.id, head, body, note)


def _body(section: ReportSection, lang: Lang, t: TextFn) -> Markup:
    return renderer(_BODIES, section, "HTML")(section, lang, t)


def _table(section: Table, lang: Lang, t: TextFn) -> Markup:
    numeric = section.numeric or [False] * len(section.columns)

    def cls(k: int) -> Markup:
        return Markup(' class="num"') if numeric[k] else Markup("")

    head = Markup("").join(Markup("<th{0}>{1}</th>").format(cls(k), t(c, lang))
                           for k, c in enumerate(section.columns))
    rows = Markup("").join(
        Markup("<tr>{0}</tr>").format(Markup("").join(
            Markup("<td{0}>{1}</td>").format(cls(k), _cell(c, lang, t)) for k, c in enumerate(row)))
        for row in section.rows)
    return Markup('<div class="scroll"><table><thead><tr>{0}</tr></thead><tbody>{1}</tbody>'
                  '</table></div>').format(head, rows)


def _ranked(section: RankedList, lang: Lang, t: TextFn) -> Markup:
    items = Markup("").join(
        Markup("<li><p>{0}{1}</p>{2}</li>").format(
            t(item.text, lang),
            Markup(' <span class="badge">{0}</span>').format(_cell(item.badge, lang, t))
            if item.badge is not None else Markup(""),
            Markup('<p class="muted">{0}</p>').format(t(item.detail, lang))
            if item.detail is not None else Markup(""))
        for item in section.items)
    return Markup('<ol class="ranked">{0}</ol>').format(items)


def _callout(section: Callout, lang: Lang, t: TextFn) -> Markup:
    figure = (Markup('<strong class="figure">{0}</strong> ').format(_cell(section.figure, lang, t))
              if section.figure is not None else Markup(""))
    return Markup('<p class="callout {0}">{1}{2}</p>').format(
        section.tone, figure, t(section.body, lang))


def _ladder(section: Ladder, lang: Lang, t: TextFn) -> Markup:
    steps = Markup("").join(
        Markup('<li class="{0}"><span class="mark">{1}</span> {2}{3}</li>').format(
            step.state, STEP_MARKS[step.state], t(step.title, lang),
            Markup(' <span class="muted">— {0}</span>').format(t(step.detail, lang))
            if step.detail is not None else Markup(""))
        for step in section.steps)
    return Markup('<ol class="steps">{0}</ol>').format(steps)


def _grid(grid: Grid, lang: Lang, t: TextFn) -> Markup:
    marker = t(grid.marker, lang) if grid.marker else Markup("*")
    lit = set(grid.highlight)
    head = Markup("<th></th>") + Markup("").join(Markup('<th class="c">{0}</th>').format(t(c, lang))
                                                 for c in grid.columns)
    rows = []
    for r, (title, cells) in enumerate(zip(grid.rows, grid.cells, strict=True)):
        mark = Markup(' <span class="marker">{0}</span>').format(marker) if r in grid.marked else Markup("")
        tds = Markup("").join(
            Markup('<td class="c{0}">{1}</td>').format(" on" if (r, k) in lit else "",
                                                       _cell(c, lang, t) if c is not None else "")
            for k, c in enumerate(cells))
        rows.append(Markup('<tr><th scope="row">{0}{1}</th>{2}</tr>').format(t(title, lang), mark, tds))
    # the plugin's note says what its marker means; without one, a generic line does
    legend = (Markup('<p class="muted"><span class="marker">{0}</span> {1}</p>').format(
        marker, label("marked_rows", lang)) if grid.marked and grid.note is None else Markup(""))
    return Markup('<table class="grid"><thead><tr>{0}</tr></thead><tbody>{1}</tbody></table>{2}').format(
        head, Markup("").join(rows), legend)


def _pct(value: Decimal | None, maximum: Decimal) -> Decimal | None:
    return None if value is None else value * 100 / maximum


def _chart(chart: Chart, lang: Lang, t: TextFn) -> Markup:
    title = chart.title.get(lang)
    labels = [lab.get(lang) for lab in chart.labels]
    if chart.kind == "radar" and len(labels) >= 3:
        series = [charts.Series(s.name.get(lang), [_pct(v, chart.maximum) for v in s.values], s.style)
                  for s in chart.series]
        svg = charts.radar(labels, series, title=title)
    else:
        first = chart.series[0] if chart.series else None
        second = chart.series[1] if len(chart.series) > 1 else None
        rows = [charts.Bar(lab, _pct(first.values[k], chart.maximum) if first else None, 1,
                           _pct(second.values[k], chart.maximum) if second else None)
                for k, lab in enumerate(labels)]
        svg = charts.bars(rows, title=title, marker_name=second.name.get(lang) if second else None)
    legend = Markup("").join(
        Markup('<li><span class="swatch {0}"></span>{1}</li>').format(s.style, s.name.get(lang))
        for s in chart.series)
    return Markup('<figure>{0}<ul class="legend">{1}</ul></figure>').format(svg, legend)


_BODIES: dict[type, Callable[..., Markup]] = {
    Table: _table, RankedList: _ranked, Callout: _callout, Ladder: _ladder, Grid: _grid,
    Chart: _chart,
}
