"""Reading a filled-in questionnaire back into an answer set, reporting every problem by cell."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from smesdk.answers import Answer, AnswerSet, Enterprise, Evidence
from smesdk.convert import MAX_INPUT_BYTES
from smesdk.enterprise import CORE_SIZES
from smesdk.errors import AnswerError, Problem, SmesdkError, short_error
from smesdk.files import read_limited
from smesdk.framework import Framework
from smesdk.languages import locale
from smesdk.questionnaire.cells import formula_text, is_error_value, is_formula, shown
from smesdk.questionnaire.labels import all_langs, label, text
from smesdk.questionnaire.layout import (
    COL_ANSWER,
    COL_EV_DESCRIPTION,
    COL_EV_EXPIRES,
    COL_ID,
    COL_NA,
    COL_REASON,
    COL_TITLE,
    ENTERPRISE_FIELDS,
    EVIDENCE_COLUMNS,
    FIELD_KEY,
    FIRST_ROW,
    FORMAT_ID,
    LISTS_SHEET,
    META_SHEET,
    Layout,
    QuestionRow,
    SheetLayout,
    build_layout,
    industry_items,
    type_items,
)
from smesdk.questionnaire.values import CellValueError, from_cell, loose, read_date, read_grid_cell
from smesdk.report.charts import fit_label
from smesdk.text import TAG, Lang, Text

#: Uncompressed size limit of a workbook's parts (a filled form is well under 1 MB).
MAX_UNPACKED_BYTES = 16 * 1024 * 1024
#: Cells a workbook may hold (the largest shipped form has a few thousand).
MAX_CELLS = 50_000
#: Problems listed one by one; the rest are counted.
MAX_LISTED = 100
_CHUNK = 1 << 20

Progress = Callable[[int], None]


@attrs.frozen
class FormInfo:
    """What a questionnaire was written for (stored in its hidden sheet)."""

    framework: str
    version: str
    profile: str | None
    content_hash: str
    lang: Lang


def _check_parts(zf: zipfile.ZipFile, file: str) -> None:
    """Bound the work before any XML is parsed: declared and actual unpacked sizes, no XML
    comments or DTDs (neither Excel nor smesdk writes them; a huge comment makes parsing
    quadratic), and a cell count far below what would take minutes to load."""
    declared = sum(info.file_size for info in zf.infolist())
    if declared > MAX_UNPACKED_BYTES:
        raise AnswerError([Problem("", label("err.too_big", "en", size=declared,
                                             limit=MAX_UNPACKED_BYTES), file)])
    unpacked = cells = 0
    for info in zf.infolist():
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        tail = b""
        with zf.open(info) as part:
            while chunk := part.read(_CHUNK):
                unpacked += len(chunk)
                if unpacked > MAX_UNPACKED_BYTES:
                    raise AnswerError([Problem("", label("err.too_big", "en", size=unpacked,
                                                         limit=MAX_UNPACKED_BYTES), file)])
                text = tail + chunk
                if b"<!--" in text or b"<!DOCTYPE" in text or b"<!ENTITY" in text:
                    raise AnswerError([Problem(info.filename, "holds an XML comment or DTD, "
                                               "which no questionnaire has", file)])
                cells += text.count(b"<c ") - tail.count(b"<c ")
                tail = chunk[-16:]
        if cells > MAX_CELLS:
            raise AnswerError([Problem(info.filename, f"holds over {MAX_CELLS} cells; a "
                                       "questionnaire has a few thousand", file)])


def _open(path: Path) -> Workbook:
    file = str(path)
    try:
        data = read_limited(path, MAX_INPUT_BYTES)
    except SmesdkError as exc:
        raise AnswerError(exc.problems) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_parts(zf, file)
        return load_workbook(io.BytesIO(data), data_only=False, rich_text=False)
    except AnswerError:
        raise
    except Exception as exc:
        raise AnswerError([Problem("", label("err.not_xlsx", "en",
                                             msg=short_error(exc)), file)]) from None


def _meta(wb: Workbook, file: str) -> dict[str, str]:
    if META_SHEET not in wb.sheetnames:
        raise AnswerError([Problem("", text("err.not_form", sheet=META_SHEET).en + " / "
                                   + text("err.not_form", sheet=META_SHEET).zh, file)])
    ws = wb[META_SHEET]
    return {str(row[0]): str(row[1]) for row in ws.iter_rows(values_only=True, max_col=2)
            if row[0] is not None and row[1] is not None}


def _info(meta: dict[str, str], file: str) -> FormInfo:
    got = meta.get("format") or ""
    if got.startswith("smesdk-questionnaire/") and got != FORMAT_ID:
        # Before the framework is known, in both languages; about the file, not its hidden sheet.
        message = text("err.old_format", got=got, want=FORMAT_ID)
        raise AnswerError([Problem("", f"{message.en} / {message.zh}", file)])
    problems = []
    for key in ("format", "framework", "version", "content_hash", "lang"):
        if not meta.get(key):
            problems.append(Problem(META_SHEET, text("err.bad_meta", key=key).en, file))
    if meta.get("format") not in (None, "", FORMAT_ID) or not TAG.match(meta.get("lang") or "zh"):
        problems.append(Problem(META_SHEET, text("err.bad_meta", key="format/lang").en, file))
    if problems:
        raise AnswerError(problems)
    lang: Lang = meta["lang"]
    return FormInfo(meta["framework"], meta["version"], meta.get("profile") or None,
                    meta["content_hash"], lang)


def form_info(path: str | Path) -> FormInfo:
    """Which framework, version and profile a questionnaire file was written for."""
    path = Path(path)
    return _info(_meta(_open(path), str(path)), str(path))


def _describe(framework: str, version: str, profile: str | None) -> str:
    return f"{framework} {version}" + (f" [{profile}]" if profile else "")


def read_questionnaire(path: str | Path, framework: Framework, *, lang: Lang | None = None,
                       progress: Progress | None = None) -> AnswerSet:
    """Read a filled-in questionnaire written for ``framework`` (with its profile).

    Raises AnswerError listing every problem, each addressed by sheet and cell
    (``战略管理!D12: "大概" is not one of 是/否``), in ``lang`` (default: the form's language).
    Nothing in the workbook is evaluated; a formula is an error.
    """
    path = Path(path)
    file = str(path)
    wb = _open(path)
    info = _info(_meta(wb, file), file)
    fw = framework
    # The form's language names its options; messages follow the framework's chain (a form
    # of another version may be in a language this one no longer declares: then its first).
    form_lang = locale(fw.spec, info.lang if info.lang in fw.spec.languages else None)
    msg_lang: Lang = locale(fw.spec, lang) if lang is not None else form_lang
    if (info.framework, info.version) != (fw.id, fw.version):
        got = _describe(info.framework, info.version, info.profile)
        raise AnswerError([Problem("", label("err.foreign", msg_lang, got=got,
                                             want=_describe(fw.id, fw.version, fw.profile)), file)])
    if info.content_hash != fw.content_hash:
        raise AnswerError([Problem("", label("err.foreign_hash", msg_lang,
                                             want=_describe(fw.id, fw.version, fw.profile)), file)])
    reader = _Reader(wb, fw, build_layout(fw, form_lang), msg_lang, file)
    return reader.read(progress)


class _Reader:
    def __init__(self, wb: Workbook, fw: Framework, layout: Layout, msg_lang: Lang, file: str) -> None:
        self.wb, self.fw, self.layout, self.msg_lang, self.file = wb, fw, layout, msg_lang, file
        self.problems: list[Problem] = []
        self.flagged: set[str] = set()
        #: Sheets read only down to a row, where rows were inserted or deleted.
        self.unread: dict[str, int] = {}
        self.unlisted = 0

    # --- reporting

    def report(self, sheet: str, row: int, col: int, message: Text) -> None:
        where = f"{sheet}!{get_column_letter(col)}{row}"
        self.flagged.add(where)
        if len(self.problems) >= MAX_LISTED:
            self.unlisted += 1
            return
        self.problems.append(Problem(where, message.get(self.msg_lang), self.file))

    def failed(self, *first: Problem) -> AnswerError:
        """Every problem found (the first MAX_LISTED, then how many more)."""
        problems = [*first, *self.problems]
        if self.unlisted:
            problems.append(Problem("", Text(zh=f"另有 {self.unlisted} 个问题未列出",
                                             en=f"and {self.unlisted} more problems").get(
                                                 self.msg_lang), self.file))
        return AnswerError(problems)

    # --- the whole workbook

    def read(self, progress: Progress | None) -> AnswerSet:
        expected = {s.name for s in self.layout.sheets} | {META_SHEET, LISTS_SHEET}
        extra = [name for name in self.wb.sheetnames
                 if name not in expected and _has_content(self.wb[name])]
        missing = [s for s in self.layout.sheets if s.name not in self.wb.sheetnames]
        for sheet in missing:  # a sheet under another name still starts with its own title
            renamed = next((n for n in extra if self.wb[n].cell(1, 1).value == sheet.fixed.get((1, 1))),
                           None)
            if renamed is not None:
                extra.remove(renamed)
                self.problems.append(Problem(renamed, label("err.renamed_sheet", self.msg_lang,
                                                            sheet=renamed, want=sheet.name), self.file))
            else:
                self.problems.append(Problem(sheet.name, label("err.missing_sheet", self.msg_lang,
                                                               sheet=sheet.name), self.file))
        self.problems += [Problem(name, label("err.extra_sheet", self.msg_lang, sheet=name), self.file)
                          for name in extra]
        inputs: dict[str, dict[tuple[int, int], Any]] = {}
        for sheet in self.layout.sheets:
            if sheet.name not in self.wb.sheetnames:
                continue
            inputs[sheet.name] = self._scan(self.wb[sheet.name], sheet)
            if progress is not None:
                progress(1)
        answers: dict[str, Answer] = {}
        filled = False
        for sheet in self.layout.dimensions:
            cells = inputs.get(sheet.name, {})
            for q in sheet.questions:
                filled |= any((q.row, c) in cells for c in (COL_ANSWER, COL_NA))
                filled |= any((c.row, c.col) in cells for c in q.cells)
                ans = self._answer(sheet, q, cells)
                if ans is not None:
                    answers[q.iid] = ans
        if not filled:
            self.problems = [p for p in self.problems if "!" not in p.path
                             or p.path.split("!")[0] != self.layout.instructions.name]
            raise self.failed(Problem("", label("err.unfilled", self.msg_lang), self.file))
        enterprise, date, assessor = self._enterprise(inputs.get(self.layout.instructions.name, {}))
        if self.problems or enterprise is None or date is None:
            raise self.failed()
        answer_set = AnswerSet(enterprise=enterprise, date=date, answers=answers, assessor=assessor,
                               framework=self.fw.id, profile=self.fw.profile)
        self._engine_problems(answer_set)
        if self.problems:
            raise self.failed()
        return answer_set

    # --- one sheet: every non-empty cell is an input, the form's own text, or a problem

    def _scan(self, ws: Worksheet, sheet: SheetLayout) -> dict[tuple[int, int], Any]:
        input_cells = self._input_cells(sheet)
        locked_na = {(q.row, c) for q in sheet.questions if not q.na_allowed for c in (COL_NA, COL_REASON)}
        found: dict[tuple[int, int], Any] = {}
        changed_rows = self._merges(ws, sheet)
        # Past a row inserted or deleted every row is another question's: one message says so.
        last = self._moved_rows(ws, sheet) or ws.max_row + 1
        for row in ws.iter_rows(max_row=last - 1):
            for cell in row:
                if _blank(cell.value):  # spaces alone are as invisible as an empty cell
                    continue
                r, c = cell.row, cell.column
                assert r is not None and c is not None
                if is_formula(cell):
                    self.report(sheet.name, r, c, text("err.formula", formula=formula_text(cell)))
                elif is_error_value(cell):
                    self.report(sheet.name, r, c, text("err.error_value", value=cell.value))
                elif (r, c) in input_cells:
                    found[(r, c)] = (cell.value, cell.number_format)
                elif (r, c) in sheet.fixed:
                    if str(cell.value) != sheet.fixed[(r, c)] and r not in changed_rows:
                        changed_rows.add(r)
                        self.report(sheet.name, r, c, text("err.changed", want=shown(sheet.fixed[(r, c)]),
                                                           got=shown(cell.value)))
                elif (r, c) in locked_na:
                    self.report(sheet.name, r, c, text("err.na_not_allowed"))
                else:
                    self.report(sheet.name, r, c, text("err.not_read", value=shown(cell.value)))
        for (r, c), want in sheet.fixed.items():
            if want and r < last and r not in changed_rows and ws.cell(r, c).value in (None, ""):
                changed_rows.add(r)
                self.report(sheet.name, r, c, text("err.changed", want=shown(want), got="—"))
        return found

    def _merges(self, ws: Worksheet, sheet: SheetLayout) -> set[int]:
        """Report each merged range the form did not make (merging keeps only its first
        cell's value); returns the rows it spans, whose emptied cells are not reported again."""
        rows: set[int] = set()
        for merged in ws.merged_cells.ranges:
            if merged.coord in sheet.merged:
                continue
            self.report(sheet.name, merged.min_row, merged.min_col, text("err.merged", cells=merged.coord))
            rows |= set(range(merged.min_row, merged.max_row + 1))
        return rows

    def _moved_rows(self, ws: Worksheet, sheet: SheetLayout) -> int | None:
        """The first row whose id (column A) is another row's, reported once (rows inserted,
        deleted or moved there); None when every row is where the form put it."""
        want = {r: v for (r, c), v in sheet.fixed.items() if c == COL_ID and r >= FIRST_ROW}
        have = {r: str(v).strip() for (v, r) in ((ws.cell(r, COL_ID).value, r)
                                                  for r in range(FIRST_ROW, ws.max_row + 1))
                if v is not None}
        rows_of = {v: r for r, v in sorted(have.items(), reverse=True)}  # first row holding it
        ids = {v: r for r, v in want.items()}
        for row in sorted(want):
            if have.get(row) == want[row]:
                continue
            # a question by its title; on the instructions sheet, column A's own text
            title = sheet.fixed[(row, COL_TITLE)] if sheet.dimension else want[row]
            title = fit_label(title, 40, 1)[0][0]  # a long text cut, with "…"
            now = rows_of.get(want[row])
            if now is not None:
                message = text("err.rows_moved", title=title, want=row, got=now)
            elif ids.get(have.get(row, ""), 0) > row:  # a later question moved up here
                message = text("err.rows_deleted", title=title, want=row)
            else:
                return None  # text typed over the id: the cell check names it
            self.report(sheet.name, row, COL_ID, message)
            self.unread[sheet.name] = row
            return row
        return None

    def _input_cells(self, sheet: SheetLayout) -> set[tuple[int, int]]:
        if sheet.dimension is None:
            return set(self.layout.enterprise.values())
        out = set()
        for q in sheet.questions:
            cols = [*([] if q.cells else [COL_ANSWER]), *EVIDENCE_COLUMNS] + (
                [COL_NA, COL_REASON] if q.na_allowed else [])
            out |= {(q.row, c) for c in cols}
            out |= {(c.row, c.col) for c in q.cells}
        return out

    # --- one question row

    def _answer(self, sheet: SheetLayout, q: QuestionRow, cells: dict[tuple[int, int], Any]) -> Answer | None:
        def get(col: int) -> Any:
            return cells[(q.row, col)][0] if (q.row, col) in cells else None

        def where(col: int) -> str:
            return f"{sheet.name}!{get_column_letter(col)}{q.row}"

        ind, kind = self.fw.indicator(q.iid), self.fw.kinds[q.iid]
        value, na_mark, reason = get(COL_ANSWER), get(COL_NA), get(COL_REASON)
        grid: dict[str, dict[str, Any]] | None = None
        if q.cells:
            grid = self._grid(sheet, q, cells)
            value = grid if grid else None
        evidence = self._evidence(sheet, q, get)
        na = False
        if na_mark is not None:
            if loose(str(na_mark)) in {loose(m) for m in all_langs("na.mark") | {"NA", "✓", "x"}} \
                    or na_mark is True:
                na = True
            else:
                mark = label("na.mark", self.layout.lang)
                self.report(sheet.name, q.row, COL_NA, text("err.na_value", na=mark, got=shown(na_mark)))
                return None
        reason_text = str(reason).strip() if reason is not None else None
        if na:
            if value is not None:
                self.report(sheet.name, q.row, COL_ANSWER, text("err.na_and_answer"))
                return None
            if not reason_text:
                self.report(sheet.name, q.row, COL_NA, text("err.na_no_reason", cell=where(COL_REASON)))
                return None
            return Answer(na=True, reason=reason_text, evidence=evidence)
        if reason_text:
            self.report(sheet.name, q.row, COL_REASON, text("err.reason_without_na", cell=where(COL_NA)))
            return None
        if value is None:
            if evidence is not None:
                self.report(sheet.name, q.row, COL_ANSWER,
                            text("err.evidence_without_answer", cell=where(COL_EV_DESCRIPTION)))
            return None
        if grid is not None:
            return self._grid_answer(sheet, q, grid, evidence)
        fmt = cells[(q.row, COL_ANSWER)][1]
        try:
            raw = from_cell(ind, kind, value, fmt, self.layout.lang)
            kind.parse(ind, raw)
        except CellValueError as exc:
            self.report(sheet.name, q.row, COL_ANSWER, exc.message)
            return None
        except ValueError as exc:
            self.report(sheet.name, q.row, COL_ANSWER, text("err.invalid", msg=str(exc)))
            return None
        return Answer(value=raw, evidence=evidence)

    def _grid(self, sheet: SheetLayout, q: QuestionRow, cells: dict[tuple[int, int], Any]
              ) -> dict[str, dict[str, Any]] | None:
        """The grid's raw answer from its cells ({} when none is filled); None when a cell
        holds no item (each such cell reported) or some but not all cells are filled."""
        form = self.fw.kinds[q.iid].grid(self.fw.indicator(q.iid))
        assert form is not None  # the layout gave the question cells
        out: dict[str, dict[str, Any]] = {}
        empty: list[tuple[int, int]] = []
        ok = True
        for cell in q.cells:
            if (cell.row, cell.col) not in cells:
                empty.append((cell.row, cell.col))
                continue
            try:
                raw = read_grid_cell(form, cells[(cell.row, cell.col)][0], self.layout.lang)
            except CellValueError as exc:
                self.report(sheet.name, cell.row, cell.col, exc.message)
                ok = False
                continue
            out.setdefault(cell.row_value, {})[cell.col_value] = raw
        if (out or not ok) and empty:
            for row, col in empty:
                self.report(sheet.name, row, col, text("err.cell_missing"))
            ok = False
        return out if ok else None

    def _grid_answer(self, sheet: SheetLayout, q: QuestionRow, grid: dict[str, dict[str, Any]],
                     evidence: Evidence | None) -> Answer | None:
        ind, kind = self.fw.indicator(q.iid), self.fw.kinds[q.iid]
        try:
            kind.parse(ind, grid)
        except ValueError as exc:  # cells are items already: a rule of the kind's own
            self.report(sheet.name, q.row, COL_ANSWER, text("err.invalid", msg=str(exc)))
            return None
        return Answer(value=grid, evidence=evidence)

    def _evidence(self, sheet: SheetLayout, q: QuestionRow, get: Callable[[int], Any]) -> Evidence | None:
        description, reference, expires = (get(c) for c in EVIDENCE_COLUMNS)
        if description is None and reference is None and expires is None:
            return None
        expiry = None
        if expires is not None:
            try:
                expiry = read_date(expires)
            except CellValueError as exc:
                self.report(sheet.name, q.row, COL_EV_EXPIRES, exc.message)
        return Evidence(description=_text(description), reference=_text(reference), expires=expiry)

    # --- the enterprise block of the instructions sheet

    def _enterprise(self, cells: dict[tuple[int, int], Any]) -> tuple[Enterprise | None, Any, str | None]:
        sheet = self.layout.instructions.name
        values: dict[str, Any] = {}
        for field in ENTERPRISE_FIELDS:
            pos = self.layout.enterprise[field]
            values[field] = cells[pos][0] if pos in cells else None
        for field in ("name", "size", "date"):
            row, col = self.layout.enterprise[field]
            if values[field] is None and f"{sheet}!{get_column_letter(col)}{row}" not in self.flagged \
                    and row < self.unread.get(sheet, row + 1):
                self.report(sheet, row, col, text("err.enterprise_missing", field=label(f"ent.{field}",
                                                                                        self.msg_lang)))
        size: str | None = None
        if values["size"] is not None:
            got = str(values["size"]).strip()
            size = next((s for s, t in self.layout.sizes.items()
                         if loose(got) in {loose(x) for x in (s, t.zh, t.en)}), None)
            if size is None and set(self.layout.sizes) != set(CORE_SIZES):
                size = got  # the engine names the framework's classes, at this cell
            elif size is None:
                self.report(sheet, *self.layout.enterprise["size"],
                            text("err.size", got=shown(values["size"])))
        date = None
        if values["date"] is not None:
            try:
                date = read_date(values["date"])
            except CellValueError as exc:
                self.report(sheet, *self.layout.enterprise["date"], exc.message)
        if values["name"] is None or size is None:
            return None, date, None
        fields = {key[len(FIELD_KEY):]: _field(cells[pos][0])
                  for key, pos in self.layout.enterprise.items()
                  if key.startswith(FIELD_KEY) and pos in cells and cells[pos][0] is not None}
        enterprise = Enterprise(name=_text(values["name"]) or "", size=size,
                                credit_code=_text(values["credit_code"]),
                                industry=self._coded(_text(values["industry"]),
                                                     lambda tag: industry_items(self.fw, tag)),
                                region=_text(values["region"]),
                                type=self._coded(_text(values["type"]), type_items),
                                fields=fields)
        return enterprise, date, _text(values["assessor"])

    def _coded(self, typed: str | None, items: Callable[[Lang], dict[str, str]]) -> str | None:
        """The code of a suggested item ("18 – 机械及设备", in any language), else as typed."""
        if typed is None:
            return None
        codes = {loose(item): code for tag in self.fw.spec.languages
                 for item, code in items(tag).items()}
        return codes.get(loose(typed), typed)

    # --- what the scoring engine itself finds (required answers, N/A caps), mapped to cells

    def _engine_problems(self, answers: AnswerSet) -> None:
        rows = {q.iid: (s.name, q.row) for s in self.layout.dimensions for q in s.questions}
        sheets = {s.dimension: s.name for s in self.layout.dimensions}
        for problem in self.fw.validate_answers(answers):
            kind, _, key = problem.path.partition(".")
            message = Text(zh=f"答案无效：{problem.message}", en=problem.message)
            if problem.message.startswith("required answer missing"):
                message = text("err.required")
            if kind == "enterprise" and key in self.layout.enterprise:
                self.report(self.layout.instructions.name, *self.layout.enterprise[key], message)
            elif kind == "answers" and key in rows:
                sheet, row = rows[key]
                if f"{sheet}!{get_column_letter(COL_ANSWER)}{row}" not in self.flagged:
                    self.report(sheet, row, COL_ANSWER, message)
            elif kind == "dimensions":
                top = key.split(".")[0]
                self.problems.append(Problem(f"{sheets.get(top, key)} ({key})", message.get(self.msg_lang),
                                             self.file))
            else:
                self.problems.append(Problem(problem.path, message.get(self.msg_lang), self.file))


def _field(value: Any) -> Any:
    """An extra enterprise field's cell: text trimmed, a whole float as an integer, else as is
    (the framework's field kinds read it when the answers are scored)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _has_content(ws: Worksheet) -> bool:
    return any(not _blank(v) for row in ws.iter_rows(values_only=True) for v in row)


