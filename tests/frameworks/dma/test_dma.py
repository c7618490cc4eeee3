"""The English-and-German DMA-like test framework end to end: it validates, passes the test
kit (language completeness included), assesses to hand-computed scores, reports in de and en,
round-trips its German questionnaire and batch-scores equal to per record."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook

import smesdk
from smesdk.convert import parse_text
from smesdk.loading import spec_from_data
from smesdk.questionnaire import read_questionnaire, write_questionnaire
from smesdk.report import render_html, render_markdown
from smesdk.testing import FrameworkSuite
from smesdk.text import Locale
from tests.batch.test_equality import answer_row, check

HERE = Path(__file__).parent
SPEC = HERE / "dma.yaml"
EXAMPLES = sorted((HERE / "examples").glob("*.yaml"))


class TestDmaFramework(FrameworkSuite):
    """The kit plugin authors run: conformance, languages, properties, the examples."""

    framework = str(SPEC)
    examples = str(HERE / "examples" / "*.yaml")


@pytest.fixture(scope="module")
def fw() -> smesdk.Framework:
    return smesdk.load_framework(str(SPEC))


def _average() -> smesdk.AnswerSet:
    return smesdk.load_answers(HERE / "examples" / "01_average.yaml")


def test_assesses_to_the_hand_computed_scores(fw: smesdk.Framework) -> None:
    # 01_average.yaml, worked out in its header: dimension scores (as fractions), their mean.
    dims = {"strategy": Fraction(23, 40), "readiness": Fraction(3, 5),
            "people": Fraction(7, 12), "data": Fraction(19, 30),
            "automation": Fraction(1, 5), "green": Fraction(3, 8)}
    result = fw.assess(_average())
    for did, score in dims.items():
        assert abs(Fraction(result.dimension(did).score) - score * 100) < Fraction(1, 10**4), did
    total = sum(dims.values()) / 6 * 100
    assert total == Fraction(4450, 90)  # 89/180 × 100
    assert abs(Fraction(result.total) - total) < Fraction(1, 10**4)
    assert result.level is not None and result.level.id == "average"


def test_a_total_on_a_published_edge_belongs_to_the_band_below(fw: smesdk.Framework) -> None:
    # 04_on_the_edge.yaml, worked out in its header: the grid rule gives design, operations
    # and marketing 1 each and logistics (planned only) 0.5 -> 3.5 of 5; the total is exactly
    # 50, the top of the published "26–50".
    result = fw.assess(smesdk.load_answers(HERE / "examples" / "04_on_the_edge.yaml"))
    assert result.indicator("strategy.areas").points == Decimal("3.5")
    assert result.total == Decimal(50)
    assert result.level is not None and result.level.id == "average"
    assert result.next_level is not None and result.next_level.level.id == "moderately_advanced"


def test_reports_in_german_with_the_core_labels_falling_back_to_english(
        fw: smesdk.Framework) -> None:
    html = render_html(fw.assess(_average()), fw, lang="de")
    # The framework's own texts in German, none marked as a fallback.
    for german in ("Bewertung der digitalen Reife von KMU", "Digitale Geschäftsstrategie",
                   "Durchschnittlich", "Marketing und Vertrieb"):
        assert german in html, german
    assert "Digital business strategy" not in html
    assert 'class="fallback"' not in html
    # The core has no German catalog: its labels follow the chain de → en, never empty.
    assert "Assessment report" in html and "Dimension scores" in html
    # No empty heading cell, except the corner of an answer grid.
    assert not re.search(r"<th>\s*</th>", re.sub(r'<table class="grid">.*?</table>', "", html,
                                                 flags=re.S))
    md = render_markdown(fw.assess(_average()), fw, lang="de")
    assert "Digitale Bereitschaft" in md and "[en]" not in md


def test_reports_in_english(fw: smesdk.Framework) -> None:
    html = render_html(fw.assess(_average()), fw, lang="en")
    assert "Digital business strategy" in html and "Average" in html
    assert "Digitale Geschäftsstrategie" not in html and 'class="fallback"' not in html


def test_a_report_in_chinese_is_refused(fw: smesdk.Framework) -> None:
    with pytest.raises(smesdk.SmesdkError, match="its languages are en, de"):
        render_html(fw.assess(_average()), fw, lang="zh")


def test_the_german_questionnaire_round_trips(fw: smesdk.Framework, tmp_path: Path) -> None:
    answers = _average()
    form = tmp_path / "dma-de.xlsx"
    write_questionnaire(fw, form, lang="de", answers=answers)
    wb = load_workbook(form)
    cells = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if c.value is not None}
    assert "Digitale Geschäftsstrategie" in wb.sheetnames
    assert "In welchen Geschäftsbereichen hat das Unternehmen bereits in die Digitalisierung " \
           "investiert, und wo plant es das?" in cells
    # The areas grid in German: its columns across, its rows down, answers as option labels.
    assert {"bereits investiert", "Investition geplant", "Betrieb", "ja", "nein"} <= cells
    read = read_questionnaire(form, fw)
    assert read.answers == answers.answers
    assert fw.assess(read).total == fw.assess(answers).total


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_batch_scores_equal_per_record(fw: smesdk.Framework, path: Path) -> None:
    answers = smesdk.load_answers(path)
    row = answer_row(answers, path.stem)
    assert check(fw, [row]) == 0            # compiled, and equal to per record
    assert check(fw, [row], "text") == 0    # the same from text cells
    assert fw.assess(answers).total == Decimal(str(answers.expected["total"]))


def test_a_version_diff_and_the_store_keep_the_framework_languages(
        fw: smesdk.Framework, tmp_path: Path) -> None:
    from smesdk.spec_diff import diff_frameworks
    from smesdk.store import open_store

    data = parse_text(SPEC.read_text(encoding="utf-8"), "yaml")
    data["version"] = "0.2.0"
    data["dimensions"][4]["indicators"][0]["title"]["de"] = "KI-Einsatz"
    newer = smesdk.Framework.from_spec(spec_from_data(data, "yaml"))
    changes = diff_frameworks(fw, newer).changes
    assert [c.title.get(Locale("de")) for c in changes if c.id == "automation.ai"] == ["KI-Einsatz"]
    store = open_store(str(tmp_path / "store.sqlite"))
    store.record(fw, _average(), result=fw.assess(_average()))
    assert store.framework_title(fw.content_hash).get("de") == \
        "Bewertung der digitalen Reife von KMU (Testrahmen)"


def test_the_reference_page_and_explain_in_german(fw: smesdk.Framework) -> None:
    from smesdk.docs.framework_page import framework_page
    from smesdk.languages import locale

    page = framework_page(fw, "de")
    assert "# Bewertung der digitalen Reife von KMU (Testrahmen)" in page
    assert "`strategy` Digitale Geschäftsstrategie" in page and "## Dimensions" in page
    with pytest.raises(smesdk.SmesdkError, match="its languages are en, de"):
        framework_page(fw, "zh")
    # explain: the core's rule texts have no German, so they follow de → en, unmarked (and
    # quote the option in English, the language of that text).
    trace = fw.assess(_average()).explain("automation.ai", locale(fw.spec, "de"))
    assert "rule: level 1 'considering it': 1 point" in trace and "[en]" not in trace
