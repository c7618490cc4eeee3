"""The result as a compact rich table, for a terminal: coloured level, a bar per dimension.

Used only when stdout is a terminal and NO_COLOR is unset; otherwise the plain text of
:func:`smesdk.cli.render.result_text` is printed unchanged. Everything fits the console
width (80 columns or less): long titles are cut by display width with an ellipsis, other
lines wrap (:func:`smesdk.cli.render.wrap`). User and framework texts are rich ``Text``
objects, never markup, so a name like ``[bold]`` prints as written.
"""

from __future__ import annotations

import os
import sys
from decimal import Decimal

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from smesdk.cli.render import (
    bar,
    bar_cols,
    label,
    level_title,
    result_head,
    result_tail,
    top_dimensions,
    unscored_legend,
    wrapped,
)
from smesdk.framework import Framework
from smesdk.numbers import fmt
from smesdk.report.labels import label as report_label
from smesdk.result import Result
from smesdk.text import Lang

MAX_WIDTH = 80


def use_rich() -> bool:
    """A rich table only for a person at a terminal who has not asked for no colour."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _score_style(score: Decimal | None) -> str:
    if score is None:
        return "dim"
    if score >= 80:
        return "green"
    return "yellow" if score >= 50 else "red"


def _level_style(fw: Framework, result: Result) -> str:
    if result.level is None:
        return "bold red"
    ids = [lv.id for lv in fw.spec.levels]
    rank = ids.index(result.level.id) if result.level.id in ids else 0
    if rank == len(ids) - 1:
        return "bold green"
    return "bold yellow" if rank * 2 < len(ids) else "bold cyan"


def _bar(score: Decimal | None, cols: int) -> Text:
    """The plain bar, its filled part in the score's colour."""
    text = bar(score, cols)
    if score is None:
        return Text(text, style="dim")
    filled = text.count("█")
    out = Text(text[:filled], style=_score_style(score))
    out.append(text[filled:], style="dim")
    return out


def result_table(fw: Framework, result: Result, lang: Lang, width: int = MAX_WIDTH) -> Table:
    table = Table(box=box.SIMPLE, expand=False, pad_edge=False, show_edge=False, show_header=False,
                  title=Text(label("dims", lang), style="bold"), title_justify="left")
    # Fixed columns first (bar, score 6, points up to 15, 2 spaces between each); the title
    # gets the rest and is cut by display width with an ellipsis.
    bars = bar_cols(width)
    table.add_column(no_wrap=True, overflow="ellipsis", max_width=max(width - bars - 6 - 15 - 6, 8))
    table.add_column(min_width=bars, no_wrap=True)
    table.add_column(justify="right", min_width=6, no_wrap=True)
    table.add_column(justify="right", no_wrap=True, max_width=15)
    for dim in top_dimensions(result):
        score = fmt(dim.score, 1) if dim.score is not None else "—"
        flag = "" if dim.scored else " *"
        table.add_row(Text(dim.title.get(lang)), _bar(dim.score, bars),
                      Text(score, style=_score_style(dim.score)),
                      Text(f"{fmt(dim.points, 2)}/{fmt(dim.max_points, 2)}{flag}", style="dim"))
    return table


def render_result(fw: Framework, result: Result, lang: Lang, width: int = MAX_WIDTH) -> Group:
    head = result_head(fw, result, lang)
    parts: list[Text | Table] = [Text(line) for line in wrapped(head[:-1], width - 1)]
    total = Text(f"{label('total', lang)}: ")
    total.append(f"{fmt(result.total, 2)}", style="bold")
    total.append(f" / 100    {label('level', lang)}: ")
    total.append(level_title(result, lang), style=_level_style(fw, result))
    if result.level:
        total.append(f" ({report_label(result.level.status, lang)})", style="dim")
    parts += [total, Text(""), result_table(fw, result, lang, width)]
    parts += [Text(line, style="dim") for line in unscored_legend(top_dimensions(result), lang)]
    tail = result_tail(fw, result, lang, width=width - 1)
    parts += [Text(line) for line in wrapped(tail, width - 1)]
    return Group(*parts)


def print_result(fw: Framework, result: Result, lang: Lang, console: Console | None = None) -> None:
    """Print the rich report; the console is at most 80 columns wide."""
    if console is None:
        console = Console(highlight=False)
        console.width = min(console.width, MAX_WIDTH)
    console.print(render_result(fw, result, lang, min(console.width, MAX_WIDTH)), crop=True)
