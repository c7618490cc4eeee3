"""Where everything sits in a questionnaire workbook, computed from the framework alone.

The writer and the reader both build the same :class:`Layout`, so the reader knows every
cell the form wrote (and compares it), every cell it reads, and that everything else must
be empty: nothing a person types anywhere is silently dropped.
"""

from __future__ import annotations

import re

import attrs

from smesdk.citations import bracketed, cite_text
from smesdk.combined import SUITE_ID
from smesdk.enterprise import CORE_SIZES, FIELD_KINDS, industries, model, size_classes
from smesdk.framework import Framework
from smesdk.questionnaire.labels import label
from smesdk.questionnaire.values import hint
from smesdk.report.content import profile_title
from smesdk.report.labels import keys as report_keys
from smesdk.report.labels import label as report_label
from smesdk.shapes import GridForm
from smesdk.text import Lang, Text

#: Bumped when the layout or the form's own texts change (2: the enterprise type row; 3: the
#: answer guides' ranges and per cent, the profile, industry and type by name, sheet names cut
#: before an open bracket), so an older form is refused by name rather than cell by cell.
FORMAT_ID = "smesdk-questionnaire/3"
META_SHEET = "_smesdk"
LISTS_SHEET = "_lists"

# Columns of a dimension sheet (1-based). The answer sits in D, as in `战略!D12`.
COL_ID, COL_TITLE, COL_QUESTION = 1, 2, 3
COL_ANSWER, COL_NA, COL_REASON = 4, 5, 6
COL_EV_DESCRIPTION, COL_EV_REFERENCE, COL_EV_EXPIRES = 7, 8, 9
COL_HINT, COL_CLAUSE = 10, 11
COLUMNS = {
    COL_ID: "col.id", COL_TITLE: "col.title", COL_QUESTION: "col.question",
    COL_ANSWER: "col.answer", COL_NA: "col.na", COL_REASON: "col.reason",
    COL_EV_DESCRIPTION: "col.ev_description", COL_EV_REFERENCE: "col.ev_reference",
    COL_EV_EXPIRES: "col.ev_expires", COL_HINT: "col.hint", COL_CLAUSE: "col.clause",
}
EVIDENCE_COLUMNS = (COL_EV_DESCRIPTION, COL_EV_REFERENCE, COL_EV_EXPIRES)
HEADER_ROW = 2
FIRST_ROW = 3

# Enterprise fields on the instructions sheet: label in A, value in B, hint in C. The extra
# fields a framework declares follow, keyed "fields.<name>" (FIELD_KEY) in Layout.enterprise.
ENTERPRISE_FIELDS = ("name", "size", "industry", "region", "credit_code", "date", "assessor", "type")
FIELD_KEY = "fields."
ENTERPRISE_FIRST_ROW = 5
COL_FIELD_LABEL, COL_FIELD_VALUE, COL_FIELD_HINT = 1, 2, 3
_FIELD_HINTS = {"size": "ent.size.hint", "industry": "ent.industry.hint", "date": "ent.date.hint",
                "type": "ent.type.hint"}

_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31

Cells = dict[tuple[int, int], str]


@attrs.frozen
class GridCell:
    """Where one cell of a grid question is typed in."""

    row_value: str
    col_value: str
    row: int
    col: int


@attrs.frozen
class QuestionRow:
    iid: str
    row: int
    na_allowed: bool
    #: A grid question's cells, in the rows below its own (rows down, columns across from
    #: the answer column); empty for every other question, answered in the answer column.
    cells: tuple[GridCell, ...] = ()


@attrs.frozen
class SheetLayout:
    """One sheet: the fixed texts the form writes, and the question rows."""

    name: str
    fixed: Cells
    questions: list[QuestionRow] = attrs.field(factory=list)
    sections: list[int] = attrs.field(factory=list)  # rows heading a sub-dimension
    dimension: str | None = None
    #: Ranges the form merges ("A1:C1"); any other merge is reported.
    merged: tuple[str, ...] = ()


@attrs.frozen
class Layout:
    lang: Lang
    instructions: SheetLayout
    enterprise: dict[str, tuple[int, int]]
    dimensions: list[SheetLayout]
    #: The framework's size classes as the form writes them (size_labels).
    sizes: dict[str, Text] = attrs.field(factory=dict)

    @property
    def sheets(self) -> list[SheetLayout]:
        return [self.instructions, *self.dimensions]


def sheet_name(title: str, fallback: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name: no []:*?/\\, no edge apostrophes, at most 31 units."""
    base = _FORBIDDEN.sub("", title).strip().strip("'").strip() or fallback
    candidate, n = _shorten(base, MAX_SHEET_NAME), 1
    while candidate.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = _shorten(base, MAX_SHEET_NAME - len(suffix)) + suffix
    taken.add(candidate.casefold())
    return candidate


def _shorten(text: str, units: int) -> str:
    """``text`` cut to ``units``, without a bracket left open ("Digital operations
    (application" is "Digital operations"): the tab then reads as a name."""
    cut = _cut(text, units)
    if cut != text:
        for opening, closing in (("(", ")"), ("（", "）")):
            at = cut.rfind(opening)
            if at > 0 and closing not in cut[at:]:
                cut = cut[:at].rstrip()
    return cut


def _cut(text: str, units: int) -> str:
    """At most ``units`` UTF-16 code units (Excel's measure), never splitting a character."""
    out, used = "", 0
    for ch in text:
        size = 2 if ord(ch) > 0xFFFF else 1
        if used + size > units:
            break
        out += ch
        used += size
    return out.rstrip()


def size_labels(fw: Framework) -> dict[str, Text]:
    """Each size class of the framework as the form writes it: the core's by their short form
    labels (微型 / micro), a framework's own by their names."""
    return {size: Text(zh=label(f"size.{size}", "zh"), en=label(f"size.{size}", "en"))
            if size in CORE_SIZES else title for size, title in size_classes(fw.spec).items()}


def industry_items(fw: Framework, lang: Lang) -> dict[str, str]:
    """The industry drop-down: each code with its name ("18 – 机械及设备"), to the code."""
    return {f"{code} – {name.get(lang)}": code for code, name in industries(fw.spec).names.items()}


def type_items(lang: Lang) -> dict[str, str]:
    """The enterprise-type drop-down: each type the reports name ("type_zjtx"), by that
    name, to the type as answer files hold it (zjtx)."""
    return {report_label(key, lang): key.removeprefix("type_")
            for key in report_keys() if key.startswith("type_")}


def build_layout(fw: Framework, lang: Lang) -> Layout:
    taken = {META_SHEET.casefold(), LISTS_SHEET.casefold(), "history"}
    instructions, enterprise = _instructions(fw, lang, sheet_name(label("sheet.instructions", lang),
                                                                     "info", taken))
    dims = []
    for top in fw.children[""]:
        dim = fw.dimension(top)
        dims.append(_dimension_sheet(fw, top, sheet_name(dim.title.get(lang), top, taken), lang))
    return Layout(lang, instructions, enterprise, dims, size_labels(fw))


def _instructions(fw: Framework, lang: Lang, name: str) -> tuple[SheetLayout, dict[str, tuple[int, int]]]:
    spec = fw.spec
    src = spec.source
    fixed: Cells = {}
    profile = f" · {label('profile', lang)}: {profile_title(fw).get(lang)}" if fw.profile else ""
    fixed[(1, 1)] = f"{label('title', lang)} — {spec.title.get(lang)}"
    fixed[(2, 1)] = f"{label('framework', lang)}: {fw.id} {fw.version}{profile}"
    number = f" {src.number}" if src.number else ""
    date = f" ({src.date.isoformat()})" if src.date else ""
    role = f" — {src.role.get(lang)}" if src.role is not None else ""
    others = "".join(f"; {d.title.get(lang)}" + (f" — {d.role.get(lang)}" if d.role else "")
                     for d in spec.references if d.role is not None)
    fixed[(3, 1)] = (f"{label('source', lang)}: {src.title.get(lang)}{number}, "
                     f"{src.issuer.get(lang)}{date}{role}{others}")
    fixed[(ENTERPRISE_FIRST_ROW - 1, 1)] = label("ent.header", lang)
    enterprise: dict[str, tuple[int, int]] = {}
    for i, field in enumerate(ENTERPRISE_FIELDS):
        row = ENTERPRISE_FIRST_ROW + i
        fixed[(row, COL_FIELD_LABEL)] = label(f"ent.{field}", lang)
        if field in _FIELD_HINTS:
            fixed[(row, COL_FIELD_HINT)] = label(_FIELD_HINTS[field], lang)
        enterprise[field] = (row, COL_FIELD_VALUE)
    sizes = size_labels(fw)
    if set(sizes) != set(CORE_SIZES):  # the default hint names the core's three
        fixed[(enterprise["size"][0], COL_FIELD_HINT)] = " / ".join(t.get(lang)
                                                                   for t in sizes.values())
    listed = industries(spec)
    if listed.id != "cnca":  # the default's label and hint name its 1–39 categories
        at = enterprise["industry"][0]
        fixed[(at, COL_FIELD_LABEL)] = label("ent.industry", lang).split("（")[0].split(" (")[0]
        codes = list(listed.names)
        fixed[(at, COL_FIELD_HINT)] = f"{listed.title.get(lang)}: {', '.join(codes[:3])} … " \
                                      f"{codes[-1]}"
    for name, extra in model(spec).fields.items():
        row += 1
        fixed[(row, COL_FIELD_LABEL)] = extra.title.get(lang)
        hint = FIELD_KINDS[extra.kind].hint
        unit = label("hint.unit", lang, unit=extra.unit.get(lang)) if extra.unit else None
        shown = "; ".join(h for h in (label(hint, lang) if hint else None, unit) if h)
        if shown:
            fixed[(row, COL_FIELD_HINT)] = shown
        enterprise[FIELD_KEY + name] = (row, COL_FIELD_VALUE)
    row += 2
    fixed[(row, 1)] = label("how.header", lang)
    # A form for several frameworks is read back by assess-all: "assess suite" finds none.
    suite = fw.id == SUITE_ID
    command = "assess-all" if suite else f"assess {fw.id}"
    sheet = label("how.sheet.framework" if suite else "how.sheet.dimension", lang)
    for n in range(1, 9):
        row += 1
        fixed[(row, 1)] = f"{n}. " + label(f"how.{n}", lang, none=label("multi.none", lang),
                                           na=label("na.mark", lang), command=command,
                                           sheet=sheet)
    # A text alone on its row (title, source, headings, how to fill in) spans the three
    # columns, so it wraps at the page's width rather than at column A's.
    alone = sorted(r for (r, c) in fixed if c == COL_FIELD_LABEL
                   and not any((r, other) in fixed or (r, other) in enterprise.values()
                               for other in (COL_FIELD_VALUE, COL_FIELD_HINT)))
    merged = tuple(f"A{r}:C{r}" for r in alone)
    return SheetLayout(name, fixed, merged=merged), enterprise


def _dimension_sheet(fw: Framework, top: str, name: str, lang: Lang) -> SheetLayout:
    dim = fw.dimension(top)
    fixed: Cells = {}
    cite = bracketed(dim.source, lang)
    fixed[(1, 1)] = f"{dim.title.get(lang)}{cite}"
    for col, key in COLUMNS.items():
        fixed[(HEADER_ROW, col)] = label(key, lang)
    questions: list[QuestionRow] = []
    sections: list[int] = []
    row = FIRST_ROW
    for nid in _subtree(fw, top):
        node = fw.nodes[nid]
        if node.dimension is not None:
            fixed[(row, COL_ID)] = nid
            fixed[(row, COL_TITLE)] = node.dimension.title.get(lang)
            if node.dimension.source:
                fixed[(row, COL_CLAUSE)] = cite_text(node.dimension.source, lang)
            sections.append(row)
        else:
            ind = node.indicator
            assert ind is not None
            fixed[(row, COL_ID)] = nid
            fixed[(row, COL_TITLE)] = ind.title.get(lang)
            fixed[(row, COL_QUESTION)] = ind.question.get(lang)
            fixed[(row, COL_HINT)] = hint(ind, fw.kinds[nid], lang)
            fixed[(row, COL_CLAUSE)] = cite_text(ind.source, lang)
            form = fw.kinds[nid].grid(ind)
            cells: tuple[GridCell, ...] = ()
            question_row = row
            if form is not None:
                cells, row = _grid(form, row, fixed, lang)
            questions.append(QuestionRow(nid, question_row, ind.na_allowed, cells))
        row += 1
    return SheetLayout(name, fixed, questions, sections, top)


def _grid(form: GridForm, row: int, fixed: Cells, lang: Lang) -> tuple[tuple[GridCell, ...], int]:
    """A grid below its question row: column names across, then a row per grid row with its
    name in the question column; returns its cells and the last sheet row it takes."""
    row += 1
    for j, col in enumerate(form.columns):
        fixed[(row, COL_ANSWER + j)] = col.label.get(lang)
    cells = []
    for r in form.rows:
        row += 1
        fixed[(row, COL_QUESTION)] = r.label.get(lang)
        cells += [GridCell(str(r.value), str(c.value), row, COL_ANSWER + j)
                  for j, c in enumerate(form.columns)]
    return tuple(cells), row


def _subtree(fw: Framework, top: str) -> list[str]:
    """The nodes under ``top`` in document order: a sub-dimension heads its own rows."""
    out: list[str] = []
    # Framework.children lists sub-dimensions and indicators in walk order; indicators of a
    # dimension come after its sub-dimensions, as in the spec document.
    for child in fw.children[top]:
        out.append(child)
        if fw.nodes[child].dimension is not None:
            out += _subtree(fw, child)
    return out
