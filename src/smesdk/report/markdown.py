"""The Markdown report: the HTML report's content without charts, for pasting into documents.

Every piece of text passes through :func:`md`, which puts it on one line and backslash-
escapes the characters Markdown (CommonMark and GitHub tables) gives meaning to, so an
enterprise name with ``|`` or ``<script>`` stays text and cannot break a table.
"""

from __future__ import annotations

from collections.abc import Sequence

from smesdk.report.content import Cite, Report, show, signed
from smesdk.report.labels import label
from smesdk.report.section_md import section_md
from smesdk.text import Text

_SPECIAL = frozenset("\\`*_[]<>|~&#!")


def md(text: object) -> str:
    """``text`` as one line of literal Markdown text."""
    flat = " ".join(str(text).split())
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in flat)


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool]) -> list[str]:
    """A GitHub table; cells must already be escaped."""
    align = ["---:" if num else "---" for num in numeric]
    out = ["| " + " | ".join(head) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return [*out, ""]


def render(report: Report) -> str:
    lang = report.lang
    res, fw, ent = report.result, report.framework, report.result.enterprise

    def L(key: str) -> str:
        return md(label(key, lang))

    def t(text: Text | None) -> str:
        return "" if text is None else md(text.get(lang))

    def cite(cites: list[Cite]) -> str:
        return "; ".join(cite_one(c) for c in cites)

    def cite_one(c: Cite) -> str:
        role = f"{t(c.role)}: " if c.role is not None else ""
        if c.title is not None:
            title = t(c.title)
            parts = [f"《{title}》" if lang == "zh" else f"*{title}*"]
            if c.number:
                parts.append(md(c.number))
        else:
            parts = [md(c.doc)]
        parts.append(md(c.clause))
        if c.standard:
            parts.append(md(c.standard))
        out = role + " ".join(parts)
        return out + (f" ({t(c.note)})" if c.note is not None else "")

    out = [f"# {md(ent.name)}", "", f"{t(fw.spec.title)} · {L('report')} · {res.assessed_on.isoformat()}", ""]

    # Enterprise profile
    out += [f"## {L('profile')}", ""]
    rows = [[L(key), md(value) if isinstance(value, str) else t(value)]
            for key, value in report.enterprise]
    rows.append([L("assessed_on"), res.assessed_on.isoformat()])
    if res.assessor:
        rows.append([L("assessor"), md(res.assessor)])
    rows.append([L("framework"), t(fw.spec.title)])
    rows.append([L("framework_profile"), t(report.profile)])
    for doc in report.documents:  # each declared document, with what it is the source of
        rows.append([L("source"), (f"《{t(doc.title)}》" if lang == "zh" else t(doc.title))
                     + (f" {md(doc.number)}" if doc.number else "")
                     + f", {t(doc.issuer)}"
                     + (f", {doc.date.isoformat()}" if doc.date else "")
                     + (f", <{doc.url}>" if doc.url else "")
                     + (f" — {t(doc.role)}" if doc.role else "")])
    out += _table([L("profile"), ""], rows, [False, False])

    # Level
    level = t(res.level.title) if res.level else L("no_level")
    status = f" ({L(res.level.status)})" if res.level else ""
    out += [f"## {L('level')}", "",
            f"**{L('total')}** {show(res.total, 2)} / 100 · **{L('level')}** {level}{status}", ""]
    if report.earlier is not None:
        e = report.earlier
        out += [f"{L('earlier')} ({e.assessed_on}): {L('total')} {show(e.total, 2)}, {L('level')} "
                f"{t(e.level) if e.level else L('no_level')}; {L('change')} {signed(res.total - e.total)}",
                ""]
    if report.rungs:
        for rung in reversed(report.rungs):
            mark = f" ← {L(rung.state)}" if rung.state in ("reached", "next") else ""
            title = f"**{t(rung.title)}**" if rung.state == "reached" else t(rung.title)
            out.append(f"- {title} {rung.span} ({L(rung.status)}){mark}")
        out.append("")
    else:
        out += [L("no_levels"), ""]
    if res.next_level is not None:
        out += [f"### {L('blockers')}: {t(res.next_level.level.title)}", ""]
        out += [f"- {t(b.message)}" for b in report.blockers] + [""]
    elif report.rungs:
        out += [L("top_reached"), ""]
    if report.caps:
        out += [f"### {L('caps')}", ""] + [f"- {t(c.message)}" for c in report.caps] + [""]

    # Dimensions
    out += [f"## {L('dimensions')}", "",
            f"{L('status_legend')}: " + "; ".join(f"**{L(s)}**: {L('legend_' + s)}"
                                                   for s in ("official", "derived", "unverified")),
            ""]
    head = [L("dimension"), L("score"), L("points")]
    numeric = [False, True, True]
    if report.earlier is not None:
        head += [L("earlier"), L("change")]
        numeric += [True, True]
    if report.target_title is not None:
        head.append(L("target"))
        numeric.append(True)
    head.append(L("status"))
    numeric.append(False)
    rows = []
    for d in report.top:
        row = [t(d.title) + ("" if d.scored else f" ({L('not_in_total')})"), show(d.score, 1),
               f"{show(d.points, 2)} / {show(d.max_points, 2)}"]
        if report.earlier is not None:
            row += [show(d.earlier, 1), signed(d.change)]
        if report.target_title is not None:
            row.append(show(d.target, 1))
        row.append(L(d.status) if d.status else "—")
        rows.append(row)
    out += _table(head, rows, numeric)
    if report.sub:
        out += [f"### {L('subdimensions')}", ""]
        names = {d.id: d.title for d in report.top}
        rows = [[f"{t(names.get(d.id.split('.')[0]))} / {t(d.title)}", show(d.score, 1),
                 f"{show(d.points, 2)} / {show(d.max_points, 2)}"] for d in report.sub]
        out += _table([L("dimension"), L("score"), L("points")], rows, [False, True, True])

    # Gaps
    out += [f"## {L('gaps')}", ""]
    if report.gaps:
        rows = [[t(g.title), show(g.current, 1), show(g.target, 1),
                 "+" + show(g.impact, 2)] for g in report.gaps]
        out += _table([L("indicator"), L("current_pct"), L("target_pct"), L("impact")], rows,
                      [False, True, True, True])
    else:
        out += [L("no_gaps"), ""]

    # Recommendations
    out += [f"## {L('recommendations')}", ""]
    if not report.recommendations:
        out += [L("no_recommendations"), ""]
    for unit in report.recommendations:
        out += [f"### {L('kind_' + unit.kind)}", ""]
        for k, rec in enumerate(unit.rows, 1):
            gain = (f" ({md(label('gain', lang, value=show(rec.impact, 2)))})"
                    if rec.kind == "points" and rec.impact else "")
            out.append(f"{k}. {t(rec.text)}{gain}")
            if rec.caveat is not None:
                out.append(f"   **{L('caveat')}:** {t(rec.caveat)}")
            where = []
            if rec.title is not None:
                where.append(f"{L('indicator')}: {t(rec.title)}")
            if rec.cite:
                where.append(f"{L('cites')}: {cite(rec.cite)}")
            if where:
                out.append("   " + " · ".join(where))
        out.append("")
    if report.sections:
        out += [f"## {L('extensions')}", ""]
        for section in report.sections:
            out += section_md(section, lang, md, _table)
    if res.extensions:
        out += [f"_{L('technical_hint')}_", ""]
    if res.warnings:
        out += [f"## {L('warnings')}", ""]
        out += [f"- {t(fw.names.get(w.indicator)) + ': ' if w.indicator else ''}{t(w.message)}"
                for w in res.warnings]
        out.append("")

    # Trace
    out += [f"## {L('trace')}", ""]
    for group in report.trace:
        out += [f"### {t(group.title)}", ""]
        for entry in group.rows:
            it = entry.item
            score = f" ({show(it.score)}%)" if it.score is not None else ""
            out.append(f"- **{t(entry.title)}**: "
                       f"{show(it.points)} / {show(it.max_points)}{score}")
            if entry.question is not None:
                out.append(f"  - {L('question')}: {t(entry.question)}")
            if entry.grid is not None:  # the answer as a small table under its line
                g = entry.grid
                out.append(f"  - {L('status')}: {L(it.status)}; {L('answer')}:")
                out += ["", "    | | " + " | ".join(md(c) for c in g.columns) + " |",
                        "    | --- |" + " --- |" * len(g.columns)]
                out += [f"    | {md(row)} | " + " | ".join(md(c) for c in cells) + " |"
                        for row, cells in g.rows]
                out.append("")
            else:
                out.append(f"  - {L('status')}: {L(it.status)}; {L('answer')}: {md(entry.answer)}")
            out.append(f"  - {L('rule')}: {t(entry.rule)}")
            share = f"; {L('share')} {show(it.share)}" if it.share is not None else ""
            out.append(f"  - {L('weight')}: {show(it.weight)}{share}; {L('contribution')}: "
                       f"{show(it.contribution)}")
            out.append(f"  - {L('cites')}: {cite(entry.cite)}")
            if entry.evidence:
                items = "; ".join(f"{md(k)}: {md(v)}" for k, v in entry.evidence)
                out.append(f"  - {L('evidence')}: {items}")
            if entry.note:
                out.append(f"  - {L('note')}: {md(entry.note)}")
        out.append("")

    # Provenance
    p = res.provenance
    out += [f"## {L('provenance')}", ""]
    out += _table([L("provenance"), ""], [
        [L("framework"), md(p.framework)], [L("version"), md(p.version)],
        [L("framework_profile"), md(p.profile) if p.profile else L("default")],
        [L("content_hash"), md(p.content_hash)], [L("smesdk_version"), md(p.smesdk_version)],
        [L("assessed_on"), res.assessed_on.isoformat()]], [False, False])
    return "\n".join(out).rstrip("\n") + "\n"
