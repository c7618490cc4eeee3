"""Plain-text renderings of frameworks and results for the terminal (80 columns)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from smesdk.catalogs import Labels
from smesdk.citations import bracketed, cite_text
from smesdk.convert import unstructure
from smesdk.framework import Framework
from smesdk.levels import ladder_span
from smesdk.numbers import fmt
from smesdk.report.charts import columns
from smesdk.report.content import advice, enterprise_rows, profile_title
from smesdk.report.labels import label as report_label
from smesdk.report.section_text import section_lines
from smesdk.report.sections import collect
from smesdk.result import DimensionResult, Result
from smesdk.spec import FrameworkSpec
from smesdk.text import Lang, Text
from smesdk.tree import indicators

label = Labels("terminal")


#: The plain text's width, and the most its column of dimension names takes of it.
WIDTH = 80
NAME_COLS = 32


def pad(text: str, cols: int) -> str:
    """``text`` in exactly ``cols`` display columns: padded, or cut with an ellipsis."""
    if columns(text) > cols:
        kept, used = "", 0
        for ch in text:
            used += columns(ch)
            if used > cols - 1:  # room for the ellipsis
                break
            kept += ch
        text = kept.rstrip() + "…"
    return text + " " * (cols - columns(text))


def bar(score: Decimal | None, cols: int = 20) -> str:
    if score is None:
        return "·" * cols
    filled = int(score * cols / 100)
    return "█" * filled + "░" * (cols - filled)


def framework_summary(fid: str, plugin: str, spec: FrameworkSpec) -> dict[str, Any]:
    """One row of ``smesdk frameworks --json``."""
    return {
        "id": fid,
        "version": spec.version,
        "title": {"zh": spec.title.zh, "en": spec.title.en},
        "plugin": plugin,
        "indicators": sum(1 for _ in indicators(spec)),
        "profiles": [p.id for p in spec.profiles],
        "source": {"id": spec.source.id, "title": {"zh": spec.source.title.zh,
                                                   "en": spec.source.title.en},
                   "number": spec.source.number,
                   "date": spec.source.date.isoformat() if spec.source.date else None},
    }


def framework_document(fw: Framework) -> dict[str, Any]:
    """``smesdk show --json``: the resolved framework (profile applied) with its identity."""
    return {"id": fw.id, "version": fw.version, "profile": fw.profile,
            "profiles": fw.profiles, "plugin": fw.plugin, "content_hash": fw.content_hash,
            "origins": fw.origins, "framework": unstructure(fw.spec)}


def show_tree(fw: Framework, lang: Lang) -> str:
    spec = fw.spec
    prof = f" [{label('profile', lang)}: {fw.profile}]" if fw.profile else ""
    lines = [f"{spec.id} {spec.version}{prof} — {spec.title.get(lang)}",
             f"{spec.source.title.get(lang)} {spec.source.number or ''}".rstrip(), ""]
    for nid, node in fw.nodes.items():
        depth = nid.count(".")
        indent = "  " * depth
        if node.dimension is not None:
            d = node.dimension
            cite = bracketed(d.source, lang)
            lines.append(f"{indent}{nid}  {d.title.get(lang)}  "
                         f"(w {fmt(d.weight)}, {d.aggregation}){cite}")
        else:
            ind = node.indicator
            assert ind is not None
            lines.append(f"{indent}{nid}  {ind.title.get(lang)}  "
                         f"[{cite_text(ind.source, lang)}] {ind.kind}, {ind.status}")
    if spec.levels:
        lines += ["", label("level", lang) + ":"]
        for lv in spec.levels:
            gate = " + gate" if lv.gate else ""
            lines.append(f"  {lv.id} {lv.title.get(lang)}: {ladder_span(lv)}{gate} ({lv.status})")
    return "\n".join(lines)


def result_text(fw: Framework, result: Result, lang: Lang, *, max_recs: int = 4) -> str:
    """A compact report: profile, total, level, dimensions, blockers, advice, warnings."""
    lines = result_head(fw, result, lang)
    lines += ["", label("dims", lang) + ":"]
    dims = top_dimensions(result)
    # As wide as the longest name, up to NAME_COLS: the rest of a line takes 48 columns.
    cols = min(max((columns(d.title.get(lang)) for d in dims), default=0), NAME_COLS)
    for dim in dims:
        score = fmt(dim.score, 1) if dim.score is not None else "—"
        flag = "" if dim.scored else " *"
        lines.append(f"  {pad(dim.title.get(lang), cols)} {bar(dim.score)} {score:>6}"
                     f"  ({fmt(dim.points, 2)}/{fmt(dim.max_points, 2)}){flag}")
    return "\n".join(lines + result_tail(fw, result, lang, max_recs=max_recs))


def top_dimensions(result: Result) -> list[DimensionResult]:
    return [dim for dim in result.dimensions if dim.id.count(".") == 0]


def level_title(result: Result, lang: Lang) -> str:
    return result.level.title.get(lang) if result.level else label("none", lang)


def result_head(fw: Framework, result: Result, lang: Lang) -> list[str]:
    """Who, against what, when; then the total and the level."""
    rows = dict(enterprise_rows(result, fw))
    about = ", ".join(_shown(rows[k], lang) for k in ("size", "industry", "type") if k in rows)
    prof = f" [{label('profile', lang)}: {profile_title(fw).get(lang)}]" if fw.profile else ""
    return [
        f"{label('enterprise', lang)}: {result.enterprise.name} ({about})",
        f"{label('framework', lang)}: {fw.spec.title.get(lang)} {fw.version}{prof}",
        f"{label('assessed', lang)}: {result.assessed_on.isoformat()}",
        "",
        f"{label('total', lang)}: {fmt(result.total, 2)} / 100    {label('level', lang)}: "
        f"{level_title(result, lang)}" + (f" ({result.level.status})" if result.level else ""),
    ]


def _shown(value: Text | str, lang: Lang) -> str:
    return value if isinstance(value, str) else value.get(lang)


def result_tail(fw: Framework, result: Result, lang: Lang, *, max_recs: int = 4,
                width: int = WIDTH) -> list[str]:
    """Red lines, blockers, advice (``max_recs`` of each kind), plugin sections (their
    tables within ``width`` columns), warnings."""
    lines: list[str] = []
    if result.caps:
        lines += ["", label("caps", lang) + ":"]
        lines += [f"  ! {c.message.get(lang)}" for c in result.caps]
    if result.next_level is not None:
        lines += ["", f"{label('next', lang)} {result.next_level.level.title.get(lang)}, "
                      f"{label('blocked', lang)}:"]
        lines += [f"  - {b.message.get(lang)}" for b in result.next_level.blockers]
    units = advice(result)
    if units:
        lines += ["", label("recs", lang) + ":"]
        hidden = 0
        for kind, recs in units:
            lines.append(f"  {report_label('kind_' + kind, lang)}:")
            for rec in recs[:max_recs]:
                name = fw.names.get(rec.indicator or "") if kind == "points" else None  # others
                target = f"{name.get(lang)}: " if name is not None else ""  # name it in the text
                gain = (f" ({report_label('gain', lang, value=fmt(rec.impact, 2))})"
                        if kind == "points" and rec.impact else "")
                cite = bracketed(rec.source, lang)
                lines.append(f"  - {target}{rec.text.get(lang)}{cite}{gain}")
                if rec.caveat is not None:
                    lines.append(f"    ! {report_label('caveat', lang)}: {rec.caveat.get(lang)}")
            hidden += max(len(recs) - max_recs, 0)
        if hidden:
            lines.append(f"  … {hidden} {label('more', lang)} (--json)")
    sections = collect(fw, result)
    if sections:
        lines += ["", label("extra", lang) + ":"]
        for section in sections:
            lines += ["  " + line for line in section_lines(section, lang, width - 2)]
    if result.extensions:
        lines += ["", f"({label('technical', lang)})"]
    if result.warnings:
        lines += ["", label("warnings", lang) + ":"]
        for w in result.warnings[:10]:
            where = f"{fw.names[w.indicator].get(lang)}: " if w.indicator in fw.names else ""
            lines.append(f"  * {where}{w.message.get(lang)}")
        if len(result.warnings) > 10:
            lines.append(f"  … {len(result.warnings) - 10} more")
    return lines
