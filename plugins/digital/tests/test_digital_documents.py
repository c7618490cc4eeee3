"""Issue 16: the digital framework's three documents, each with what it is the source of,
in the report (HTML, Markdown), the questionnaire and the framework docs page."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

import smesdk
from smesdk.cli import cli
from smesdk.questionnaire import write_questionnaire
from smesdk.report import render_html, render_markdown

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "02_level1.yaml"
ROLES_EN = ["the scoring: points, scene levels and level rules",
            "the advice, the priority matrix and the product categories",
            "the 2022 level bands (the 2022-edition profiles)"]
ROLES_ZH = ["计分、场景等级与评级依据", "改进建议、优先级矩阵与产品类别",
            "2022年版等级区间（2022年版配置）"]


def _assessed() -> tuple[smesdk.Framework, smesdk.Result]:
    answers = smesdk.load_answers(EXAMPLE)
    fw = smesdk.load_framework("digital", answers.profile)
    return fw, fw.assess(answers)


def test_the_scoring_document_is_the_2024_index_and_every_document_says_its_role() -> None:
    fw, _ = _assessed()
    assert fw.spec.source.number == "工信厅企业〔2024〕56号"
    docs = [fw.spec.source, *fw.spec.references]
    assert [d.role.en for d in docs if d.role] == ROLES_EN


def test_reports_list_each_document_with_its_role() -> None:
    fw, result = _assessed()
    for role in ROLES_EN:
        assert role in render_markdown(result, fw, lang="en")
    html = render_html(result, fw, lang="zh")
    for role in ROLES_ZH:
        assert role in html


def test_the_questionnaire_and_the_docs_page_name_them_too(tmp_path: Path) -> None:
    fw, _ = _assessed()
    path = tmp_path / "form.xlsx"
    write_questionnaire(fw, path, lang="en")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    cell = str(sheet.cell(3, 1).value)
    assert all(role in cell for role in ROLES_EN)
    page = CliRunner().invoke(cli, ["docs", "digital", "--lang", "en"])
    assert page.exit_code == 0, page.output
    assert all(role in page.output for role in ROLES_EN)
