"""The Markdown report: escaping keeps user text literal and tables whole."""

from __future__ import annotations

import re
from typing import Any

import smesdk
from smesdk.framework import Framework
from smesdk.report import render_markdown
from smesdk.report.markdown import md
from smesdk.result import Result

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def test_md_escapes_markup_and_flattens_lines() -> None:
    assert md("A|B") == "A\\|B"
    assert md("<script>alert(1)</script>") == "\\<script\\>alert(1)\\</script\\>"
    assert md("*x* _y_ `z` [l](u) ![i](u) #h ~s~ & \\") == (
        "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\!\\[i\\](u) \\#h \\~s\\~ \\& \\\\")
    assert md("line one\n| line two") == "line one \\| line two"


def test_content_sections(example_fw: Framework, example_result: Result) -> None:
    out = render_markdown(example_result, example_fw, lang="zh")
    for heading in ("## 企业概况", "## 等级", "## 维度得分", "## 差距", "## 改进建议",
                    "## 评分明细（每个指标）", "## 出处标记"):
        assert heading in out
    assert "**总分** 72.50 / 100 · **等级** 规范级 (推导)" in out
    assert "- 优秀级 70+ (推导) ← 下一级" in out
    # strategy.plan: +12.5 points (0.5 * 2/4 * 1/2 * 100), cited to 二（一） of the guide.
    assert "| 目标分解 | 50.0 | 100.0 | +12.50 |" in out and "strategy.plan" not in out
    assert "《工业中小企业管理提升指南（试行）》 工信厅企业〔2024〕54号 二（一）" in out
    assert "<svg" not in out


def test_hostile_name_cannot_break_a_table(example_fw: Framework, example_data: dict[str, Any]) -> None:
    example_data["enterprise"]["name"] = "A|B <script>alert(1)</script>\n| x | y |"
    example_data.pop("expected")
    result = example_fw.assess(smesdk.answers_from_data(example_data, "yaml"))
    out = render_markdown(result, example_fw, lang="en")
    assert "<script>" not in out
    table = out[out.index("| Enterprise profile"):].split("\n\n", 1)[0].splitlines()
    assert all(len(_UNESCAPED_PIPE.findall(row)) == 3 for row in table)   # 2 columns, 3 pipes
    assert "| Name | A\\|B \\<script\\>alert(1)\\</script\\> \\| x \\| y \\| |" in table
