"""The command line: output shapes (a public contract), exit codes, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from smesdk.report.charts import columns
from smesdk.testing.cli import invoke

ROOT = Path(__file__).parents[1]
EXAMPLE = "examples/plugins/smesdk-example/src/smesdk_example/example.yaml"
ANSWERS = "examples/answers/example-small-firm.yaml"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


run = invoke


def test_version() -> None:
    code, out = run("--version")
    assert code == 0 and out.startswith("smesdk, version ")


def test_plugins_json_shape() -> None:
    code, out = run("plugins", "--json")
    assert code == 0
    data = json.loads(out)
    example = next(p for p in data if p["name"] == "example")
    assert set(example) == {"name", "version", "status", "hooks", "frameworks", "errors"}
    assert example["frameworks"] == ["example"] and example["status"] == "ok"


def test_frameworks_json_shape() -> None:
    code, out = run("frameworks", "--json")
    assert code == 0
    row = next(r for r in json.loads(out) if r["id"] == "example")
    assert set(row) == {"id", "version", "title", "plugin", "indicators", "profiles", "source"}
    assert row["indicators"] == 9
    assert row["profiles"] == ["quick", "innovative"]
    assert row["source"]["number"] == "工信厅企业〔2024〕54号"


def test_show_json_shape_and_profile() -> None:
    code, out = run("show", "example", "--json", "--profile", "quick")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"id", "version", "profile", "profiles", "plugin", "content_hash",
                         "origins", "framework"}
    assert data["profile"] == "quick"
    # the quick profile keeps three indicators, one under each dimension
    dims = data["framework"]["dimensions"]
    assert [len(d["indicators"]) for d in dims] == [1, 1, 1]
    assert data["origins"]["levels"] == "quick"


def test_show_text_has_citations() -> None:
    code, out = run("show", "example", "--lang", "zh")
    assert code == 0
    # the status in the asked language, and the document the citations call 000 named
    assert "strategy.mission  使命愿景  [000 二（一）] scale, 推导" in out
    assert "derived" not in out and "unverified" not in out
    assert "  [000] 工业中小企业管理提升指南（试行） 工信厅企业〔2024〕54号" in out


def test_assess_text_en_and_zh() -> None:
    code, out = run("assess", EXAMPLE, ANSWERS, "--lang", "en")
    assert code == 0
    assert "Total: 72.50 / 100" in out and "Level: Standardised" in out
    assert "Strategic management score ≥ 75 (now 62.5)" in out
    code, out = run("assess", "example", ANSWERS, "--lang", "zh")
    assert code == 0
    assert "总分: 72.50 / 100" in out and "规范级" in out


def test_assess_json_is_the_result() -> None:
    code, out = run("assess", "example", ANSWERS, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["total"] == 72.5 and data["level"]["id"] == "standard"
    assert data["provenance"]["framework"] == "example"
    assert data["provenance"]["content_hash"].startswith("sha256:")


def test_assess_explain() -> None:
    code, out = run("assess", "example", ANSWERS, "--explain", "strategy.plan")
    assert code == 0
    assert "strategy.plan [000 二（一）]" in out
    assert "rule: option 'partly' scores 1" in out
    assert "contribution: 12.5" in out  # 0.5 score x share 25 (weight 2 of 4, half of strategy)


def test_validate_ok() -> None:
    code, out = run("validate", EXAMPLE)
    assert code == 0 and out.startswith("ok: framework example 1.0.0, 9 indicators")
    code, out = run("validate", ANSWERS)
    assert code == 0 and "fit example" in out


BROKEN = """
id: Broken Id
version: "1"
title: {zh: 坏, en: broken}
description: {zh: 坏, en: broken}
source: {id: "000", title: {zh: 指南, en: guide}, issuer: {zh: 部, en: ministry}}
levels:
  - {id: a, title: {zh: 一, en: one}, min: 0, max: 50}
  - {id: b, title: {zh: 二, en: two}, min: 40, max: 70}
  - {id: c, title: {zh: 三, en: three}, min: 80}
dimensions:
  - id: d1
    title: {zh: 维度, en: dim}
    points: 10
    aggregation: sum_points
    indicators:
      - id: x
        title: {zh: 甲, en: x}
        question: {zh: 问, en: q}
        kind: choice
        options: [{value: a, label: {zh: 甲, en: a}, points: 1}]
        source: {doc: "999", clause: 一}
        status: derived
        depends_on: [d1.y]
      - id: y
        title: {zh: 乙, en: y}
        question: {zh: 问, en: q}
        kind: dial
        source: {doc: "000", clause: 二}
        status: derived
        depends_on: [d1.x]
"""


def test_validate_broken_spec_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    code, out = run("validate", str(path))
    assert code == 1
    assert "Traceback" not in out
    expected = [
        "id: framework id 'Broken Id' must be lower case",
        "dimensions[0].indicators[0].source.doc: cites document '999'",
        "dimensions[0].indicators[0].options: a choice needs at least two options",
        "dimensions[0].indicators[1].kind: unknown answer kind 'dial'",
        "circular depends_on: d1.x -> d1.y -> d1.x",
        "dimensions[0].points: declares 10 points but its children add up to 1",
        "levels[1]: band of 'b' [40, 70) overlaps band of 'a' [0, 50)",
        "levels[2]: gap between band of 'b' [40, 70) and band of 'c' ≥ 80",
    ]
    for line in expected:
        assert line in out, line
    assert out.count(f"@ {path}") >= len(expected)


def test_validate_structural_errors_all_at_once(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BROKEN.replace("points: 1}]", "points: lots}]").replace(
        "status: derived\n        depends_on: [d1.y]", "status: guessed\n        colour: red"),
        encoding="utf-8")
    code, out = run("validate", str(path))
    assert code == 1 and "Traceback" not in out
    assert "dimensions[0].indicators[0].options[0].points: expected a number, got 'lots'" in out
    assert "dimensions[0].indicators[0]: unknown field(s): colour" in out
    assert "dimensions[0].indicators[0].status" in out


def test_bad_answers_one_line_each(tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(
        "enterprise: {name: 测试, size: small}\ndate: 2026-11-01\nanswers:\n"
        "  strategy.mission: 7\n  strategy.plan: maybe\n  operations.monitoring: 140\n"
        "  operations.systemz: [erp]\n", encoding="utf-8")
    code, out = run("assess", "example", str(path))
    assert code == 1 and "Traceback" not in out
    lines = out.splitlines()
    assert any(line.startswith("answers.strategy.mission: level 7 is not one of 0/1/2/3/4")
               for line in lines)
    assert any(line.startswith("answers.strategy.plan: 'maybe' is not one of no/partly/fully")
               for line in lines)
    assert any("answers.operations.monitoring: 140% is outside the allowed range 0–100%" in line
               for line in lines)
    assert any("answers.operations.systemz: unknown indicator id (did you mean "
               "'operations.systems'?)" in line for line in lines)
    assert any("answers.hr.insurance: required answer missing" in line for line in lines)


def test_usage_errors_exit_2() -> None:
    code, _ = run("assess", "example")
    assert code == 2
    code, _ = run("frobnicate")
    assert code == 2


def test_missing_framework_exits_1() -> None:
    code, out = run("show", "nope")
    assert code == 1 and "no framework 'nope'" in out and "Traceback" not in out


def test_plugin_command_is_added() -> None:
    code, out = run("hello", "--name", "张三")
    assert code == 0 and out == "hello 张三 from hooktest\n"


def test_frameworks_in_chinese_have_no_english_labels_and_fit_80_columns() -> None:
    code, out = run("frameworks", "--lang", "zh")
    assert code == 0
    assert "indicators" not in out and "profiles" not in out
    assert "中小企业管理基础自查（示例）" in out and "9项指标" in out  # the example: 9 indicators
    assert max(map(columns, out.splitlines())) <= 80


def test_plan_figures_read_to_two_places_each_named() -> None:
    # digital 02_level1 totals 37.125 (its JSON: 37.1250), two places half up: 37.13; the
    # funding step moves 0 points to 3.75 (its ladder, 30% in (20, 40]%)
    code, out = run("plan", "digital", "plugins/digital/examples/02_level1.yaml", "--lang", "zh")
    assert code == 0
    assert out.startswith("中小企业数字化水平评测（2024年版） 0.1.0: 37.13 → 目标 二级")
    assert "(总分+3.75)" in "".join(out.split())  # lines wrap: their spaces taken out


def test_diff_of_files_that_are_no_results_names_them_without_a_traceback(
        tmp_path: Path) -> None:
    binary = tmp_path / "scan.json"
    binary.write_bytes(b"\xff\xfe\x00 not text")
    code, out = run("diff", str(binary), str(binary))
    assert code == 1 and "Traceback" not in out
    assert f"{binary}: not a result file" in out and "not UTF-8 text" in out
    # an answer file is not a result: the file is named, not "<text>"
    code, out = run("diff", ANSWERS, ANSWERS)
    assert code == 1 and f"{ANSWERS}: not a result file" in out and "<text>" not in out


def test_diff_shows_each_dimension_under_its_parent(tmp_path: Path) -> None:
    # Two answer sets of one firm: the micro workshop's answers under the zjtx firm's name
    # and credit code (diff refuses results of two enterprises).
    examples = Path("plugins/management/examples")
    firm = yaml.safe_load((examples / "zjtx_midsize.yaml").read_text(encoding="utf-8"))
    later = yaml.safe_load((examples / "micro_workshop.yaml").read_text(encoding="utf-8"))
    for key in ("name", "credit_code"):
        later["enterprise"][key] = firm["enterprise"].get(key)
    (tmp_path / "later.yaml").write_text(yaml.safe_dump(later, allow_unicode=True),
                                         encoding="utf-8")
    paths = []
    for answers in (examples / "zjtx_midsize.yaml", tmp_path / "later.yaml"):
        code, out = run("assess", "management", str(answers), "--json")
        assert code == 0, out
        paths.append(tmp_path / f"{answers.stem}.json")
        paths[-1].write_text(out, encoding="utf-8")
    code, out = run("diff", *map(str, paths), "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    # management's tree: Strategic management (strategy) holds Clear strategic positioning
    assert any(line.startswith("  Strategic management: ") for line in lines)
    assert any(line.startswith("    Clear strategic positioning: ") for line in lines)
    # the profile by its name, not its id
    assert "(Specialised, refined, distinctive and innovative" in out and "(zjtx)" not in out
