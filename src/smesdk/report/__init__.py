"""Reports people read: a self-contained HTML file with charts, and Markdown for documents.

::

    from smesdk.report import render_html
    html = render_html(result, framework, lang="zh", target="l3")
"""

from __future__ import annotations

from pathlib import Path

from smesdk.deltas import Comparison
from smesdk.framework import Framework
from smesdk.report.content import ReportError, Target, build
from smesdk.result import Result
from smesdk.text import Lang
from smesdk.uplift import UpliftPlan

__all__ = ["ReportError", "Target", "render_html", "render_markdown", "render_pdf"]


def render_html(result: Result, framework: Framework, *, lang: Lang | None = None,
                compare: Result | None = None, target: Target | None = None,
                changes: Comparison | None = None, plan: UpliftPlan | None = None) -> str:
    """One self-contained HTML document (inline CSS and SVG, no script, nothing fetched).

    ``compare`` is an earlier result of the same framework; ``target`` is a level id or a
    mapping of dimension id to a target percentage. Each is drawn on the radar as an outline
    (both when both are given) and fills its column of the dimension table.
    ``lang`` is any language the framework declares (default: its first, Chinese for the
    official frameworks); texts lacking it follow the framework's fallback chain.
    With ``compare`` the report also has a table of what changed (:func:`smesdk.compare`);
    ``changes`` is that comparison made by the caller, e.g. with both answer sets and
    frameworks so that practice and model change are told apart after a new framework
    version. ``plan`` (``result.plan_to(level)``) adds the plan to a level, in phases.
    Raises :class:`ReportError` for a target that does not fit the framework, and
    :class:`smesdk.languages.LanguageError` for a language it does not declare.
    """
    from smesdk.report import html  # Jinja2 only when HTML is asked for

    return html.render(build(result, framework, lang, compare=compare, target=target,
                             changes=changes, plan=plan))


def render_markdown(result: Result, framework: Framework, *, lang: Lang | None = None,
                    compare: Result | None = None, target: Target | None = None,
                    changes: Comparison | None = None, plan: UpliftPlan | None = None) -> str:
    """The same content as Markdown (no charts), every table cell escaped."""
    from smesdk.report import markdown

    return markdown.render(build(result, framework, lang, compare=compare, target=target,
                                 changes=changes, plan=plan))


def render_pdf(result: Result, framework: Framework, *, lang: Lang | None = None,
               compare: Result | None = None, target: Target | None = None,
               changes: Comparison | None = None, plan: UpliftPlan | None = None,
               font: str | Path | None = None) -> bytes:
    """The same content as an A4 PDF (header, footer with the provenance stamp and page
    numbers); its CJK font travels inside smesdk and is embedded as a subset.

    ``font`` is a TrueType/OpenType file to use instead, for characters beyond GB 2312.
    Raises :class:`ReportError` naming any character the font cannot draw.
    """
    from smesdk.report import pdf

    report = build(result, framework, lang, compare=compare, target=target, changes=changes,
                   plan=plan)
    return pdf.render(report, Path(font) if font is not None else None)
