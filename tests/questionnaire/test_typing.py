"""What people really type into a form: each spelling with one meaning reads as that answer,
and each that needs guessing is refused with the exact text to enter instead.

The expected answers are the example small firm's (examples/answers/example-small-firm.yaml):
strategy.plan "partly", operations.systems [erp, crm], hr.training_hours 12,
operations.monitoring 60 (per cent), operations.qms_audit 2026-03-01, size small. Cells
follow the documented layout (see test_malformed.py): 战略管理!D4 plan (否/部分/全部, in
English no/partly/fully), 人力资源!D4 training hours, 生产与数字化!D3 monitoring (per cent),
D4 systems (无/ERP/MES/CRM), D5 the audit date; 说明!B6 the size, B10 the assessment date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from smesdk import AnswerSet, default_host, load_answers
from smesdk.framework import Framework
from smesdk.questionnaire import read_questionnaire, write_questionnaire
from tests.questionnaire.conftest import ANSWERS
from tests.questionnaire.test_malformed import problems


def typed(path: Path, cells: dict[str, Any]) -> Path:
    """The form with ``cells`` ("sheet!D4": value) typed over."""
    wb = load_workbook(path)
    for where, value in cells.items():
        sheet, cell = where.split("!")
        wb[sheet][cell] = value
    wb.save(path)
    return path


def read(path: Path, fw: Framework) -> AnswerSet:
    return read_questionnaire(path, fw, lang="en")


@pytest.mark.parametrize("plan", ["PARTLY", "Partly", " partly ", "ｐａｒｔｌｙ", "部分 "])
def test_an_option_in_another_case_width_or_language_is_that_option(
        filled: Path, fw: Framework, plan: str) -> None:
    answers = read(typed(filled, {"战略管理!D4": plan}), fw)
    assert answers.answers["strategy.plan"].value == "partly"


def test_the_size_in_another_case_is_that_size(filled: Path, fw: Framework) -> None:
    assert read(typed(filled, {"说明!B6": "Small"}), fw).enterprise.size == "small"


@pytest.mark.parametrize("cell", ["ERP\nCRM", "erp; crm", "ERP；CRM\n", "(NONE)"])
def test_ticked_items_one_per_line_or_in_another_case(filled: Path, fw: Framework, cell: str) -> None:
    want = [] if cell == "(NONE)" else ["erp", "crm"]
    assert read(typed(filled, {"生产与数字化!D4": cell}), fw).answers["operations.systems"].value == want


def test_ticked_items_separated_by_commas_name_the_cell_to_write(filled: Path, fw: Framework) -> None:
    found = problems(typed(filled, {"生产与数字化!D4": "ERP, CRM"}), fw, "en")
    assert found == {"生产与数字化!D4": '"ERP, CRM": separate the ticked options with semicolons (;), '
                                       'as "ERP; CRM"'}
    found = problems(typed(filled, {"生产与数字化!D4": "ERP、CRM"}), fw, "zh")
    assert found == {"生产与数字化!D4": "\"ERP、CRM\"：多个选项请用分号（;）分隔，即「ERP; CRM」"}


@pytest.mark.parametrize(("cell", "want"), [("１２", 12), ("１２．５", Decimal("12.5")), (" 12 ", 12)])
def test_full_width_digits_are_the_same_number(filled: Path, fw: Framework, cell: str, want: Any) -> None:
    assert Decimal(read(typed(filled, {"人力资源!D4": cell}), fw).answers["hr.training_hours"].value) == want


def test_a_percent_sign_or_thousands_separator_is_refused_with_the_number_to_enter(
        filled: Path, fw: Framework) -> None:
    found = problems(typed(filled, {"生产与数字化!D3": "60%", "人力资源!D4": "1,200"}), fw, "en")
    assert found == {
        "生产与数字化!D3": '"60%": enter the number of per cent without the % sign, as 60',
        "人力资源!D4": '"1,200" is not a number as written: enter it without separators, as 1200'}
    # a full-width per cent sign is the same mistake; on a question that is not a percentage
    # a % sign is simply no number
    found = problems(typed(filled, {"生产与数字化!D3": "６０％", "人力资源!D4": "12%"}), fw, "en")
    assert found == {"生产与数字化!D3": '"６０％": enter the number of per cent without the % sign, as 60',
                     "人力资源!D4": '"12%" is not a number'}


@pytest.mark.parametrize("cell", ["2026/3/1", "2026.3.1", "2026年3月1日", "２０２６/０３/０１"])
def test_a_year_first_date_as_text_names_the_date_to_enter(filled: Path, fw: Framework, cell: str) -> None:
    found = problems(typed(filled, {"生产与数字化!D5": cell, "说明!B10": cell}), fw, "en")
    message = f'"{cell}" is not a date as written: enter it as 2026-03-01 (YYYY-MM-DD)'
    assert found == {"生产与数字化!D5": message, "说明!B10": message}


@pytest.mark.parametrize("cell", ["01/03/2026", "3/1/2026", "2026/2/30"])
def test_a_date_whose_day_and_month_are_unclear_or_impossible_is_refused(
        filled: Path, fw: Framework, cell: str) -> None:
    found = problems(typed(filled, {"生产与数字化!D5": cell}), fw, "en")
    assert found == {"生产与数字化!D5": f'"{cell}" is not a date (YYYY-MM-DD)'}


def test_an_iso_date_as_text_reads_as_the_date(filled: Path, fw: Framework) -> None:
    answers = read(typed(filled, {"生产与数字化!D5": "2026-03-01 ", "说明!B10": "２０２６-１１-０１"}), fw)
    assert answers.answers["operations.qms_audit"].value == dt.date(2026, 3, 1)
    assert answers.date == dt.date(2026, 11, 1)


def test_the_answer_guides_say_what_numbers_are_allowed(tmp_path: Path) -> None:
    """zjtx (plugins/tiered/.../zjtx.yaml): the growth rate is in per cent with no range (it may
    be negative: "可为负"), niche years are a number with ``min: 0``. The guide told a
    reader of the growth rate "0–100" and of the years "range 0–+∞"; the profile was named
    by its id (national) where the spec titles it 全国通用."""
    path = tmp_path / "zjtx.xlsx"
    zjtx = default_host().load_framework("zjtx")
    write_questionnaire(zjtx, path, lang="zh")
    wb = load_workbook(path)
    assert wb["说明"]["A2"].value == f"评估框架: zjtx {zjtx.version} · 配置: 全国通用"
    ws = wb["专业化"]  # rows: 3 main-business share, 4 growth, 5 niche years (the spec's order)
    guides = {ws.cell(r, 1).value: ws.cell(r, 10).value.split("\n") for r in (3, 4, 5)}
    assert guides["specialisation.growth_2y"][0] == "百分数本身（12.5 表示 12.5%，不是 0.125）"
    assert not any("100" in line for line in guides["specialisation.growth_2y"][1:])
    assert guides["specialisation.main_share"][1] == "范围 0–100"
    assert guides["specialisation.niche_years"][:2] == ["数值", "不小于 0"]
    errors = {str(dv.sqref): dv.error for dv in ws.data_validations.dataValidation}
    assert errors["D5"] == "请输入数值，不小于 0。"
    assert errors["D3"] == "请输入数值，范围 0–100。"
    assert "∞" not in "".join(str(c.value) for row in ws.iter_rows() for c in row)


def test_spaces_around_a_text_answer_are_not_part_of_it(filled: Path, fw: Framework) -> None:
    """A text answer carried its trailing spaces into the result (and into iso9001's case
    draft: "（示例认证有限公司  ）"); a cell of spaces alone, invisible, counts as empty."""
    answers = read(typed(filled, {"生产与数字化!D7": "  工艺改进中  ", "战略管理!L3": "   ",
                                  "人力资源!F4": " "}), fw)
    assert answers.answers["operations.notes"].value == "工艺改进中"
    answers = read(typed(filled, {"生产与数字化!D7": "    "}), fw)
    assert "operations.notes" not in answers.answers  # optional, so simply unanswered


def test_the_industry_is_picked_by_name_and_read_as_its_code(filled: Path, fw: Framework) -> None:
    """The form asked for a "certification industry category number, e.g. 18", which a firm
    does not know by heart: it now offers the 39 categories by name (the CNCA list,
    smesdk/classifications/cnca.csv: 18 is 机械及设备, Machinery and equipment), still
    takes a bare number, and reads either back as the code answer files hold."""
    wb = load_workbook(filled)
    assert wb["说明"]["B7"].value == "18 – 机械及设备"  # the example firm's industry "18"
    [dv] = [d for d in wb["说明"].data_validations.dataValidation if str(d.sqref) == "B7"]
    assert dv.formula1.endswith("$1:$B$39") and not dv.showErrorMessage
    assert read(filled, fw).enterprise.industry == "18"
    for typed_in in ("18", "18 – Machinery and equipment", "18 – 机械及设备 ", "某行业"):
        want = "某行业" if typed_in == "某行业" else "18"
        wb["说明"]["B7"] = typed_in
        wb.save(filled)
        if want == "18":
            assert read(filled, fw).enterprise.industry == want, typed_in
        else:  # not a category: the engine's own check names it, at the cell
            assert list(problems(filled, fw, "en")) == ["说明!B7"]


def test_the_enterprise_type_is_picked_by_name_and_read_as_answer_files_hold_it(
        filled: Path, fw: Framework) -> None:
    """The type row said "可选，如 zjtx": a code. It now offers the types the reports name
    (locales: type_zjtx 专精特新中小企业, type_innovative 创新型中小企业 / innovative SME)
    and reads a name, in either language, back as that type; any other word is the firm's own."""
    wb = load_workbook(filled)
    assert wb["说明"]["A12"].value == "企业类型（可选）"
    [dv] = [d for d in wb["说明"].data_validations.dataValidation if str(d.sqref) == "B12"]
    assert not dv.showErrorMessage  # a suggestion list
    cases = {"专精特新中小企业": "zjtx", "innovative SME": "innovative", "zjtx": "zjtx",
             "家族企业": "家族企业"}
    for typed_in, want in cases.items():
        assert read(typed(filled, {"说明!B12": typed_in}), fw).enterprise.type == want, typed_in


def test_a_prefilled_type_is_shown_by_its_name(tmp_path: Path, fw: Framework) -> None:
    import attrs

    answers = load_answers(ANSWERS)
    answers = attrs.evolve(answers, enterprise=attrs.evolve(answers.enterprise, type="zjtx"))
    path = tmp_path / "form.xlsx"
    write_questionnaire(fw, path, lang="zh", answers=answers)
    assert load_workbook(path)["说明"]["B12"].value == "专精特新中小企业"
    assert read(path, fw).enterprise.type == "zjtx"


def test_a_long_sheet_name_is_cut_before_an_open_bracket(tmp_path: Path) -> None:
    """Excel allows 31 characters: the digital form's tabs read "Digital operations
    (application" and "Transformation resources (feasi"; the bracket goes, whole."""
    path = tmp_path / "digital.xlsx"
    write_questionnaire(default_host().load_framework("digital"), path, lang="en")
    shown = [ws.title for ws in load_workbook(path).worksheets if ws.sheet_state == "visible"]
    assert "Digital operations" in shown and "Transformation resources" in shown
    assert all(name.count("(") == name.count(")") for name in shown), shown
