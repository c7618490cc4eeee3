"""`smesdk docs`: framework reference pages and the CLI reference, from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import smesdk
from smesdk.cli import cli
from smesdk.docs import framework_page


def _run(*args: str) -> tuple[int, str]:
    run = CliRunner().invoke(cli, list(args), prog_name="smesdk")
    return run.exit_code, run.output


def test_framework_page_shows_the_rules_of_the_spec() -> None:
    page = framework_page(smesdk.load_framework("example"), "en")
    # From example.yaml: training hours bands [0, 8) 0, [8, 24) 1, ≥ 24 2.
    assert "| 0 ≤ x < 8 | 0 |" in page and "| 8 ≤ x < 24 | 1 |" in page and "| 24 ≤ x | 2 |" in page
    # The advanced level's gate, nested as declared: all of (strategy ≥ 75, any of (...)).
    assert "- all of:\n    - `strategy` Strategic management score ≥ 75\n    - any one of:" in page
    # The red line and the quick profile.
    assert "unless this holds, at most `basic`" in page
    assert "- keeps only: `strategy.mission`, `hr.insurance`, `operations.monitoring`" in page
    # Citations and statuses of indicators; Chinese concept names beside the English.
    assert "status **derived** · source 000 二（一）" in page
    assert "Strategic management (战略管理)" in page


def test_framework_page_in_chinese_uses_the_frameworks_chinese_texts() -> None:
    page = framework_page(smesdk.load_framework("example"), "zh")
    assert page.startswith("# 中小企业管理基础自查（示例）\n")
    assert "问题：企业是否明确并宣贯使命、愿景和价值观？" in page
    assert "Strategic management" not in page


def test_docs_prints_writes_and_refuses_misuse(tmp_path: Path) -> None:
    code, out = _run("docs", "example", "--lang", "en")
    assert code == 0 and out.startswith("# SME management basics self-check (example)")
    target = tmp_path / "sub" / "example.md"
    code, out = _run("docs", "example", "--lang", "en", "-o", str(target))
    assert code == 0 and target.read_text(encoding="utf-8").startswith("# SME management")
    code, out = _run("docs", "--cli")
    assert code == 0 and "## `smesdk assess`" in out and "## `smesdk docs`" in out
    code, out = _run("docs")
    assert code == 2 and "give either a FRAMEWORK id or --cli" in out
    code, out = _run("docs", "example", "--cli")
    assert code == 2


def test_docs_for_an_unknown_framework_is_a_clear_error() -> None:
    code, out = _run("docs", "no-such-framework")
    assert code == 1 and "no framework 'no-such-framework'" in out
    assert "Traceback" not in out


def test_docs_all_writes_every_generated_page(tmp_path: Path) -> None:
    (tmp_path / "schemas.md").write_text("<!-- schema-tables: answers -->\n<!-- /schema-tables -->\n",
                                         encoding="utf-8")
    code, out = _run("docs", "--all", str(tmp_path))
    assert code == 0, out
    assert (tmp_path / "cli.md").is_file()
    assert (tmp_path / "frameworks" / "example.md").is_file()
    assert not (tmp_path / "frameworks" / "hooktest.md").exists()      # test-only plugin
    assert "### AnswerSet" in (tmp_path / "schemas.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("fid", ["management", "digital", "quality-brand", "iso9001"])
def test_official_frameworks_pages_render_in_both_languages(fid: str) -> None:
    fw = smesdk.load_framework(fid)
    for lang in ("zh", "en"):
        page = framework_page(fw, lang)  # type: ignore[arg-type]
        # every indicator of the framework appears with its full id
        missing = [iid for iid in fw.with_profile(None).indicator_ids if f"`{iid}`" not in page]
        assert not missing, missing[:5]
