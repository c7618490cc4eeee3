"""Writing a questionnaire workbook an enterprise can fill in without a developer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from smesdk.answer_checks import consistency_problems
from smesdk.answers import AnswerSet
from smesdk.convert import unstructure
from smesdk.enterprise import industries
from smesdk.errors import Problem, SmesdkError
from smesdk.framework import Framework
from smesdk.kinds import AnswerKind
from smesdk.languages import locale
from smesdk.questionnaire.cells import put_text
from smesdk.questionnaire.labels import label
from smesdk.questionnaire.layout import (
    COL_ANSWER,
    COL_EV_EXPIRES,
    COL_ID,
    COL_NA,
    COL_REASON,
    EVIDENCE_COLUMNS,
    FIELD_KEY,
    FIRST_ROW,
    FORMAT_ID,
    HEADER_ROW,
    LISTS_SHEET,
    META_SHEET,
    Layout,
    SheetLayout,
    build_layout,
    industry_items,
    type_items,
)
from smesdk.questionnaire.values import (
    DATE_FORMAT,
    TEXT_FORMAT,
    dropdown,
    grid_label,
    number_format,
    number_range,
    range_text,
    to_cell,
)
from smesdk.report.charts import columns, fit_label
from smesdk.shapes import Shape
from smesdk.text import Lang

_INPUT = PatternFill("solid", fgColor="FFFFFF")
_LOCKED = PatternFill("solid", fgColor="F2F2F2")
_SECTION = PatternFill("solid", fgColor="DDEBF7")
_HEADER = PatternFill("solid", fgColor="BDD7EE")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
# A font without a name renders in LibreOffice's default, a serif: name the workbook's own.
_FONT = "Calibri"
_BOLD = Font(name=_FONT, bold=True)
_ID = Font(name=_FONT, color="808080", size=9)  # ids: for cross-reference, not for reading
_UNLOCKED = Protection(locked=False)
# Narrow enough (194 units) that a landscape A4 page prints the whole row at about 70 %.
_WIDTHS = {1: 12, 2: 18, 3: 40, 4: 22, 5: 7, 6: 14, 7: 16, 8: 14, 9: 11, 10: 28, 11: 12}


def meta_fields(fw: Framework, lang: Lang) -> dict[str, str]:
    return {"format": FORMAT_ID, "framework": fw.id, "version": fw.version,
            "profile": fw.profile or "", "content_hash": fw.content_hash, "lang": lang}


def write_questionnaire(framework: Framework, path: str | Path, *, lang: Lang | None = None,
                        answers: AnswerSet | None = None) -> None:
    """Write a questionnaire for a resolved framework (profile applied) to ``path`` (.xlsx),
    in ``lang``: any language the framework declares (default: its first).

    ``answers`` optionally pre-fills the form (e.g. last year's answers, to be updated).
    Sheets are protected without a password: only answer cells are editable.
    """
    lang = locale(framework.spec, lang)
    layout = build_layout(framework, lang)
    wb = Workbook()
    lists = _Lists(wb)
    first = True
    for sheet in layout.sheets:
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        first = False
        ws.title = sheet.name
        _write_fixed(ws, sheet)
        _print_setup(ws, sheet)
        if sheet.dimension is None:
            _enterprise_inputs(ws, framework, layout, lists)
        else:
            _question_inputs(ws, sheet, framework, lang, lists)
        ws.protection.sheet = True  # no password: protection guards against slips, not people
    meta = wb.create_sheet(META_SHEET)
    for row, (key, value) in enumerate(meta_fields(framework, lang).items(), start=1):
        meta.cell(row, 1, key)
        put_text(meta.cell(row, 2), value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    lists.sheet.sheet_state = "veryHidden"
    lists.sheet.protection.sheet = True
    if answers is not None:
        fill_answers(wb, layout, framework, answers)
    for sheet in layout.sheets:
        fit_row_heights(wb[sheet.name])
    try:
        wb.save(path)
    except OSError as exc:
        raise SmesdkError([Problem("", f"cannot write: {exc.strerror}", str(path))]) from None


def _write_fixed(ws: Worksheet, sheet: SheetLayout) -> None:
    for (row, col), value in sheet.fixed.items():
        cell = ws.cell(row, col)
        put_text(cell, value)
        cell.alignment = _WRAP
    for span in sheet.merged:
        ws.merge_cells(span)
    ws.cell(1, 1).font = Font(name=_FONT, bold=True, size=13)
    if sheet.dimension is None:
        ws.column_dimensions["A"].width = 26
        ws.column_dimensions["B"].width = 40
        ws.column_dimensions["C"].width = 44
        return
    for col, width in _WIDTHS.items():
        ws.column_dimensions[get_column_letter(col)].width = width
        header = ws.cell(HEADER_ROW, col)
        header.font = _BOLD
        header.fill = _HEADER
    ws.cell(1, 1).alignment = _TOP
    for row in sheet.sections:
        for col in _WIDTHS:
            ws.cell(row, col).fill = _SECTION
        ws.cell(row, COL_ID).font = _ID
        ws.cell(row, 2).font = _BOLD
        ws.cell(row, 2).alignment = _TOP
    for q in sheet.questions:
        ws.cell(q.row, COL_ID).font = _ID
        for col in _WIDTHS:
            ws.cell(q.row, col).fill = _LOCKED
    ws.freeze_panes = f"{get_column_letter(COL_ANSWER)}{FIRST_ROW}"


#: Points a line of text takes per point of its font: Calibri 11 lines are 15 points apart,
#: and the CJK fonts spreadsheet programs fall back to for Chinese need more.
_LINE_SPACING = 15 / 11
_CJK_LINE_SPACING = 17 / 11
_CHARS_PER_UNIT = 1.15
#: The tallest row a spreadsheet program allows (Excel: 409 points); longer text scrolls.
_MAX_ROW_HEIGHT = 409.0


def fit_row_heights(ws: Worksheet) -> None:
    """Give each row the height its tallest cell needs (wrapped text, a larger font).

    A row written without a height stays one line high in LibreOffice (and in Excel until a
    cell is edited), so wrapped questions overran the rows below them. The lines are counted
    as the charts' line breaker counts them (by words, Chinese characters two columns wide;
    each line break in the text starts a line), at the column's width in characters scaled
    by the cell's font size: an estimate that errs towards a line too many rather than a
    line short."""
    heights: dict[int, float] = {}
    spans = _merged_widths(ws)
    for cells in ws.iter_rows():
        for cell in cells:
            if cell.value is None:
                continue
            text = str(cell.value)
            size = float(cell.font.sz or 11) if cell.font else 11.0
            lines = 1  # a cell that does not wrap still needs its font's height (a title)
            if cell.alignment and cell.alignment.wrap_text:
                width = spans.get(cell.coordinate) or _width(ws, cell.column)
                # A width unit is a digit of the 11-point font; prose runs about 1.15
                # characters to it (Chinese two units a character, as columns() counts).
                cols = max(int((width - 1) * _CHARS_PER_UNIT * 11 / size), 1)
                lines = sum(len(fit_label(part, cols, 10**6)[0]) for part in text.split("\n"))
            spacing = _CJK_LINE_SPACING if columns(text) > len(text) else _LINE_SPACING
            need = lines * size * spacing
            if need > heights.get(cell.row, 15.0):
                heights[cell.row] = need
    for number, height in heights.items():
        ws.row_dimensions[number].height = round(min(height, _MAX_ROW_HEIGHT), 1)


def _width(ws: Worksheet, col: int) -> float:
    return float(ws.column_dimensions[get_column_letter(col)].width or 13)


def _merged_widths(ws: Worksheet) -> dict[str, float]:
    """The width a one-row merged range gives the text of its first cell (the sum of its
    columns'), by that cell's address."""
    return {f"{get_column_letter(m.min_col)}{m.min_row}":
            sum(_width(ws, c) for c in range(m.min_col, m.max_col + 1))
            for m in ws.merged_cells.ranges if m.min_row == m.max_row}


def _print_setup(ws: Worksheet, sheet: SheetLayout) -> None:
    """On paper: A4, one page wide (questions landscape), the column headings on every page,
    so each answer cell prints beside its question; sheet name and page numbers in the margins."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait" if sheet.dimension is None else "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0          # as many pages down as the questions need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.35, right=0.35, top=0.55, bottom=0.55, header=0.25,
                                  footer=0.25)
    ws.print_options.gridLines = True
    header, footer = ws.oddHeader, ws.oddFooter
    assert header is not None and footer is not None  # openpyxl makes both with the sheet
    header.left.text = sheet.name.replace("&", "&&")  # "&" starts a field code in headers
    footer.right.text = "&P / &N"
    if sheet.dimension is not None:
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _unlock(ws: Worksheet, row: int, col: int, fmt: str = TEXT_FORMAT) -> None:
    cell = ws.cell(row, col)
    cell.protection = _UNLOCKED
    cell.fill = _INPUT
    cell.number_format = fmt
    cell.alignment = _WRAP


class _Lists:
    """The hidden sheet holding drop-down lists (inline list formulas stop at 255 characters)."""

    def __init__(self, wb: Workbook) -> None:
        self.sheet = wb.create_sheet(LISTS_SHEET)
        self.columns: dict[tuple[str, ...], str] = {}

    def validation(self, items: list[str], lang: Lang) -> DataValidation:
        key = tuple(items)
        if key not in self.columns:
            col = len(self.columns) + 1
            for row, item in enumerate(items, start=1):
                put_text(self.sheet.cell(row, col), item)
            letter = get_column_letter(col)
            self.columns[key] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${len(items)}"
        return DataValidation(type="list", formula1=self.columns[key], allow_blank=True,
                              showErrorMessage=True, errorTitle=label("validation.title", lang),
                              error=label("validation.list", lang))


def _enterprise_inputs(ws: Worksheet, fw: Framework, layout: Layout, lists: _Lists) -> None:
    lang = layout.lang
    for field, (row, col) in layout.enterprise.items():
        _unlock(ws, row, col, DATE_FORMAT if field == "date" else TEXT_FORMAT)
        ws.cell(row, 1).font = _BOLD
    sizes = [t.get(lang) for t in layout.sizes.values()]
    dv = lists.validation(sizes, lang)
    ws.add_data_validation(dv)
    dv.add(ws.cell(*layout.enterprise["size"]))
    # Suggestions: a bare code ("18", "zjtx") or a type of the firm's own is read as well.
    for field, items in (("industry", industry_items(fw, lang)), ("type", type_items(lang))):
        named = lists.validation(list(items), lang)
        named.showErrorMessage = False
        ws.add_data_validation(named)
        named.add(ws.cell(*layout.enterprise[field]))
    dates = _date_validation(lang)
    ws.add_data_validation(dates)
    dates.add(ws.cell(*layout.enterprise["date"]))


def _date_validation(lang: Lang) -> DataValidation:
    return DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                          showErrorMessage=True, errorTitle=label("validation.title", lang),
                          error=label("validation.date", lang))


def _question_inputs(ws: Worksheet, sheet: SheetLayout, fw: Framework, lang: Lang, lists: _Lists) -> None:
    na_list = lists.validation([label("na.mark", lang)], lang)
    dates = _date_validation(lang)
    ws.add_data_validation(na_list)
    ws.add_data_validation(dates)
    by_list: dict[tuple[str, ...], DataValidation] = {}  # one validation per list per sheet
    for q in sheet.questions:
        ind, kind = fw.indicator(q.iid), fw.kinds[q.iid]
        form = kind.grid(ind)
        if form is None:
            _unlock(ws, q.row, COL_ANSWER, number_format(kind))
        for col in EVIDENCE_COLUMNS:
            _unlock(ws, q.row, col, DATE_FORMAT if col == COL_EV_EXPIRES else TEXT_FORMAT)
        dates.add(ws.cell(q.row, COL_EV_EXPIRES))
        if q.na_allowed:
            _unlock(ws, q.row, COL_NA)
            _unlock(ws, q.row, COL_REASON)
            na_list.add(ws.cell(q.row, COL_NA))
        if form is not None:  # a drop-down in every cell of the grid
            cells = _list_validation(ws, lists, by_list, [grid_label(form, c.value, lang)
                                                          for c in form.cells], lang)
            for cell in q.cells:
                _unlock(ws, cell.row, cell.col)
                cells.add(ws.cell(cell.row, cell.col))
                ws.cell(q.row + 1, cell.col).font = _BOLD  # the column names
            continue
        items = dropdown(ind, kind, lang)
        if items is not None:
            _list_validation(ws, lists, by_list, items, lang).add(ws.cell(q.row, COL_ANSWER))
        elif kind.shape is Shape.BANDS:
            _number_validation(ws, q.row, ind, kind, lang)
        elif kind.shape is Shape.DATE:
            dates.add(ws.cell(q.row, COL_ANSWER))


def _list_validation(ws: Worksheet, lists: _Lists, by_list: dict[tuple[str, ...], DataValidation],
                     items: list[str], lang: Lang) -> DataValidation:
    dv = by_list.get(tuple(items))
    if dv is None:
        dv = by_list[tuple(items)] = lists.validation(items, lang)
        ws.add_data_validation(dv)
    return dv


def _number_validation(ws: Worksheet, row: int, ind: Any, kind: AnswerKind, lang: Lang) -> None:
    lo, hi = number_range(ind, kind)
    bounds = range_text(ind, kind, lang)
    if bounds is None:
        return
    common: dict[str, Any] = {"type": "decimal", "allow_blank": True, "showErrorMessage": True,
                              "errorTitle": label("validation.title", lang),
                              "error": label("validation.number", lang, range=bounds)}
    if lo is not None and hi is not None:
        dv = DataValidation(operator="between", formula1=lo, formula2=hi, **common)
    elif lo is not None:
        dv = DataValidation(operator="greaterThanOrEqual", formula1=lo, **common)
    else:
        dv = DataValidation(operator="lessThanOrEqual", formula1=hi, **common)
    ws.add_data_validation(dv)
    dv.add(ws.cell(row, COL_ANSWER))


def fill_answers(wb: Workbook, layout: Layout, fw: Framework, answers: AnswerSet) -> None:
    """Put an answer set's enterprise and answers into a form's input cells."""
    lang = layout.lang
    ws = wb[layout.instructions.name]
    ent = answers.enterprise
    size = layout.sizes.get(ent.size)
    industry = {code: item for item, code in industry_items(fw, lang).items()}
    listed = industries(fw.spec).code(ent.industry) if ent.industry else None
    types = {code: item for item, code in type_items(lang).items()}
    values: dict[str, Any] = {"name": ent.name,
                              "size": size.get(lang) if size is not None else ent.size,
                              "industry": industry[listed] if listed else ent.industry,
                              "region": ent.region,
                              "credit_code": ent.credit_code, "date": answers.date,
                              "assessor": answers.assessor, "type": types.get(ent.type or "", ent.type)}
    values.update({FIELD_KEY + name: value for name, value in ent.fields.items()})
    for field, value in values.items():
        if value is not None and field in layout.enterprise:
            _put(ws.cell(*layout.enterprise[field]), value)
    for sheet in layout.dimensions:
        ws = wb[sheet.name]
        for q in sheet.questions:
            ind = fw.indicator(q.iid)
            ans = answers.answers.get(q.iid)
            if ans is None and ind.fact is not None:
                ans = answers.facts.get(ind.fact)
            if ans is None:
                continue
            if ans.na:
                _put(ws.cell(q.row, COL_NA), label("na.mark", lang))
                if ans.reason:
                    _put(ws.cell(q.row, COL_REASON), ans.reason)
            elif q.cells:
                kind = fw.kinds[q.iid]
                form = kind.grid(ind)
                assert form is not None  # the layout gave it cells
                value = kind.parse(ind, ans.value)
                for cell in q.cells:
                    shown = grid_label(form, value[cell.row_value][cell.col_value], lang)
                    _put(ws.cell(cell.row, cell.col), shown)
            else:
                _put(ws.cell(q.row, COL_ANSWER), to_cell(ind, fw.kinds[q.iid], ans.value, lang))
            ev = ans.evidence
            if ev is not None:
                for col, value in zip(EVIDENCE_COLUMNS, (ev.description, ev.reference, ev.expires),
                                      strict=True):
                    if value is not None:
                        _put(ws.cell(q.row, col), value)


def prefill_problems(fw: Framework, answers: AnswerSet) -> list[Problem]:
    """Every reason ``answers`` cannot pre-fill a form of ``fw`` (a prefill may leave required
    questions open, so only missing answers are allowed)."""
    problems = [p for p in fw.validate_answers(answers)
                if not p.message.startswith("required answer missing")]
    problems += consistency_problems(fw, answers)
    problems += [Problem(path, "holds a control character, which a workbook cannot store")
                 for path, value in _texts(unstructure(answers), "")
                 if ILLEGAL_CHARACTERS_RE.search(value)]
    return problems


def left_out(fw: Framework, answers: AnswerSet) -> list[str]:
    """What of ``answers`` a form has no cell for, by path: evidence issuer, date and owner
    (answer files carry them) and the set's notes. Pre-filling leaves them out."""
    read = {fw.indicator(iid).fact for iid in fw.indicator_ids}
    given = [*((f"answers.{k}", a) for k, a in answers.answers.items()),
             *((f"facts.{k}", a) for k, a in answers.facts.items() if k in read)]
    paths = [f"{path}.evidence.{field}" for path, ans in given if ans.evidence is not None
             for field in ("issuer", "date", "owner") if getattr(ans.evidence, field) is not None]
    return paths + (["notes"] if answers.notes else [])


def _texts(data: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _texts(value, f"{path}[{i}]")


def _put(cell: Any, value: Any) -> None:
    if isinstance(value, str):
        put_text(cell, value)
    else:
        cell.value = value
