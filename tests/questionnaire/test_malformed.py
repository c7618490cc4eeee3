"""Malformed workbooks: every problem reported at once, each with its sheet and cell.

Cell addresses are worked out from the documented layout, not from the code: on a dimension
sheet row 1 is the title, row 2 the column headers, questions follow from row 3 in document
order; the answer is column D, N/A E, its reason F, evidence G–I. The example framework's
战略管理 sheet holds strategy.mission (row 3, a scale) and strategy.plan (row 4, choice
否/部分/全部); 人力资源 holds hr.insurance (row 3, yes/no) and hr.training_hours (row 4, a
number ≥ 0 that allows N/A); 生产与数字化 holds monitoring (row 3, percent), systems (row 4,
multi 无/ERP/MES/CRM). On 说明 the enterprise name is B5, size B6, the date B10.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from smesdk import AnswerError, default_host, load_answers
from smesdk.framework import Framework
from smesdk.loading import load_spec
from smesdk.questionnaire import form_info, read_questionnaire, write_questionnaire
from tests.questionnaire.conftest import ANSWERS, ROOT


def edit(path: Path, change: Callable[[Workbook], None]) -> Path:
    wb = load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def problems(path: Path, fw: Framework, lang: str | None = None) -> dict[str, str]:
    with pytest.raises(AnswerError) as info:
        read_questionnaire(path, fw, lang=lang)  # type: ignore[arg-type]
    return {p.path: p.message for p in info.value.problems}


def test_unknown_option_is_addressed_by_cell_in_the_issue_format(filled: Path, fw: Framework) -> None:
    def change(wb: Workbook) -> None:
        wb["人力资源"]["D3"] = "大概"
        wb["战略管理"]["D4"] = "大概"
    found = problems(edit(filled, change), fw, "en")
    assert found["人力资源!D3"] == '"大概" is not one of 是/否'
    assert found["战略管理!D4"] == '"大概" is not one of 否/部分/全部'
    with pytest.raises(AnswerError) as info:
        read_questionnaire(filled, fw)  # the form's own language by default
    assert '人力资源!D3: "大概" 不是 是/否 之一' in str(info.value)


def test_wrong_type_in_a_number_cell(filled: Path, fw: Framework) -> None:
    found = problems(edit(filled, lambda wb: wb["人力资源"].__setitem__("D4", "很多")), fw, "en")
    assert found == {"人力资源!D4": '"很多" is not a number'}


def test_number_out_of_range_and_percent_formatted_cell(filled: Path, fw: Framework) -> None:
    def change(wb: Workbook) -> None:
        wb["人力资源"]["D4"] = -3          # training hours have min 0
        cell = wb["生产与数字化"]["D3"]
        cell.value = 0.6                   # typed as 60 % into a percentage-formatted cell
        cell.number_format = "0%"
    found = problems(edit(filled, change), fw, "en")
    assert "less than the allowed minimum, 0" in found["人力资源!D4"]
    assert found["生产与数字化!D3"].startswith("the cell is formatted as a percentage (0.6 is 60 %)")


def test_multi_select_unknown_item(filled: Path, fw: Framework) -> None:
    found = problems(edit(filled, lambda wb: wb["生产与数字化"].__setitem__("D4", "ERP; 区块链")), fw, "en")
    assert found == {"生产与数字化!D4": '"区块链" is not among 无; ERP; MES; CRM'}


def test_missing_sheet(filled: Path, fw: Framework) -> None:
    found = problems(edit(filled, lambda wb: wb.remove(wb["生产与数字化"])), fw, "en")
    assert found["生产与数字化"] == "sheet '生产与数字化' is missing"


def test_a_renamed_sheet_is_named_as_renamed(filled: Path, fw: Framework) -> None:
    def change(wb: Workbook) -> None:
        wb["人力资源"].title = "人力资源（已填）"
        wb.create_sheet("备注")["A1"] = "附加说明"
    found = problems(edit(filled, change), fw, "en")
    assert found == {
        "人力资源（已填）": "sheet '人力资源（已填）' is the form's sheet '人力资源' renamed: give it back "
                           "its name (the form finds its sheets by name)",
        "备注": "sheet '备注' is not part of the form; its contents are not read"}


def test_extra_rows_below_and_between(filled: Path, fw: Framework) -> None:
    def change(wb: Workbook) -> None:
        ws = wb["战略管理"]
        ws["A5"], ws["D5"] = "strategy.extra", "全部"  # a row added below the questions
        wb["人力资源"].insert_rows(4)                   # a row inserted between: training moves to 5
    found = problems(edit(filled, change), fw, "en")
    assert found["战略管理!A5"].startswith('"strategy.extra" is in a cell that is not read')
    assert found["战略管理!D5"].startswith('"全部" is in a cell that is not read')
    # one message for the inserted row, not one per cell of every row below it
    assert found["人力资源!A4"] == ("rows were inserted, deleted or moved: 人均培训学时 belongs in row 4 "
                                  "but is in row 5; undo the change (the sheet is not read from row 4 on)")
    assert not [p for p in found if p.startswith("人力资源!") and p != "人力资源!A4"]


def test_a_deleted_row_is_one_message_naming_the_question(filled: Path, fw: Framework) -> None:
    found = problems(edit(filled, lambda wb: wb["战略管理"].delete_rows(3)), fw, "en")
    assert found == {"战略管理!A3": "rows were deleted or moved: row 3 should hold 使命愿景, which is "
                                    "gone; undo the change (the sheet is not read from row 3 on)"}
    found = problems(filled, fw, "zh")
    assert found["战略管理!A3"].startswith("有行被删除或移动：第 3 行应为「使命愿景」")


def test_a_row_inserted_on_the_instructions_sheet_is_one_message(filled: Path, fw: Framework) -> None:
    """The enterprise rows are 5–12 (name … type; region is row 8). The fields below an
    inserted row are not read, so they are not also reported as missing."""
    found = problems(edit(filled, lambda wb: wb["说明"].insert_rows(8)), fw, "en")
    assert found == {"说明!A8": "rows were inserted, deleted or moved: 所在地区 belongs in row 8 but "
                                "is in row 9; undo the change (the sheet is not read from row 8 on)"}


def test_text_typed_over_an_id_is_a_changed_cell_not_a_moved_row(filled: Path, fw: Framework) -> None:
    found = problems(edit(filled, lambda wb: wb["战略管理"].__setitem__("A3", "使命")), fw, "en")
    assert found == {"战略管理!A3": 'the form\'s own text was changed: expected "strategy.mission", '
                                    'found "使命" (rows inserted, deleted or moved?)'}


def test_merged_cells_are_named_once(filled: Path, fw: Framework) -> None:
    def change(wb: Workbook) -> None:
        wb["人力资源"].merge_cells("D3:D4")   # the training hours vanish under the merge
        wb["战略管理"].merge_cells("B3:C3")   # the question text vanishes under the merge
    found = problems(edit(filled, change), fw, "en")
    tail = "unmerge them (the form reads each cell on its own, and merging keeps only the first cell's value)"
    assert found == {"人力资源!D3": f"cells D3:D4 are merged: {tail}",
                     "战略管理!B3": f"cells B3:C3 are merged: {tail}"}


def test_formulas_are_errors_never_evaluated(filled: Path, fw: Framework) -> None:
    def change(wb: Workbook) -> None:
        wb["人力资源"]["D4"] = "=10+2"
        wb["说明"]["B5"] = '=HYPERLINK("http://x","公司")'
    found = problems(edit(filled, change), fw, "en")
    assert found["人力资源!D4"].startswith("the cell holds the formula =10+2")
    assert found["说明!B5"].startswith('the cell holds the formula =HYPERLINK("http://x","公司")')


def test_na_without_reason_and_na_where_not_allowed(filled: Path, fw: Framework) -> None:
    def change(wb: Workbook) -> None:
        wb["人力资源"]["D4"] = None
        wb["人力资源"]["E4"] = "不适用"        # allowed, but no reason in F4
        wb["战略管理"]["E3"] = "不适用"        # mission does not allow N/A
    found = problems(edit(filled, change), fw, "en")
    assert found["人力资源!E4"] == "N/A needs a reason (in 人力资源!F4)"
    assert found["战略管理!E3"] == "N/A is not allowed for this question"


def test_value_outside_the_answer_columns_is_reported(filled: Path, fw: Framework) -> None:
    found = problems(edit(filled, lambda wb: wb["战略管理"].__setitem__("L3", "see notes")), fw, "en")
    assert found == {"战略管理!L3": '"see notes" is in a cell that is not read (fill in only the answer, '
                                    "N/A, reason and evidence columns)"}


def test_every_problem_at_once_and_missing_required_answers(filled: Path, fw: Framework) -> None:
    def change(wb: Workbook) -> None:
        wb["说明"]["B5"] = None               # enterprise name
        wb["战略管理"]["D3"] = None           # mission is required
        wb["人力资源"]["D3"] = "也许"
        wb.create_sheet("备注")["A1"] = "附加说明"
    found = problems(edit(filled, change), fw, "en")
    assert set(found) == {"说明!B5", "人力资源!D3", "备注"}
    # once the other problems are fixed the scoring engine's check names the empty answer
    def fix(wb: Workbook) -> None:
        wb["说明"]["B5"] = "某公司"
        wb["人力资源"]["D3"] = "是"
        wb.remove(wb["备注"])
    assert problems(edit(filled, fix), fw, "en") == {"战略管理!D3": "required answer missing"}


def test_unfilled_form_is_one_clear_error(tmp_path: Path, fw: Framework) -> None:
    path = tmp_path / "blank.xlsx"
    write_questionnaire(fw, path, lang="en")
    with pytest.raises(AnswerError) as info:
        read_questionnaire(path, fw)
    assert [p.message for p in info.value.problems] == ["no answers filled in"]


def test_form_for_another_framework_or_profile_is_refused(filled: Path, fw: Framework) -> None:
    other = default_host().load_framework("management")
    with pytest.raises(AnswerError, match=r"this form was written for example 1\.0\.0, not management"):
        read_questionnaire(filled, other, lang="en")
    with pytest.raises(AnswerError, match=r"does not match the content of example 1\.0\.0 \[quick\]"):
        read_questionnaire(filled, fw.with_profile("quick"), lang="en")
    assert form_info(filled).framework == "example" and form_info(filled).lang == "zh"


def test_a_form_of_an_earlier_format_is_refused_in_both_languages(filled: Path, fw: Framework) -> None:
    """The format is checked before the framework says which language to use: the message
    is in both, and about the file (its hidden sheet _smesdk means nothing to a reader)."""
    edit(filled, lambda wb: wb["_smesdk"].__setitem__("B1", "smesdk-questionnaire/2"))
    with pytest.raises(AnswerError) as info:
        read_questionnaire(filled, fw)
    [problem] = info.value.problems
    assert problem.path == ""
    assert problem.message.startswith("this form was written by another smesdk version (format "
                                      "smesdk-questionnaire/2, this one reads smesdk-questionnaire/3)")
    assert "此问卷由其他版本的 smesdk 生成（格式 smesdk-questionnaire/2" in problem.message


def test_not_a_questionnaire(tmp_path: Path, fw: Framework) -> None:
    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    with pytest.raises(AnswerError, match="not an smesdk questionnaire"):
        read_questionnaire(plain, fw)
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a zip")
    with pytest.raises(AnswerError, match=r"cannot be read as an \.xlsx workbook"):
        read_questionnaire(junk, fw)


def test_injection_is_neutralised_on_export(tmp_path: Path) -> None:
    import attrs

    host = default_host()
    spec = load_spec(ROOT / "examples/plugins/smesdk-example/src/smesdk_example/example.yaml")
    dim = spec.dimensions[0]
    ind = attrs.evolve(dim.indicators[0],
                       title=dim.indicators[0].title.replace(zh='=HYPERLINK("http://evil","点我")'),
                       question=dim.indicators[0].question.replace(zh="+cmd|' /C calc'!A0"))
    spec = attrs.evolve(spec, dimensions=[attrs.evolve(dim, indicators=[ind, *dim.indicators[1:]]),
                                          *spec.dimensions[1:]])
    fw = Framework.from_spec(spec, registry=host.registry)
    answers = attrs.evolve(load_answers(ANSWERS), enterprise=attrs.evolve(
        # (industry is a checked code now: the free-text type field carries the third)
        load_answers(ANSWERS).enterprise, name="@SUM(1+1)", region="-2+3", type="\t=1"))
    path = tmp_path / "form.xlsx"
    write_questionnaire(fw, path, lang="zh", answers=answers)
    with zipfile.ZipFile(path) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in zf.read(n) or b"<f " in zf.read(n) for n in sheets)
    wb = load_workbook(path)
    cell = wb["战略管理"]["B3"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ('=HYPERLINK("http://evil","点我")', "s", True)
    assert wb["战略管理"]["C3"].quotePrefix and wb["说明"]["B5"].quotePrefix
    # and the texts read back as the text they are
    read = read_questionnaire(path, fw)
    assert (read.enterprise.name, read.enterprise.region, read.enterprise.type) == \
        ("@SUM(1+1)", "-2+3", "=1")  # surrounding whitespace of a field is trimmed
    assert read.date == dt.date(2026, 11, 1)
