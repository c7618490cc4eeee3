"""Plain-text renderings of frameworks and results for the terminal (80 columns)."""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from smesdk.catalogs import Labels
from smesdk.citations import bracketed, cite_text
from smesdk.convert import unstructure
from smesdk.framework import Framework
from smesdk.levels import ladder_span
from smesdk.numbers import fmt
from smesdk.report.charts import HANG_COLS, columns, fit_label
from smesdk.report.content import advice, enterprise_rows, profile_title
from smesdk.report.labels import label as report_label
from smesdk.report.section_text import section_lines
from smesdk.report.sections import collect
from smesdk.result import DimensionResult, Result
from smesdk.spec import FrameworkSpec, SourceDocument
from smesdk.text import Lang, Text
from smesdk.tree import indicators

label = Labels("terminal")
docs_label = Labels("docs")


#: The plain text's width, and the most its column of dimension names takes of it.
WIDTH = 80
NAME_COLS = 32
#: A dimension's row besides its name and bar (score, points, star), and the least its
#: name gets.
ROW_COLS = 28
MIN_NAME_COLS = 8
#: A dimension's bar: BAR_COLS wide, half that under BAR_NARROW columns so names keep room.
BAR_COLS = 20
BAR_NARROW = 72


def bar_cols(width: int) -> int:
    return BAR_COLS if width >= BAR_NARROW else BAR_COLS // 2


#: The narrowest width prose is wrapped to, whatever the terminal says.
MIN_WIDTH = 20
#: Less room than this after a line's lead, and its text starts on the next line.
MIN_ROOM = 8
#: What leads a line and is not part of its text: indentation, then a bullet or a number.
_LEAD = re.compile(r"( *)([-*!•…] |\d+\. )?")
#: How much deeper than its line a continuation without a bullet to hang under starts.
HANG = 2


def screen_width() -> int:
    """The width to print in: the terminal's (``COLUMNS`` when set), at most WIDTH, as the
    rich result is; WIDTH when the output is a file or a pipe."""
    if not sys.stdout.isatty() and "COLUMNS" not in os.environ:
        return WIDTH
    return max(min(shutil.get_terminal_size((WIDTH, 24)).columns, WIDTH), MIN_WIDTH)


def wrap(line: str, width: int, lead: int | None = None, hang: int | None = None) -> list[str]:
    """``line`` within ``width`` display columns, broken where ``fit_label`` breaks (between
    words, between Chinese characters, closing punctuation never first).

    The first ``lead`` characters are kept as written (by default the leading spaces and a
    bullet: "- ", "* ", "! ", "12. "); the lines after, and a line break in the text, are
    indented by ``hang`` columns, at most half the width: by default under the text after a
    bullet, else HANG deeper than the line."""
    first, *breaks = line.split("\n")
    found = _LEAD.match(first)
    assert found is not None  # the pattern matches any line
    if hang is None:
        hang = found.end() if found.group(2) else len(found.group(1)) + HANG
    hang = min(hang, width // 2)
    out = _fold(first, width, found.end() if lead is None else lead, hang)
    for part in breaks:
        out += _fold(" " * hang + part.strip(), width, hang, hang)
    return out


def _fold(line: str, width: int, lead: int, hang: int) -> list[str]:
    """One line (no line break in it) folded as :func:`wrap` says."""
    if columns(line) <= width:
        return [line]
    prefix, rest = line[:lead], " ".join(line[lead:].split())
    # Lines shorter by HANG_COLS: fit_label lets closing punctuation hang that far past them.
    room = width - columns(prefix) - HANG_COLS
    head = fit_label(rest, room, 1 << 30)[0][0] if room >= MIN_ROOM else ""
    more = rest[len(head):].lstrip()  # fit_label's lines are runs of its (spaced) input
    out = [(prefix + head).rstrip()]
    if more:
        out += [" " * hang + part
                for part in fit_label(more, max(width - hang - HANG_COLS, 2), 1 << 30)[0]]
    return out


def wrapped(lines: Iterable[str], width: int) -> list[str]:
    """Every line within ``width`` columns (see :func:`wrap`)."""
    return [part for line in lines for part in wrap(line, width)]


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


def bar(score: Decimal | None, cols: int = BAR_COLS) -> str:
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


def show_tree(fw: Framework, lang: Lang, width: int = WIDTH) -> str:
    """The framework's tree, each node under its parent, within ``width`` columns: a long
    line goes on under the node's title."""
    spec = fw.spec
    prof = f" [{label('profile', lang)}: {profile_title(fw).get(lang)}]" if fw.profile else ""
    lines = [*wrap(f"{spec.id} {spec.version}{prof} — {spec.title.get(lang)}", width),
             *_documents(spec, lang, width), ""]
    weight = docs_label("weight", lang)
    for nid, node in fw.nodes.items():
        indent = "  " * nid.count(".")
        if node.dimension is not None:
            d = node.dimension
            line = (f"{indent}{nid}  {d.title.get(lang)}  ({weight} {fmt(d.weight)}, "
                    f"{d.aggregation}){bracketed(d.source, lang)}")
        else:
            ind = node.indicator
            assert ind is not None
            line = (f"{indent}{nid}  {ind.title.get(lang)}  [{cite_text(ind.source, lang)}] "
                    f"{ind.kind}, {report_label(ind.status, lang)}")
        # The id stays whole; the text goes on under it, deeper than a child's id.
        lines += wrap(line, width, lead=len(indent) + len(nid) + 2, hang=len(indent) + 4)
    if spec.levels:
        lines += ["", label("level", lang) + ":"]
        gate = f" + {docs_label('gate', lang)}"
        lines += wrapped([f"  {lv.id} {lv.title.get(lang)}: {ladder_span(lv)}"
                          f"{gate if lv.gate else ''} ({report_label(lv.status, lang)})"
                          for lv in spec.levels], width)
    return "\n".join(lines)


def _documents(spec: FrameworkSpec, lang: Lang, width: int) -> list[str]:
    """The documents the framework cites, each led by the id its citations give it."""
    def lines(doc: SourceDocument) -> list[str]:
        lead = f"  [{doc.id}] "
        return wrap(f"{lead}{doc.title.get(lang)} {doc.number or ''}".rstrip(), width, len(lead))

    out = [docs_label("source", lang) + ":", *lines(spec.source)]
    if spec.references:
        out.append(docs_label("references", lang) + ":")
        out += [line for doc in spec.references for line in lines(doc)]
    return out


def result_text(fw: Framework, result: Result, lang: Lang, *, max_recs: int = 4,
                width: int = WIDTH) -> str:
    """A compact report: profile, total, level, dimensions, blockers, advice, warnings;
    prose wrapped within ``width`` columns."""
    lines = wrapped(result_head(fw, result, lang), width)
    lines += ["", label("dims", lang) + ":"]
    dims = top_dimensions(result)
    # As wide as the longest name, up to NAME_COLS and what the bar and the rest of a line
    # (ROW_COLS) leave of the width.
    bars = bar_cols(width)
    cols = min(max((columns(d.title.get(lang)) for d in dims), default=0), NAME_COLS,
               max(width - bars - ROW_COLS, MIN_NAME_COLS))
    for dim in dims:
        score = fmt(dim.score, 1) if dim.score is not None else "—"
        flag = "" if dim.scored else " *"
        lines.append(f"  {pad(dim.title.get(lang), cols)} {bar(dim.score, bars)} {score:>6}"
                     f"  ({fmt(dim.points, 2)}/{fmt(dim.max_points, 2)}){flag}")
    lines += unscored_legend(dims, lang)
    return "\n".join(lines + wrapped(result_tail(fw, result, lang, max_recs=max_recs,
                                                 width=width), width))


def unscored_legend(dims: list[DimensionResult], lang: Lang) -> list[str]:
    """What the star after a dimension's points means, when one has it."""
    return [f"  * {report_label('unscored', lang)}"] if any(not d.scored for d in dims) else []


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
        f"{level_title(result, lang)}" + (f" ({report_label(result.level.status, lang)})"
                                            if result.level else ""),
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
