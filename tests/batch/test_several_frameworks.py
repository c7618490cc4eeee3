"""`smesdk batch a,b,c`: one fact-keyed input scored against several frameworks in one run,
one results file per framework."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner

import smesdk
from smesdk.cli import cli

ROOT = Path(__file__).resolve().parents[2]
CHAIN = ROOT / "plugins" / "tiered" / "examples" / "chain"
TIERS = ("innovative-sme", "zjtx", "little-giant")


def _input(path: Path) -> None:
    """The two chain firms as rows of fact columns. Batch rows do not feed one framework's
    exports to the next, so the 专精特新 status 小巨人 reads is given as a column."""
    rows = []
    for i, name in enumerate(("all-three-tiers", "stops-at-zjtx")):
        answers = smesdk.load_answers(CHAIN / f"{name}.yaml")
        row = {"enterprise_id": f"E{i}", "name": answers.enterprise.name,
               "size": answers.enterprise.size, "date": answers.date.isoformat(),
               "fact:tiered.zjtx": "1"}
        for key, answer in answers.facts.items():
            row[f"fact:{key}"] = str(answer.value).lower() if isinstance(answer.value, bool) \
                else str(answer.value)
        rows.append(row)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_one_input_three_frameworks_three_files(tmp_path: Path) -> None:
    source = tmp_path / "firms.csv"
    _input(source)
    run = CliRunner().invoke(cli, ["batch", ",".join(TIERS), str(source), "-o",
                                   str(tmp_path / "out-{framework}.parquet")], prog_name="smesdk")
    assert run.exit_code == 0, run.output
    # The chain examples' expected results, worked out by hand in their comments.
    expected = {"innovative-sme": [("95", "qualified"), ("95", "qualified")],
                "zjtx": [("93", "qualified"), ("93", "qualified")],
                "little-giant": [("100", "qualified"), ("91.6667", None)]}
    for fid in TIERS:
        rows = pq.read_table(tmp_path / f"out-{fid}.parquet").to_pylist()
        got = [(str(r["total"]).rstrip("0").rstrip("."), r["level"]) for r in
               sorted(rows, key=lambda r: r["enterprise_id"])]
        assert got == expected[fid], fid
        assert all(r["framework"] == fid for r in rows)


def test_several_frameworks_need_a_file_name_per_framework(tmp_path: Path) -> None:
    source = tmp_path / "firms.csv"
    _input(source)
    run = CliRunner().invoke(cli, ["batch", "zjtx,little-giant", str(source), "-o",
                                   str(tmp_path / "out.parquet")], prog_name="smesdk")
    assert run.exit_code == 2 and "{framework}" in run.output
    run = CliRunner().invoke(cli, ["batch", "zjtx,little-giant", str(source), "--profile",
                                   "national", "-o", str(tmp_path / "{framework}.parquet")],
                             prog_name="smesdk")
    assert run.exit_code == 2 and "FRAMEWORK:PROFILE" in run.output
