"""The combined questionnaire (`smesdk questionnaire --all/--frameworks`): each shared fact is
asked once, and `assess-all` reads the filled-in form back to the same results."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from click.testing import CliRunner

import smesdk
from smesdk.cli import cli
from smesdk.combined import combine
from smesdk.suite import choose

ROOT = Path(__file__).resolve().parents[2]
CHAIN = ROOT / "plugins" / "tiered" / "examples" / "chain" / "stops-at-zjtx.yaml"
TIERS = "innovative-sme,zjtx,little-giant"


def _run(*args: str) -> tuple[int, str]:
    run = CliRunner().invoke(cli, list(args), prog_name="smesdk")
    return run.exit_code, run.output


def test_each_shared_fact_is_asked_once() -> None:
    combined = combine(choose(TIERS.split(","), smesdk.default_host()))
    fw = combined.framework
    facts = Counter(fw.indicator(i).fact for i in fw.indicator_ids if fw.indicator(i).fact)
    assert max(facts.values()) == 1
    # finance.rd_share is read by all three tiers: asked on the first sheet only.
    asked = [i for i in fw.indicator_ids if fw.indicator(i).fact == "finance.rd_share"]
    assert asked == ["innovative_sme.innovation.rd_share"]
    # tiered.innovative is exported by innovative-sme, which comes first: never asked.
    assert "tiered.innovative" not in facts and "tiered.zjtx" not in facts
    # Every question of the three frameworks is asked, or its fact is asked or fed elsewhere.
    for fid in TIERS.split(","):
        source = smesdk.load_framework(fid)
        for iid, ind in source.iter_indicators():
            assert (fid, iid) in combined.origin.values() or ind.fact is not None


def test_the_combined_form_round_trips(tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    code, out = _run("questionnaire", "--frameworks", TIERS, "-o", str(form), "--prefill",
                     str(CHAIN), "--lang", "zh")
    assert code == 0, out
    code, from_form = _run("assess-all", str(form), "--json")
    assert code == 0, from_form
    code, from_yaml = _run("assess-all", str(CHAIN), "--frameworks", TIERS, "--json")
    assert code == 0, from_yaml
    a = smesdk.suite.SuiteResult.from_json(from_form)
    b = smesdk.suite.SuiteResult.from_json(from_yaml)
    assert a.order == b.order and a.ladder == b.ladder and a.fed == b.fed
    for fid in b.order:
        assert a.results[fid].total == b.results[fid].total
        assert a.results[fid].level == b.results[fid].level
        assert [i.answer for i in a.results[fid].indicators] == \
            [i.answer for i in b.results[fid].indicators]


def test_all_writes_one_sheet_per_framework(tmp_path: Path) -> None:
    form = tmp_path / "all.xlsx"
    code, out = _run("questionnaire", "--all", "-o", str(form), "--lang", "en")
    assert code == 0, out
    from openpyxl import load_workbook

    sheets = load_workbook(form).sheetnames
    assert len(sheets) >= len(smesdk.default_host().framework_ids())   # + instructions


def test_misuse_is_refused(tmp_path: Path) -> None:
    code, out = _run("questionnaire", "zjtx", "--all", "-o", str(tmp_path / "x.xlsx"))
    assert code == 2 and "give a FRAMEWORK, --all or --frameworks" in out
    single = tmp_path / "single.xlsx"
    assert _run("questionnaire", "zjtx", "-o", str(single))[0] == 0
    code, out = _run("assess-all", str(single))
    assert code == 1 and "read it with `smesdk assess`" in out


def test_the_combined_form_names_the_command_that_reads_it(tmp_path: Path) -> None:
    """Its how-to said "smesdk assess suite this-file.xlsx": no framework is called suite."""
    from openpyxl import load_workbook

    form = tmp_path / "tiers.xlsx"
    assert _run("questionnaire", "--frameworks", TIERS, "-o", str(form), "--lang", "en")[0] == 0
    lines = [c.value for c in load_workbook(form)["Instructions"]["A"] if c.value]
    assert "8. When done, run: smesdk assess-all this-file.xlsx" in lines
    # A combined form has a sheet per framework, not per dimension.
    assert any(line.startswith("1. One sheet per framework, one question per row.")
               for line in lines)
    single = tmp_path / "zjtx.xlsx"
    assert _run("questionnaire", "zjtx", "-o", str(single), "--lang", "zh")[0] == 0
    lines = [c.value for c in load_workbook(single)["说明"]["A"] if c.value]
    assert "8. 填好后运行：smesdk assess zjtx 本文件.xlsx" in lines
    assert any(line.startswith("1. 每个维度一个工作表；") for line in lines)
