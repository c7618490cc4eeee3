"""Typed report sections: a third-party plugin's section renders in every format, every
official plugin's extras arrive as typed sections, and anything else is refused by name."""

from __future__ import annotations

import types
from decimal import Decimal
from pathlib import Path

import pytest

import smesdk
from smesdk import PluginHost, Text, hookimpl
from smesdk.cli.render import result_text
from smesdk.report import render_html, render_markdown
from smesdk.report.sections import Callout, Chart, Grid, SectionError, Series, Table, check

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def hooktest() -> tuple[smesdk.Framework, smesdk.Result]:
    fw = PluginHost().load_framework("hooktest")
    answers = smesdk.answers_from_data({"framework": "hooktest", "date": "2026-01-01",
                                        "enterprise": {"name": "星星工坊", "size": "micro"},
                                        "answers": {"quality.a": "***", "quality.b": "*****"}})
    return fw, fw.assess(answers)


def test_a_third_party_section_renders_in_html_markdown_and_the_terminal(hooktest) -> None:
    fw, result = hooktest
    # two of two indicators are scored, so the plugin's callout says "2 items rated"
    html = render_html(result, fw, lang="en")
    assert 'data-section="stars"' in html and "2 items rated" in html
    assert '<span class="badge derived">derived</span>' in html
    md = render_markdown(result, fw, lang="zh")
    assert "### 星级小结 (推导)" in md and "已评 2 项" in md
    text = result_text(fw, result, "en")
    assert "Star summary (derived):" in text and "2 items rated" in text
    import io

    from pypdf import PdfReader

    from smesdk.report import render_pdf

    pages = PdfReader(io.BytesIO(render_pdf(result, fw, lang="en"))).pages
    words = "".join("".join(p.extract_text().replace("\x00", "").split()) for p in pages)
    assert "Starsummary(derived)" in words and "2itemsrated" in words


def test_extension_data_is_never_dumped_outside_technical_details(hooktest) -> None:
    fw, result = hooktest
    html = render_html(result, fw, lang="en")
    before, technical = html.split('<details class="technical">', 1)
    assert "answered" not in before and "answered" in technical
    assert "answered:" not in render_markdown(result, fw, lang="en")
    assert "answered" not in result_text(fw, result, "en")


@pytest.mark.parametrize("plugin, example, section", [
    ("digital", "03_level2_blocked_by_scenes.yaml", "digital.scenes"),
    ("digital", "03_level2_blocked_by_scenes.yaml", "digital.priority"),
    ("quality-brand", "expired-certificate.yaml", "quality-brand.zjtx6"),
    ("management", "struggling_redline.yaml", "management.red_lines"),
    ("iso9001", "02_running_four_months.yaml", "iso9001.steps"),
    ("iso9001", "02_running_four_months.yaml", "iso9001.diagnosis"),
])
def test_official_plugins_hand_over_typed_sections(plugin: str, example: str, section: str) -> None:
    answers = smesdk.load_answers(ROOT / "plugins" / plugin / "examples" / example)
    fw = smesdk.load_framework(plugin, answers.profile)
    html = render_html(fw.assess(answers), fw, lang="zh")
    assert f'data-section="{section}"' in html


def test_the_red_line_table_shows_the_failed_line_and_its_cap() -> None:
    answers = smesdk.load_answers(ROOT / "plugins/management/examples/struggling_redline.yaml")
    fw = smesdk.load_framework("management", answers.profile)
    md = render_markdown(fw.assess(answers), fw, lang="zh")
    # the example leaves 五险一金 unpaid: that red line fails and caps the level at 起步级
    assert "| 依法缴纳“五险一金” | 未守住 | 等级最高为「起步级」 |" in md


def test_anything_but_a_section_type_is_refused_naming_the_plugin() -> None:
    with pytest.raises(SectionError) as err:
        check("rogue", [{"key": "value"}])
    assert "rogue: section 1" in str(err.value) and "dict is not a report section" in str(err.value)

    @hookimpl
    def smesdk_report_sections(framework, result):  # type: ignore[no-untyped-def]
        return [{"raw": "dump"}]

    plugin = types.SimpleNamespace(smesdk_report_sections=smesdk_report_sections)
    fw = PluginHost(plugins=[("rogue", plugin)]).load_framework("example")
    result = fw.assess(smesdk.load_answers(ROOT / "examples/answers/example-small-firm.yaml"))
    with pytest.raises(SectionError, match="rogue"):
        render_html(result, fw, lang="en")


def test_sizes_that_disagree_are_refused() -> None:
    t = Text(zh="甲", en="A")
    bad = [Table(id="t", title=t, columns=[t, t], rows=[["x"]]),
           Grid(id="g", title=t, rows=[t], columns=[t, t], cells=[["x"]]),
           Chart(id="c", title=t, kind="bar", labels=[t, t],
                 series=[Series(name=t, values=[Decimal(1)])])]
    with pytest.raises(SectionError) as err:
        check("p", bad)
    text = str(err.value)
    assert "rows [1] do not have 2 cells" in text and "every row needs 2 cells" in text
    assert "has 1 values for 2 labels" in text
    assert check("p", [Callout(id="ok", title=t, body=t)])[0].id == "ok"


def _every_shape() -> list[object]:
    from smesdk.report.sections import Item, Ladder, RankedList, Step

    t = Text
    return [
        Table(id="s.table", title=t("表", "A table"), columns=[t("甲", "A"), t("乙", "B")],
              rows=[["x", Decimal("1.5")]], numeric=[False, True], status="official"),
        RankedList(id="s.list", title=t("清单", "A list"), items=[Item(text=t("先做", "First"))]),
        Callout(id="s.callout", title=t("提示", "A callout"), body=t("注意", "Mind this"),
                figure="3 / 5", tone="warning"),
        Ladder(id="s.ladder", title=t("步骤", "Steps"),
               steps=[Step(title=t("一", "One"), state="done"), Step(title=t("二", "Two"), state="next")]),
        Grid(id="s.grid", title=t("矩阵", "A grid"), rows=[t("行", "Row")], columns=[t("列", "Col")],
             cells=[["●"]], marked=[0], marker=t("★", "★"), highlight=[(0, 0)]),
        Chart(id="s.bars", title=t("柱", "Bars"), kind="bar", labels=[t("甲", "A"), t("乙", "B")],
              series=[Series(name=t("本次", "Now"), values=[Decimal(40), Decimal(80)])]),
        Chart(id="s.radar", title=t("雷达", "Radar"), kind="radar",
              labels=[t("甲", "A"), t("乙", "B"), t("丙", "C")],
              series=[Series(name=t("本次", "Now"), values=[Decimal(40), Decimal(80), None]),
                      Series(name=t("目标", "Goal"), values=[Decimal(60)] * 3, style="target")]),
    ]


def test_every_section_shape_renders_in_every_format() -> None:
    import io

    from pypdf import PdfReader

    from smesdk.report import render_pdf

    @hookimpl
    def smesdk_report_sections(framework, result):  # type: ignore[no-untyped-def]
        return _every_shape()

    plugin = types.SimpleNamespace(smesdk_report_sections=smesdk_report_sections)
    fw = PluginHost(plugins=[("shapes", plugin)]).load_framework("example")
    result = fw.assess(smesdk.load_answers(ROOT / "examples/answers/example-small-firm.yaml"))
    html = render_html(result, fw, lang="en")
    for sid in ("s.table", "s.list", "s.callout", "s.ladder", "s.grid", "s.bars", "s.radar"):
        assert f'data-section="{sid}"' in html, sid
    assert html.count('<svg class="chart radar"') == 2 and 'class="series series-target"' in html
    md = render_markdown(result, fw, lang="en")
    assert "| x | 1.5 |" in md and "> **3 / 5** — Mind this" in md and "- ✓ One" in md
    assert "| Row ★ | ● |" in md and "| A | 40 |" in md
    text = result_text(fw, result, "en")
    assert "A callout:" in text and "» 3 / 5 — Mind this" in text and "→ Two" in text
    pdf = PdfReader(io.BytesIO(render_pdf(result, fw, lang="en")))
    words = "".join(page.extract_text() for page in pdf.pages).replace("\x00", "")
    assert "Mindthis" in "".join(words.split()) and "AcalloutMindthis" not in words


def test_a_plugin_that_raises_is_named_in_the_report_not_a_traceback() -> None:
    @hookimpl
    def smesdk_report_sections(framework, result):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    plugin = types.SimpleNamespace(smesdk_report_sections=smesdk_report_sections)
    fw = PluginHost(plugins=[("rogue", plugin)]).load_framework("example")
    result = fw.assess(smesdk.load_answers(ROOT / "examples/answers/example-small-firm.yaml"))
    md = render_markdown(result, fw, lang="en")
    assert "### Missing: plugin rogue" in md and "RuntimeError: boom" in md
