"""Typed report sections: the closed set of shapes a plugin may add to a report.

A plugin returns these from the ``smesdk_report_sections`` hook; the core renders each shape
in HTML, Markdown, the terminal and PDF, so a plugin never hands over a raw key/value dump.
Texts are :class:`~smesdk.text.Text` (both languages); a cell may also be a plain string (an
enterprise's own data, shown as written) or a number (shown with its digits, never rounded
again). Every section carries the status of its figures (``official``, ``derived`` or
``unverified``) where it has any, and the report shows it.

::

    from smesdk.report.sections import Callout
    Callout(id="zjtx6", title=Text("专精特新指标6", "SRDI indicator 6"),
            body=Text("4 / 5 分", "4 of 5 points"), status="official")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal, TypeVar

import attrs

from smesdk.errors import Problem, SmesdkError
from smesdk.numbers import fmt
from smesdk.spec import Citation, Status
from smesdk.text import Text

Cell = Text | str | int | Decimal | None
Tone = Literal["info", "warning", "success"]
StepState = Literal["done", "current", "next", "todo"]
SeriesStyle = Literal["current", "compare", "target"]
R = TypeVar("R")


class SectionError(SmesdkError):
    """A plugin returned something that is not one of the report section types."""


@attrs.frozen(kw_only=True)
class _Base:
    id: str
    title: Text
    status: Status | None = None
    note: Text | None = None
    source: Citation | None = None


@attrs.frozen(kw_only=True)
class Table(_Base):
    """Rows under named columns; ``numeric`` columns are right-aligned."""

    columns: list[Text]
    rows: list[list[Cell]]
    numeric: list[bool] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class Item:
    text: Text
    detail: Text | None = None
    badge: Cell = None


@attrs.frozen(kw_only=True)
class RankedList(_Base):
    """Items in the order that matters (first = do first)."""

    items: list[Item]


@attrs.frozen(kw_only=True)
class Callout(_Base):
    """One message that stands out: a headline figure, a warning, a verdict."""

    body: Text
    figure: Cell = None
    tone: Tone = "info"


@attrs.frozen(kw_only=True)
class Step:
    title: Text
    state: StepState
    detail: Text | None = None


@attrs.frozen(kw_only=True)
class Ladder(_Base):
    """Ordered steps or rungs, each done, current, next or still to do."""

    steps: list[Step]


@attrs.frozen(kw_only=True)
class Grid(_Base):
    """A matrix: named rows × named columns, each cell a short mark or text.

    ``marked`` rows carry ``marker`` (e.g. ★ for the scenes a level counts); ``highlight``
    is the (row, column) cells to emphasise, e.g. each scene's current level.
    """

    rows: list[Text]
    columns: list[Text]
    cells: list[list[Cell]]
    marked: list[int] = attrs.field(factory=list)
    marker: Text | None = None
    highlight: list[tuple[int, int]] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class Series:
    name: Text
    values: list[Decimal | None]
    style: SeriesStyle = "current"


@attrs.frozen(kw_only=True)
class Chart(_Base):
    """Bars or a radar of values from 0 to ``maximum``; one series or several overlaid."""

    kind: Literal["bar", "radar"]
    labels: list[Text]
    series: list[Series]
    maximum: Decimal = Decimal(100)


ReportSection = Table | RankedList | Callout | Ladder | Grid | Chart
SECTION_TYPES = (Table, RankedList, Callout, Ladder, Grid, Chart)


def renderer(table: Mapping[type, R], section: ReportSection, output: str) -> R:
    """The ``output`` format's renderer for ``section``'s type (or the section type it extends).

    Each format keeps one table of renderers keyed by section type; a type missing from a table
    is refused with a message, never rendered as nothing."""
    for cls in type(section).__mro__:
        if cls in table:
            return table[cls]
    raise SectionError([Problem(f"section {section.id!r}",
                                f"{type(section).__name__} has no {output} renderer")])


def figure(value: Decimal, places: int) -> str:
    """A number as a cell shows it: ``places`` decimals, halves away from zero (四舍五入),
    the rounding every smesdk figure uses."""
    return fmt(value, places)


def check(plugin: str, sections: Sequence[Any]) -> list[ReportSection]:
    """The plugin's sections, or SectionError naming every item that is not a section type."""
    problems = []
    out: list[ReportSection] = []
    for k, section in enumerate(sections):
        if not isinstance(section, SECTION_TYPES):
            names = ", ".join(t.__name__ for t in SECTION_TYPES)
            problems.append(Problem(f"{plugin}: section {k + 1}",
                                    f"{type(section).__name__} is not a report section ({names})"))
            continue
        out.append(section)
        problems += [Problem(f"{plugin}: section {section.id!r}", msg) for msg in _shape(section)]
    if problems:
        raise SectionError(problems)
    return out


def _shape(section: ReportSection) -> list[str]:
    """Sizes that must agree, so no renderer has to guess."""
    if isinstance(section, Table):
        width = len(section.columns)
        bad = [k + 1 for k, row in enumerate(section.rows) if len(row) != width]
        out = [f"rows {bad} do not have {width} cells"] if bad else []
        if section.numeric and len(section.numeric) != width:
            out.append(f"numeric has {len(section.numeric)} flags for {width} columns")
        return out
    if isinstance(section, Grid):
        out = []
        if len(section.cells) != len(section.rows):
            out.append(f"{len(section.cells)} rows of cells for {len(section.rows)} row titles")
        if any(len(row) != len(section.columns) for row in section.cells):
            out.append(f"every row needs {len(section.columns)} cells")
        return out
    if isinstance(section, Chart):
        return [f"series {s.name.en!r} has {len(s.values)} values for {len(section.labels)} labels"
                for s in section.series if len(s.values) != len(section.labels)]
    return []


def collect(framework: Any, result: Any) -> list[ReportSection]:
    """Every plugin's sections for this result, in plugin order (none without a host)."""
    pm = getattr(getattr(framework, "hooks", None), "pm", None)
    if pm is None:
        return []
    caller = getattr(pm.hook, "smesdk_report_sections", None)
    if caller is None:
        return []
    kwargs = {"framework": framework, "result": result}
    failures = getattr(framework.hooks, "failures", [])
    before = len(failures)
    out: list[ReportSection] = []
    # Called implementation by implementation so an error names the plugin.
    for impl in caller.get_hookimpls():
        got = impl.function(*[kwargs[name] for name in impl.argnames])
        if got is None:
            continue
        if not isinstance(got, list | tuple):
            raise SectionError([Problem(impl.plugin_name, f"smesdk_report_sections returned "
                                                          f"{type(got).__name__}, not a list")])
        out += check(impl.plugin_name, got)
    # The host's guard keeps a plugin that raises from ending the report; say so in it.
    for failure in failures[before:]:
        if failure.stage == "smesdk_report_sections":
            out.append(Callout(
                id=f"failed.{failure.plugin}", tone="warning",
                title=Text(zh=f"插件 {failure.plugin} 的内容缺失", en=f"Missing: plugin {failure.plugin}"),
                body=Text(zh=f"该插件添加报告内容时出错：{failure.message}",
                          en=f"the plugin failed to add its report sections: {failure.message}")))
    return out
