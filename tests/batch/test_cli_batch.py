"""`smesdk batch` and `smesdk stats` through the real command line."""

from __future__ import annotations

from decimal import Decimal

import pytest
from click.testing import CliRunner

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from smesdk.cli import cli  # noqa: E402


def _run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_batch_then_stats(tmp_path, rows_factory, write_input):
    src = write_input(rows_factory(30), tmp_path / "in.csv")
    out = tmp_path / "res.parquet"
    res = _run("batch", "example", src, "-o", out, "--chunk-size", "7", "--lang", "en")
    assert res.exit_code == 0, res.output
    assert "rows 30 · scored 20 · errors 10 · " in res.output
    assert pq.read_table(out).num_rows == 20
    assert pq.read_table(tmp_path / "res.errors.parquet").num_rows == 10

    stats_out = tmp_path / "stats.parquet"
    res = _run("stats", out, "--by", "industry", "--min-cohort", "11", "-o", stats_out,
               "--lang", "en")
    assert res.exit_code == 0, res.output
    # 20 scored rows: rows 0-29 with i % 3 != 2; industry 13 when (i // 3) is even ->
    # i in 0,1,6,7,12,13,18,19,24,25 (10 rows: suppressed at 11) and 14 the other 10.
    assert "enterprises 20 · cohorts 2 · reported 0 · suppressed (under 11) 2" in res.output
    res = _run("stats", out, "--by", "industry", "-o", stats_out, "--lang", "zh")
    assert "群组 2 · 已报告 2" in res.output
    cohorts = pq.read_table(tmp_path / "stats.cohorts.parquet").to_pylist()
    # each cohort: 5 BEST rows (100, advanced) and 5 MID rows (51.25, standard)
    for c in cohorts:
        assert (c["members"], c["level:advanced"], c["level:standard"]) == (10, 5, 5)
        assert c["total:median"] == Decimal("75.6250")  # (51.25 + 100) / 2
    # named from the framework's classification (the 39 CNCA categories), in --lang
    assert [(c["industry"], c["industry_name"]) for c in cohorts] == [
        ("13", "药品"), ("14", "橡胶和塑料制品")]


def test_date_option_supplies_the_assessment_date(tmp_path, rows_factory, write_input):
    rows = [{k: v for k, v in r.items() if k != "date"} for r in rows_factory(3)]
    src = write_input(rows, tmp_path / "in.jsonl")
    res = _run("batch", "example", src, "-o", tmp_path / "a.parquet", "--lang", "en")
    assert res.exit_code == 0 and "scored 0 · errors 3" in res.output
    errors = pq.read_table(tmp_path / "a.errors.parquet").column("error").to_pylist()
    assert all(e.startswith("date: ") for e in errors[:2])
    res = _run("batch", "example", src, "-o", tmp_path / "b.csv", "--errors", tmp_path / "e.csv",
               "--date", "2025-06-30", "--lang", "en")
    assert res.exit_code == 0 and "scored 2 · errors 1" in res.output
    assert (tmp_path / "e.csv").exists()


def test_bad_input_is_a_message_not_a_traceback(tmp_path, rows_factory, write_input):
    rows = [{**r, "hr.insurence": True} for r in rows_factory(2)]
    src = write_input(rows, tmp_path / "in.parquet")
    res = _run("batch", "example", src, "-o", tmp_path / "out.parquet")
    assert res.exit_code == 1
    assert "hr.insurence: no indicator 'hr.insurence'" in res.output
    assert "Traceback" not in res.output
    res = _run("batch", "example", src, "-o", tmp_path / "out.txt")
    assert res.exit_code == 1 and "unsupported output type '.txt'" in res.output
    res = _run("batch", "example", src, "-o", tmp_path / "o.parquet", "--date", "30/06/2025")
    assert res.exit_code == 2 and "expected YYYY-MM-DD" in res.output
    res = _run("stats", src, "--by", "region", "-o", tmp_path / "s.parquet")
    assert res.exit_code == 1 and "total: no such column" in res.output


def test_stats_reads_csv_results_and_writes_csv(tmp_path, rows_factory, write_input):
    src = write_input(rows_factory(30), tmp_path / "in.parquet")
    assert _run("batch", "example", src, "-o", tmp_path / "res.csv").exit_code == 0
    res = _run("stats", tmp_path / "res.csv", "--by", "industry,size", "--min-cohort", "1",
               "-o", tmp_path / "stats.csv", "--lang", "en")
    assert res.exit_code == 0, res.output
    import pyarrow.csv as pacsv

    cohorts = pacsv.read_csv(tmp_path / "stats.cohorts.csv").to_pylist()
    assert sum(c["members"] for c in cohorts) == 20
    enterprises = pacsv.read_csv(tmp_path / "stats.csv").to_pylist()
    # a cohort where every member has the same total puts each at the 50th percentile
    uniform = [c for c in cohorts if c["total:min"] == c["total:max"]]
    assert uniform
    for c in uniform:
        members = [e for e in enterprises
                   if (e["industry"], e["size"]) == (c["industry"], c["size"])]
        assert len(members) == c["members"]
        assert {e["percentile"] for e in members} == {50}


def test_an_unwritable_output_folder_is_a_message(tmp_path, rows_factory, write_input):
    src = write_input(rows_factory(3), tmp_path / "in.parquet")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    res = _run("batch", "example", src, "-o", blocker / "out.parquet")
    assert res.exit_code == 1 and "cannot write next to the output" in res.output


def test_progress_bar_draws_on_a_terminal_and_nothing_otherwise(monkeypatch):
    import io

    from rich.console import Console

    from smesdk.cli.batch import _Progress

    screen = io.StringIO()
    bar = _Progress(1000, "en", Console(file=screen, force_terminal=True, width=100))
    bar(250)
    bar(1000)
    bar.close()
    drawn = screen.getvalue()
    assert "scoring" in drawn and "1000/1000" in drawn and "rows/s" in drawn

    monkeypatch.setattr("sys.stderr", io.StringIO())  # not a terminal: no bar at all
    quiet = _Progress(1000, "zh")
    quiet(500)
    quiet.close()
    assert quiet.bar is None
