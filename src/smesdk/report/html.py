"""The HTML report: one self-contained file (inline CSS and SVG, no script, no network).

Jinja2 renders it with autoescape on, so every value from an answer set (enterprise name,
answers, evidence) is escaped unless it is built here as :class:`markupsafe.Markup` from
escaped parts.
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2
from markupsafe import Markup, escape

from smesdk.report import charts
from smesdk.report.content import Cite, Report, enumeration, show, signed
from smesdk.report.labels import label, language_name
from smesdk.report.section_html import badge, section_html, unbroken
from smesdk.spec import SourceDocument
from smesdk.text import Lang, Text


def text_html(text: Text | None, lang: Lang) -> Markup:
    """A framework text in ``lang`` along its fallback chain; a language outside the chain
    behind a visible marker."""
    if text is None:
        return Markup("")
    tag, value, in_chain = text.pick(lang)
    if tag == lang or not value:
        return escape(value)
    code = "zh-CN" if tag == "zh" else tag
    if in_chain:
        return Markup('<span lang="{code}">{text}</span>').format(code=code, text=value)
    marked = Markup('<span class="fallback" title="{tip}">{tag}</span><span lang="{code}">{text}</span>')
    return marked.format(tip=label("fallback", lang, want=language_name(lang, lang),
                                   shown=language_name(tag, lang)),
                         tag=tag.upper(), code=code, text=value)


@jinja2.pass_context
def _t_filter(ctx: Any, text: Text | None) -> Markup:
    return text_html(text, ctx["r"].lang)


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("smesdk.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(t=_t_filter, n=show, signed=signed, day=lambda d: unbroken(str(d)))
    return env


def _quoted(title: Markup, lang: Lang) -> Markup:
    return Markup("《{}》").format(title) if lang == "zh" else title


def render(report: Report) -> str:
    """The report as one HTML document."""
    lang = report.lang

    def doc_title(doc: SourceDocument) -> Markup:
        title = _quoted(text_html(doc.title, lang), lang)
        return title + (Markup(" {}").format(doc.number) if doc.number else Markup(""))

    def doc_line(doc: SourceDocument) -> Markup:
        """A listed document: its title, who issued it and when, and where to read it."""
        out = doc_title(doc) + Markup(", {}").format(text_html(doc.issuer, lang))
        if doc.date is not None:
            out += Markup(", {}").format(unbroken(doc.date.isoformat()))
        if doc.url is not None:  # validate admits only http(s) addresses
            out += Markup(', <a href="{0}">{0}</a>').format(doc.url)
        return out

    def cite(cites: list[Cite]) -> Markup:
        return Markup("; ").join(cite_one(c) for c in cites)

    def cite_one(c: Cite) -> Markup:
        parts: list[Markup] = []
        if c.role is not None:
            parts.append(Markup("{}:").format(text_html(c.role, lang)))
        if c.title is not None:
            parts.append(_quoted(text_html(c.title, lang), lang))
            if c.number:
                parts.append(unbroken(c.number))
        else:
            parts.append(escape(c.doc))
        parts.append(unbroken(c.clause))
        if c.standard:
            parts.append(unbroken(c.standard))
        out = Markup(" ").join(parts)
        if c.note is not None:
            out += Markup(" ({})").format(text_html(c.note, lang))
        return Markup('<span class="cite">{}</span>').format(out)

    overlays = overlay_series(report)
    return _environment().get_template("report.html.j2").render(
        r=report, L=lambda key: label(key, lang),
        radar_svg=_radar(report, overlays), bars_svg=_bars(report), overlays=overlays,
        doc_title=doc_title, doc_line=doc_line, cite=cite,
        enumeration=lambda names: Markup(enumeration([escape(n) for n in names], lang)),
        section=lambda sec: section_html(sec, lang, text_html),
        status=lambda value: badge(value, lang),
    )


def overlay_series(report: Report) -> list[charts.Series]:
    """The outlines drawn against the result: the earlier assessment and the target, either
    or both."""
    lang = report.lang
    out = []
    if report.earlier is not None:
        out.append(charts.Series(f"{label('earlier', lang)} {report.earlier.assessed_on}",
                                 [a.earlier for a in report.axes], "compare"))
    if report.target_title is not None:
        out.append(charts.Series(f"{label('target', lang)}: {report.target_title.get(lang)}",
                                 [a.target for a in report.axes], "target"))
    return out


def _radar(report: Report, overlays: list[charts.Series]) -> Markup:
    lang = report.lang
    if len(report.axes) < 3:
        return Markup("")
    current = charts.Series(label("current", lang), [a.score for a in report.axes], "current")
    return charts.radar([a.title.get(lang) for a in report.axes], [current, *overlays],
                        title=label("radar", lang))


def _bars(report: Report) -> Markup:
    lang = report.lang
    rows = []
    for top in report.top:
        subs = [d for d in report.sub if d.id.startswith(top.id + ".")]
        if not subs:
            continue
        rows.append(charts.Bar(top.title.get(lang), top.score, 0, top.earlier))
        rows += [charts.Bar(d.title.get(lang), d.score, d.depth, d.earlier) for d in subs]
    if not rows:
        return Markup("")
    marker = f"{label('earlier', lang)} {report.earlier.assessed_on}" if report.earlier else None
    return charts.bars(rows, title=label("subdimensions", lang), marker_name=marker)
