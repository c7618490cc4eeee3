"""`smesdk assess quality-brand <example>` shows the four dimensions, the level, the 标杆 flag
and cited recommendations."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from smesdk.cli import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_assess_text_en():
    out = _run("assess", "quality-brand", str(EXAMPLES / "expired-certificate.yaml"),
               "--lang", "en")
    assert out.exit_code == 0, out.output
    text = out.output
    for title in ("Awareness and culture", "Quality", "Standards", "Brand"):
        assert f"  {title} " in text, title
    assert "64.83" in text
    assert "Level 2 — Standardised" in text
    assert "Level 3 — Advancing" in text  # the next level and its blocker
    assert "Holds a valid quality management system certificate" in text
    assert "benchmark candidacy (derived):" in text and "not yet a candidate" in text
    # 专精特新 indicator 6: one item met (C, own brand) = 3 points, shown with its official status
    assert "indicator 6: quality management level (official):" in text and "» 3 / 5" in text
    assert "candidate: false" not in text
    # Recommendations carry their citation: [doc clause].
    assert "[003 三（八）]" in text
    assert "expired" in text


def test_assess_text_zh_benchmark():
    out = _run("assess", "quality-brand", str(EXAMPLES / "benchmark-precision.yaml"),
               "--lang", "zh")
    assert out.exit_code == 0, out.output
    for title in ("意识与文化", "质量", "标准", "品牌"):
        assert f"  {title} " in out.output, title
    assert "四级 引领级" in out.output
    assert "质量标准品牌标杆候选 (推导):" in out.output and "» 是候选" in out.output
    # four items met, 3 points each, capped at 5
    assert "指标6：质量管理水平 (官方):" in out.output and "» 5 / 5" in out.output


def test_assess_json_has_sections_facts_and_cited_recommendations():
    out = _run("assess", "quality-brand", str(EXAMPLES / "starter-workshop.yaml"), "--json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["level"]["id"] == "l1"
    assert data["facts"]["zjtx.quality_management_points"] == 5
    assert data["extensions"]["benchmark_candidacy"]["candidate"] is False
    recs = data["recommendations"]
    assert recs and all(r["source"] and r["source"]["clause"] for r in recs)
    assert any("检测券" in r["text"]["zh"] for r in recs)


def test_bad_answers_exit_with_a_clear_message(tmp_path):
    bad = (EXAMPLES / "starter-workshop.yaml").read_text(encoding="utf-8").replace(
        "quality.t06.scrap_trend: rising", "quality.t06.scrap_trend: sideways")
    path = tmp_path / "bad.yaml"
    path.write_text(bad, encoding="utf-8")
    out = CliRunner().invoke(cli, ["assess", "quality-brand", str(path)])
    assert out.exit_code == 1
    assert "answers.quality.t06.scrap_trend" in out.output and "sideways" in out.output
