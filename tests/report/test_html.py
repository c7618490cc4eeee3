"""The HTML report as a string: content, escaping, languages, self-containment, targets."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import attrs
import pytest

import smesdk
from smesdk.framework import Framework
from smesdk.report import ReportError, render_html, render_markdown
from smesdk.report.html import text_html
from smesdk.result import Result
from smesdk.text import Locale, Text

from .conftest import digital_pair

HOSTILE = "<script>alert(1)</script>"


def test_profile_level_and_ladder(example_fw: Framework, example_result: Result) -> None:
    html = render_html(example_result, example_fw, lang="zh")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in html
    assert "示例精密机械有限公司" in html and "王工" in html and "浙江省宁波市" in html
    assert "<strong>72.50</strong> / 100" in html        # total 72.5, shown with 2 decimals
    # The ladder lists every level, the reached one and the next marked.
    assert re.search(r'<li class="reached" data-level="standard">', html)
    assert re.search(r'<li class="next" data-level="advanced">', html)
    assert re.search(r'<li class="passed" data-level="basic">', html)
    # What blocks "advanced": its gate on strategy (62.5 < 75).
    assert "升至下一级尚需: 优秀级" in html and "62.5" in html


def test_radar_has_a_vertex_per_top_dimension(example_fw: Framework, example_result: Result) -> None:
    html = render_html(example_result, example_fw, lang="zh")
    radar = re.search(r'<svg class="chart radar".*?</svg>', html, re.S)
    assert radar is not None
    assert 'data-axes="3"' in radar.group(0) and radar.group(0).count('class="vertex"') == 3


def test_gaps_recommendations_with_citation(example_fw: Framework, example_result: Result) -> None:
    html = render_html(example_result, example_fw, lang="zh")
    # strategy.plan: 50 % -> 100 %; strategy weighs 2 of 4 and plan is 1 of its 2 indicators,
    # so the gain is 0.5 * (2/4) * (1/2) * 100 = 12.5 points.
    assert re.search(r"<td>目标分解</td><td class=\"num\">50\.0</td>\s*<td class=\"num\">100\.0</td>"
                     r"<td class=\"num\">\+12\.50</td>", html, re.S)
    assert "《工业中小企业管理提升指南（试行）》 工信厅企业〔2024〕54号 二（一）" in html


def test_every_indicator_has_a_trace(example_fw: Framework, example_result: Result) -> None:
    html = render_html(example_result, example_fw, lang="en")
    traced = re.findall(r'<details class="indicator" data-indicator="([^"]+)">', html)
    assert sorted(traced) == sorted(example_fw.indicator_ids)
    assert "社保缴费凭证 2026-10" in html          # evidence of hr.insurance
    assert example_result.provenance.content_hash in html


def test_self_contained_and_printable(example_fw: Framework, example_result: Result) -> None:
    html = render_html(example_result, example_fw, lang="zh")
    assert "<script" not in html and " src=" not in html and " href=" not in html
    assert "url(" not in html and "@import" not in html
    assert set(re.findall(r"https?://[^\"'\s<>]+", html)) == {"http://www.w3.org/2000/svg"}
    assert "@media print" in html and "break-before: page" in html


def test_output_is_deterministic(example_fw: Framework, example_result: Result) -> None:
    assert render_html(example_result, example_fw) == render_html(example_result, example_fw)
    assert render_markdown(example_result, example_fw) == render_markdown(example_result, example_fw)


def _hostile(data: dict[str, Any]) -> dict[str, Any]:
    data["enterprise"]["name"] = HOSTILE
    data["enterprise"]["region"] = "<img src=x onerror=alert(2)>"
    data["assessor"] = '"><svg onload=alert(3)>'
    data["answers"]["hr.insurance"]["evidence"]["reference"] = "</td><script>alert(4)</script>"
    data.pop("expected")
    return data


def test_user_text_is_escaped(example_fw: Framework, example_data: dict[str, Any]) -> None:
    result = example_fw.assess(smesdk.answers_from_data(_hostile(example_data), "yaml"))
    html = render_html(result, example_fw, lang="en")
    assert "<script" not in html and "<img" not in html and "<svg onload" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "&#34;&gt;&lt;svg onload=alert(3)&gt;" in html
    assert "&lt;/td&gt;&lt;script&gt;alert(4)&lt;/script&gt;" in html


def test_english_labels(example_fw: Framework, example_result: Result) -> None:
    html = render_html(example_result, example_fw, lang="en")
    assert '<html lang="en">' in html and "Assessment report" in html and "Provenance" in html
    for zh in ("评估报告", "企业概况", "改进建议", "出处标记", "维度得分"):
        assert zh not in html
    assert "Strategic management" in html and "战略管理" not in html


def test_missing_translation_falls_back_with_a_marker() -> None:
    # Validation refuses a framework text missing a declared language; the marker is for a
    # language outside the reader's chain (e.g. a core text asked for in another language).
    assert text_html(Text(zh="战略管理", en=""), "en") == (
        '<span class="fallback" title="No English text here: shown in Chinese">ZH</span>'
        '<span lang="zh-CN">战略管理</span>')
    assert text_html(Text(zh="", en="A & B"), "zh").endswith('<span lang="en">A &amp; B</span>')
    assert text_html(Text(en="Total"), "de") == (
        '<span class="fallback" title="No German text here: shown in English">EN</span>'
        '<span lang="en">Total</span>')


def test_fallback_along_the_declared_chain_is_unmarked() -> None:
    # A German reader whose framework falls back to English: no marker, the language tagged.
    assert text_html(Text(en="Total"), Locale("de", ("en",))) == '<span lang="en">Total</span>'
    assert text_html(Text(en="Total", de="Summe"), Locale("de", ("en",))) == "Summe"


def test_compare_draws_the_earlier_assessment(example_fw: Framework, example_result: Result,
                                              earlier_result: Result) -> None:
    html = render_html(example_result, example_fw, lang="en", compare=earlier_result)
    assert 'class="series series-compare"' in html
    # strategy 62.5 now, 12.5 then: +50.00; total 72.5 now, 47.5 then: +25.00.
    assert re.search(r"Strategic management <span.*?</td>.*?<td class=\"num\">12\.5</td><td class=\"num\">"
                     r"\+50\.00</td>", html, re.S)
    shown = re.sub(r"<[^>]+>", "", html)   # what the reader sees (a date sits in a nowrap span)
    assert "Earlier assessment (2025-11-01): Total 47.50" in shown and "Change +25.00" in html
    md = render_markdown(example_result, example_fw, lang="en", compare=earlier_result)
    assert "| Strategic management | 62.5 | 3.75 / 6.00 | 12.5 | +50.00 |" in md


def test_target_level_uses_its_minimum_and_gate(example_fw: Framework, example_result: Result) -> None:
    # "advanced" starts at a total of 70 and its gate asks strategy >= 75: targets 75, 70, 70.
    md = render_markdown(example_result, example_fw, lang="en", target="advanced")
    assert "| Strategic management | 62.5 | 3.75 / 6.00 | 75.0 |" in md
    assert "| Human resources | 75.0 | 2.25 / 3.00 | 70.0 |" in md
    assert "| Production and digitalisation | 90.0 | 9.00 / 10.00 | 70.0 |" in md
    html = render_html(example_result, example_fw, lang="en", target="advanced")
    assert 'class="series series-target"' in html and "Target: Advanced" in html


def test_target_mapping(example_fw: Framework, example_result: Result) -> None:
    md = render_markdown(example_result, example_fw, lang="en", target={"strategy": 80, "hr": "90.5"})
    assert "| Strategic management | 62.5 | 3.75 / 6.00 | 80.0 |" in md
    assert "| Human resources | 75.0 | 2.25 / 3.00 | 90.5 |" in md
    assert "| Production and digitalisation | 90.0 | 9.00 / 10.00 | — |" in md


def test_bad_targets_are_all_reported(example_fw: Framework, example_result: Result) -> None:
    with pytest.raises(ReportError) as err:
        render_html(example_result, example_fw, target={"nope": 1, "hr": 120, "strategy": "x"})
    assert [p.path for p in err.value.problems] == ["target.nope", "target.hr", "target.strategy"]
    with pytest.raises(ReportError, match=r"no level 'top'.*basic, standard, advanced"):
        render_markdown(example_result, example_fw, target="top")


def test_compare_must_be_the_same_framework(example_fw: Framework, example_result: Result) -> None:
    other = attrs.evolve(example_result, provenance=attrs.evolve(example_result.provenance,
                                                                 framework="management"))
    with pytest.raises(ReportError) as err:
        render_html(example_result, example_fw, compare=other)
    assert err.value.problems[0].path == "compare" and "'management'" in err.value.problems[0].message


def test_yes_no_answers_in_the_report_language(example_fw: Framework, example_result: Result) -> None:
    # hr.insurance is answered true.
    zh = render_html(example_result, example_fw, lang="zh")
    en = render_html(example_result, example_fw, lang="en")
    insurance = r'data-indicator="hr.insurance">.*?<th>{}</th><td>{}</td>'
    assert re.search(insurance.format("答案", "是"), zh, re.S)
    assert re.search(insurance.format("Answer", "yes"), en, re.S)


def test_compare_and_target_are_drawn_together(example_fw: Framework, example_result: Result,
                                               earlier_result: Result) -> None:
    html = render_html(example_result, example_fw, lang="en", compare=earlier_result,
                       target="advanced")
    radar = re.search(r'<svg class="chart radar".*?</svg>', html, re.S)
    assert radar is not None
    # three outlines: this assessment, the earlier one, and the target level's
    assert {"current", "compare", "target"} <= set(re.findall(r'series series-(\w+)', radar.group(0)))
    assert 'swatch compare' in html and 'swatch target' in html and "Target: Advanced" in html


def test_the_earlier_tick_on_the_bars_has_a_legend() -> None:
    # The bars mark the earlier score with a tick; a printed page has no tooltip, so the
    # figure names what the tick is, with its date (the earlier answers are of 2025-11-01).
    fw, earlier, now = digital_pair()
    html = render_html(now, fw, lang="zh", compare=earlier)
    figure = re.search(r'<figure class="bars-figure">(.*?)</figure>', html, re.S)
    assert figure is not None and 'class="marker"' in figure.group(1)
    legend = re.sub(r"<[^>]+>", "", figure.group(1).split("</svg>", 1)[1])
    assert "上次评估 2025-11-01" in legend and "本次" in legend
    alone = render_html(now, fw, lang="zh")
    assert 'class="swatch marker"' not in alone


def test_trace_notes_speak_the_report_language() -> None:
    # The certificate's evidence expired on 2026-03-31 (the example's own comment): the
    # engine's note is English only; a zh report says it with the warning's Chinese text.
    path = smesdk.load_answers(
        __import__("pathlib").Path(__file__).parents[2]
        / "plugins/quality-brand/examples/expired-certificate.yaml")
    fw = smesdk.load_framework("quality-brand", path.profile)
    result = fw.assess(path)
    zh = re.sub(r"<[^>]+>", "", render_html(result, fw, lang="zh"))
    assert "evidence expired" not in zh
    assert "证据已于 2026-03-31 过期" in zh
    en = re.sub(r"<[^>]+>", "", render_html(result, fw, lang="en"))
    assert "evidence expired on 2026-03-31" in en


def test_uncharted_dimensions_are_listed_in_the_report_language() -> None:
    # iso9001's first example charts its sub-dimensions and lists the thirteen steps it
    # cannot chart: with commas in English, the 顿号 only in Chinese.
    answers = smesdk.load_answers(__import__("pathlib").Path(__file__).parents[2]
                                  / "plugins/iso9001/examples/01_just_surveyed.yaml")
    fw = smesdk.load_framework("iso9001", answers.profile)
    result = fw.assess(answers)
    for lang, sep in (("en", ", "), ("zh", "、")):
        found = re.search(r'<p class="muted uncharted">(.*?)</p>', render_html(result, fw, lang=lang), re.S)
        assert found is not None
        names = re.sub(r"<[^>]+>", "", found.group(1)).split(": ", 1)[1]
        assert names.count(sep) == 12, lang
        if lang == "en":
            assert "、" not in names


def test_a_standard_is_named_once_in_a_citation() -> None:
    # iso9001 cites clause 8.7 of 《质量管理体系 要求》, whose number is the standard itself
    # (ISO 9001:2015 / GB/T 19001-2016): the citation reads "… 8.7", not "… 8.7 ISO 9001…".
    answers = smesdk.load_answers(__import__("pathlib").Path(__file__).parents[2]
                                  / "plugins/iso9001/examples/02_running_four_months.yaml")
    fw = smesdk.load_framework("iso9001", answers.profile)
    result = fw.assess(answers)
    for text in (re.sub(r"<[^>]+>", "", render_html(result, fw, lang="zh")),
                 render_markdown(result, fw, lang="zh")):
        assert "ISO 9001:2015 / GB/T 19001-2016 8.7" in text
        assert "8.7 ISO 9001:2015" not in text


@pytest.mark.parametrize(("lang", "line"), [
    # Digital's level titles start with the word the score line put before them.
    ("en", "Total <strong>37.13</strong> / 100 ·\n <strong>Level 1</strong>"),
    ("zh", "总分 <strong>37.13</strong> / 100 ·\n等级 <strong>一级</strong>"),
])
def test_the_score_line_does_not_say_level_twice(lang: str, line: str) -> None:
    answers = smesdk.load_answers(Path(__file__).parents[2] / "plugins/digital/examples/02_level1.yaml")
    fw = smesdk.load_framework("digital", answers.profile)
    html = render_html(fw.assess(answers), fw, lang=lang)  # type: ignore[arg-type]
    assert line in html and "Level <strong>Level" not in html
