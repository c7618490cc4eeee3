"""`smesdk assess management <example>` in zh and en, and bad answers giving one clear error."""

from __future__ import annotations

import copy
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
import yaml

import smesdk
from smesdk import Answer
from smesdk.testing.cli import invoke

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
AREA_TITLES = {
    "zh": ["战略管理", "人力资源管理", "创新管理", "生产管理", "供应链管理", "营销管理",
           "财务管理", "决策管理", "公共形象管理"],
    "en": ["Strategic management", "Human resources management", "Innovation management",
           "Production management", "Supply chain management", "Marketing management",
           "Financial management", "Decision-making management", "Public image management"],
}
# (a wrap before the gain drops its space when the bullet's lines are joined back)
CITED_REC = re.compile(
    r"^  - .+ \[000 [二三四五六七八九十]+（[一二三四五]）(、[^\]]+)?\] \((总分|total) ?\+[\d.]+\)$")


def _bullets(text: str) -> list[str]:
    """The lines of ``text`` with each bullet's wrapped lines (deeper, no bullet of their
    own) joined back: Chinese with nothing between, other text with a space."""
    rows: list[str] = []
    for line in text.splitlines():
        piece = line.strip()
        if rows and rows[-1].startswith("  - ") and line.startswith("    ") and piece[:2] not in (
                "- ", "! ", "* "):
            wide = unicodedata.east_asian_width(rows[-1][-1]) in "WF" or \
                unicodedata.east_asian_width(piece[0]) in "WF"
            rows[-1] += ("" if wide else " ") + piece
        else:
            rows.append(line)
    return rows


run = invoke


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_assess_red_line_example(lang: str) -> None:
    code, text = run("assess", "management", str(EXAMPLES / "struggling_redline.yaml"),
                     "--lang", lang)
    assert code == 0, text
    for title in AREA_TITLES[lang]:
        assert title[:20] in text, title          # the terminal table may cut long titles
    text = "\n".join(_bullets(text))              # prose wraps within 80 columns
    if lang == "zh":
        assert "起步级" in text and "规范级" in text          # level reached, next level
        assert "红线未达：依法缴纳“五险一金”" in text             # the red line, named
        assert "管理诊断（十一（一））" in text                   # section 十一 services
    else:
        assert "Level 1 — Starting" in text and "Level 2 — Standardised" in text
        assert "red line not met: Social insurance and housing fund" in text
        assert "Management diagnosis (十一（一）)" in text
    assert "[000 三（四）]" in text
    cited = [line for line in text.splitlines() if CITED_REC.match(line)]
    assert len(cited) >= 4, text  # the four points recommendations shown, each cited


@pytest.mark.parametrize(("lang", "blocker"), [
    ("zh", "总分还差 10.625 分（需 40）"),
    ("en", "10.625 more points needed (total 40)"),
])
def test_assess_micro_example_shows_points_blocker(lang: str, blocker: str) -> None:
    code, text = run("assess", "management", str(EXAMPLES / "micro_workshop.yaml"),
                     "--lang", lang)
    assert code == 0, text
    assert blocker in text


def test_assess_uses_the_example_profile_and_json() -> None:
    code, text = run("assess", "management", str(EXAMPLES / "zjtx_midsize.yaml"), "--json")
    assert code == 0, text
    data = smesdk.Result.from_json(text)
    assert data.provenance.profile == "zjtx"
    assert data.total == Decimal("78.6250")


def test_explain_an_item() -> None:
    code, text = run("assess", "management", str(EXAMPLES / "micro_workshop.yaml"),
                     "--explain", "production.p3")
    assert code == 0, text
    assert "production.p3.qms_certificate" in text


# -- bad answers -------------------------------------------------------------------------------

BAD = {
    # an option that does not exist
    "option": ("production.p4.pollutant_compliance", "maybe", "violation/compliant/no_discharge"),
    # a percentage of 140
    "percent": ("hr.h3.training_coverage", 140, "0–100"),
    # a missing required answer
    "missing": ("strategy.s1.mission", None, "required"),
}


def bad_file(tmp_path: Path, case: str) -> Path:
    indicator, value, _ = BAD[case]
    data = yaml.safe_load((EXAMPLES / "micro_workshop.yaml").read_text("utf-8"))
    data = copy.deepcopy(data)
    if value is None:
        del data["answers"][indicator]
    else:
        data["answers"][indicator] = value
    path = tmp_path / f"bad_{case}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


@pytest.mark.parametrize("case", list(BAD))
def test_bad_answer_gives_one_clear_error_in_the_library(case: str) -> None:
    indicator, value, words = BAD[case]
    answers = smesdk.load_answers(EXAMPLES / "micro_workshop.yaml")
    new = dict(answers.answers)
    if value is None:
        del new[indicator]
    else:
        new[indicator] = Answer(value=value)
    fw = smesdk.load_framework("management")
    with pytest.raises(smesdk.AnswerError) as err:
        fw.assess(attrs.evolve(answers, answers=new))
    problems = err.value.problems
    assert len(problems) == 1
    assert indicator in problems[0].path
    assert words in problems[0].message


@pytest.mark.parametrize("case", list(BAD))
def test_bad_answer_gives_one_clear_line_and_no_score_on_the_cli(tmp_path: Path, case: str) -> None:
    indicator, _, words = BAD[case]
    code, text = run("assess", "management", str(bad_file(tmp_path, case)))
    assert code == 1
    lines = [line for line in text.splitlines() if line.strip()]
    problem_lines = [line for line in lines if indicator in line]
    assert len(problem_lines) == 1 and words in problem_lines[0]
    assert len(lines) <= 2                       # a heading and the problem, nothing else
    assert "Total" not in text and "总分" not in text
