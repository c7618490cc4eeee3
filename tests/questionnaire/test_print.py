"""The questionnaire on paper: every question sheet prints landscape on A4, one page wide,
with its column headings repeated, so each answer cell lands beside its question. Where
LibreOffice is installed (CI installs it, see .ci/run) the digital form is converted to PDF
and its pages counted."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from pypdf import PdfReader

import smesdk
from smesdk.questionnaire import write_questionnaire
from smesdk.questionnaire.layout import HEADER_ROW
from smesdk.questionnaire.write import fit_row_heights
from smesdk.report import charts

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="module")
def digital_form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("form") / "digital.xlsx"
    write_questionnaire(smesdk.load_framework("digital"), path, lang="zh")
    return path


def test_print_settings(digital_form: Path) -> None:
    wb = openpyxl.load_workbook(digital_form)
    shown = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    instructions, questions = shown[0], shown[1:]
    assert questions, "the digital form has question sheets"
    assert instructions.page_setup.orientation == "portrait"
    for ws in shown:
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4, ws.title   # "9": A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
        assert ws.oddFooter.right.text == "&P / &N"
    for ws in questions:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}", ws.title


@pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice (apt-get install libreoffice-calc-nogui)")
def test_the_digital_form_prints_on_twelve_pages_or_fewer(digital_form: Path, tmp_path: Path) -> None:
    subprocess.run([str(SOFFICE), "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(digital_form)],
                   check=True, capture_output=True, timeout=240)
    pages = len(PdfReader(tmp_path / "digital.pdf").pages)
    assert 2 <= pages <= 12, pages


def test_rows_are_as_tall_as_their_text(digital_form: Path) -> None:
    """A row written without a height stays one line high in LibreOffice, and a wrapped
    question or answer guide ran over the rows below it. Each row now holds its text: at
    least a line per line break, two lines where a cell's text is twice its column's width,
    and the title's larger font. A text merged across columns wraps at their joint width."""
    wb = openpyxl.load_workbook(digital_form)
    checked = 0
    for ws in [ws for ws in wb.worksheets if ws.sheet_state == "visible"]:
        spans = {m.coord.split(":")[0]: m for m in ws.merged_cells.ranges}
        for cells in ws.iter_rows():
            for cell in cells:
                if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                    continue
                height = ws.row_dimensions[cell.row].height or 15.0
                span = spans.get(cell.coordinate)
                letters = [get_column_letter(c) for c in range(span.min_col, span.max_col + 1)] \
                    if span else [cell.column_letter]
                width = sum(ws.column_dimensions[x].width for x in letters)
                assert height >= 15 * (cell.value.count("\n") + 1), (ws.title, cell.coordinate)
                if charts.columns(cell.value) > 2 * width:
                    assert height >= 30, (ws.title, cell.coordinate, height)
                    checked += 1
        title = ws.cell(1, 1)
        assert (ws.row_dimensions[1].height or 15.0) >= title.font.sz * 15 / 11, ws.title
    assert checked > 20  # the digital form has many long questions and answer guides


def test_a_huge_answer_keeps_its_row_within_the_409_points_allowed() -> None:
    """A pre-filled answer may be long; a row taller than Excel's 409 points is refused."""
    ws = openpyxl.Workbook().active
    assert ws is not None
    ws["B2"] = "long answer " * 3000
    ws["B2"].alignment = Alignment(wrap_text=True)
    fit_row_heights(ws)
    assert ws.row_dimensions[2].height == 409.0


def test_the_instructions_print_at_the_page_width_in_the_sheet_font(digital_form: Path) -> None:
    """The title, source, headings and the how-to lines are alone on their rows: each spans
    columns A–C, so it wraps at the page's width instead of making column A (26 wide) a
    20-line strip or running past column C onto pages of empty columns. Bold and grey
    texts keep the workbook's font: a font without a name prints in a serif in LibreOffice."""
    wb = openpyxl.load_workbook(digital_form)
    ws = wb["说明"]
    spans = {m.coord for m in ws.merged_cells.ranges}
    # the documented layout: rows 1–3 title, framework, source; row 4 the enterprise heading;
    # after the enterprise rows, a blank row, the how-to heading and its eight lines
    how = next(c.row for c in ws["A"] if c.value == "填写说明")
    assert {f"A{r}:C{r}" for r in (1, 2, 3, 4, how, *range(how + 1, how + 9))} <= spans
    assert not [s for s in spans if int(s.split(":")[0][1:]) in range(5, how - 1)]  # fields
    for sheet in [w for w in wb.worksheets if w.sheet_state == "visible"]:
        named = [c.coordinate for row in sheet.iter_rows() for c in row
                 if c.value is not None and (c.font.b or c.font.sz != 11) and not c.font.name]
        assert not named, (sheet.title, named[:3])
    question_sheet = wb.worksheets[2]
    assert question_sheet["A3"].font.color.rgb.endswith("808080")  # a section's id, as a question's
