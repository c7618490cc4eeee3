"""Reading every input format into the same results; malformed rows become error rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from smesdk.batch.formats import FORMATS, open_source, output_format  # noqa: E402
from smesdk.batch.output import DECIMAL  # noqa: E402
from smesdk.batch.readers import CsvSource, ParquetSource  # noqa: E402
from smesdk.batch.runner import run_batch, work_dir  # noqa: E402
from smesdk.errors import AnswerError, SmesdkError  # noqa: E402

from .conftest import EXPECTED  # noqa: E402


def _read(path: Path) -> list[dict]:
    """A results or errors file's rows, read back the way the batch itself reads them."""
    fmt = output_format(path)
    assert fmt.results is not None
    schema, batches = fmt.results(path, _typed)
    return pa.Table.from_batches(list(batches), schema).to_pylist()


def _typed(name: str) -> pa.DataType:
    """Types for a text format's cells, as the batch wrote them (binary formats keep theirs)."""
    if name == "row":
        return pa.int64()
    if name == "total" or name.startswith("dim:"):
        return DECIMAL
    return pa.string()


INPUTS = [f.suffixes[0] for f in FORMATS.values() if f.source is not None]
OUTPUTS = [f.suffixes[0] for f in FORMATS.values() if f.output]


def _check_against_hand_figures(results: list[dict], errors: list[dict], n: int) -> None:
    # Every input row exactly once, in one of the two files, in row order.
    assert [r["row"] for r in results] == [i for i in range(n) if i % 3 != 2]
    assert [e["row"] for e in errors] == [i for i in range(n) if i % 3 == 2]
    for r in results:
        total, level, strategy, hr, ops = EXPECTED[r["row"] % 3]  # type: ignore[misc]
        assert (r["total"], r["level"]) == (total, level)
        assert (r["dim:strategy"], r["dim:hr"], r["dim:operations"]) == (strategy, hr, ops)
        assert r["enterprise_id"] == f"e{r['row']:06d}"
        assert r["framework"] == "example"
        assert str(r["industry"]) in ("13", "14") and r["size"] in ("micro", "small", "medium")
    for e in errors:
        assert e["error"].startswith("strategy.plan: ")
        assert "maybe" in e["error"]


@pytest.mark.parametrize("suffix", INPUTS)
def test_each_format_gives_the_hand_computed_results(tmp_path, example_fw, rows_factory,
                                                     write_input, suffix):
    n = 25
    src = write_input(rows_factory(n), tmp_path / f"in{suffix}")
    summary = run_batch(example_fw, src, tmp_path / "out.parquet", chunk_size=4)
    assert (summary.rows, summary.scored, summary.errors) == (n, 17, 8)
    _check_against_hand_figures(_read(tmp_path / "out.parquet"),
                                _read(tmp_path / "out.errors.parquet"), n)
    assert not work_dir(tmp_path / "out.parquet").exists()


@pytest.mark.parametrize("suffix", OUTPUTS)
def test_each_output_format_and_a_named_errors_file(tmp_path, example_fw, rows_factory,
                                                    write_input, suffix):
    src = write_input(rows_factory(9), tmp_path / "in.parquet")
    run_batch(example_fw, src, tmp_path / f"res{suffix}", errors=tmp_path / f"bad{suffix}")
    _check_against_hand_figures(_read(tmp_path / f"res{suffix}"), _read(tmp_path / f"bad{suffix}"), 9)


def test_chunks_have_fixed_sizes_and_global_row_numbers(tmp_path, rows_factory, write_input):
    rows = rows_factory(23)
    for suffix in (".parquet", ".csv", ".jsonl"):
        source = open_source(write_input(rows, tmp_path / f"in{suffix}"))
        chunks = list(source.chunks(5))
        assert [c.index for c in chunks] == [0, 1, 2, 3, 4]
        assert [c.rows for c in chunks] == [5, 5, 5, 5, 3]
        numbers = [n for c in chunks for n in c.batch.column("__row__").to_pylist()]
        assert numbers == list(range(23))
        # Skipped chunks keep their ids and row numbers.
        kept = list(source.chunks(5, skip=frozenset({0, 2})))
        assert [(c.index, c.start) for c in kept] == [(1, 5), (3, 15), (4, 20)]


def test_malformed_csv_lines_are_error_rows_and_the_batch_goes_on(tmp_path, example_fw,
                                                                   rows_factory, write_input):
    src = write_input(rows_factory(6), tmp_path / "in.csv")
    lines = src.read_text(encoding="utf-8").splitlines()
    # line 3 (row 1) loses its fields; a blank line is not a row; line 6 (row 4) gets one too many
    lines[2] = "e000001,small"
    lines.insert(4, "")
    lines[6] = lines[6] + ",extra"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = run_batch(example_fw, src, tmp_path / "out.parquet", chunk_size=4)
    assert (summary.rows, summary.scored, summary.errors) == (6, 2, 4)
    errors = {e["row"]: e for e in _read(tmp_path / "out.errors.parquet")}
    assert sorted(errors) == [1, 2, 4, 5]
    assert errors[1]["error"].startswith("line 3: expected ") and errors[1]["enterprise_id"] == "e000001"
    assert errors[4]["error"].startswith("line 7: expected ")
    assert [r["row"] for r in _read(tmp_path / "out.parquet")] == [0, 3]


def test_bad_json_lines_are_error_rows(tmp_path, example_fw, rows_factory, write_input):
    src = write_input(rows_factory(3), tmp_path / "in.jsonl")
    src.write_text(src.read_text() + "{not json\n[1, 2]\n", encoding="utf-8")
    summary = run_batch(example_fw, src, tmp_path / "out.parquet")
    assert (summary.rows, summary.scored, summary.errors) == (5, 2, 3)
    errors = _read(tmp_path / "out.errors.parquet")
    assert [e["row"] for e in errors] == [2, 3, 4]
    assert errors[1]["error"].startswith("line 4: not valid JSON: ")
    assert errors[2]["error"] == "line 5: expected a JSON object"


def test_unknown_json_key_is_a_problem_of_its_row_with_the_rows_other_problems(
        tmp_path, example_fw, rows_factory, write_input):
    rows = rows_factory(2)
    rows[1]["strategy.missoin"] = 3
    rows[1]["strategy.plan"] = "maybe"
    run_batch(example_fw, write_input(rows, tmp_path / "in.jsonl"), tmp_path / "out.parquet")
    (error,) = _read(tmp_path / "out.errors.parquet")
    assert error["row"] == 1
    assert error["error"].startswith("strategy.missoin: no indicator 'strategy.missoin'")
    assert "strategy.plan: " in error["error"]


def test_unknown_column_stops_a_parquet_or_csv_input_before_any_output(
        tmp_path, example_fw, rows_factory, write_input):
    rows = [{**r, "strategy.missoin": 1} for r in rows_factory(3)]
    for suffix in (".parquet", ".csv"):
        with pytest.raises(AnswerError, match=r"did you mean 'strategy\.mission'"):
            run_batch(example_fw, write_input(rows, tmp_path / f"in{suffix}"),
                      tmp_path / "out.parquet")
        assert not (tmp_path / "out.parquet").exists()


def test_unreadable_inputs_are_one_clear_error(tmp_path, example_fw):
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"not parquet at all")
    with pytest.raises(SmesdkError, match="not a readable Parquet file"):
        run_batch(example_fw, junk, tmp_path / "out.parquet")
    with pytest.raises(SmesdkError, match=r"unsupported input type '\.xls'"):
        (tmp_path / "a.xls").touch()
        open_source(tmp_path / "a.xls")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(SmesdkError, match="no header line"):
        run_batch(example_fw, empty, tmp_path / "out.parquet")
    with pytest.raises(SmesdkError, match="must differ from the input"):
        run_batch(example_fw, junk, junk)


def test_header_only_csv_gives_empty_files_with_the_full_schema(tmp_path, example_fw):
    src = tmp_path / "in.csv"
    src.write_text("enterprise_id,size,strategy.mission\n", encoding="utf-8")
    summary = run_batch(example_fw, src, tmp_path / "out.parquet")
    assert (summary.rows, summary.scored, summary.errors) == (0, 0, 0)
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.num_rows == 0
    assert {"total", "level", "dim:strategy", "content_hash", "industry"} <= set(table.schema.names)


def test_folder_of_parquet_files_is_one_input_in_name_order(tmp_path, rows_factory, write_input):
    folder = tmp_path / "parts"
    folder.mkdir()
    rows = rows_factory(10)
    write_input(rows[6:], folder / "b.parquet")
    write_input(rows[:6], folder / "a.parquet")
    source = open_source(folder)
    assert isinstance(source, ParquetSource)
    ids = [i for c in source.chunks(4) for i in c.batch.column("enterprise_id").to_pylist()]
    assert ids == [r["enterprise_id"] for r in rows]


def test_folder_of_answer_files_scores_like_smesdk_assess(tmp_path):
    import smesdk

    fw = smesdk.load_framework("management")
    examples = Path(__file__).parents[2] / "plugins" / "management" / "examples"
    folder = tmp_path / "answers"
    folder.mkdir()
    for f in sorted(examples.glob("*.yaml")):
        shutil.copy(f, folder / f.name)
    (folder / "zz_broken.yaml").write_text("enterprise: [unclosed\n", encoding="utf-8")
    (folder / "zz_sheet.xlsx").write_bytes(b"not a workbook")
    run_batch(fw, folder, tmp_path / "out.parquet")
    results = {r["enterprise_id"]: r for r in _read(tmp_path / "out.parquet")}
    errors = {e["enterprise_id"]: e for e in _read(tmp_path / "out.errors.parquet")}
    for f in sorted(examples.glob("*.yaml")):
        answers = smesdk.load_answers(f)
        if answers.profile is not None:  # made for a profile this run does not score
            assert "the answers are for profile" in errors[f.stem]["error"]
            continue
        try:
            expected = fw.assess(answers)
        except AnswerError:
            assert f.stem in errors
            continue
        assert results[f.stem]["total"] == expected.total
        assert results[f.stem]["level"] == (expected.level.id if expected.level else None)
    assert errors["zz_broken"]["error"].startswith("zz_broken.yaml: ")
    assert errors["zz_sheet"]["error"].startswith("zz_sheet.xlsx: ")  # a damaged workbook


def test_filled_questionnaire_in_a_folder_scores_like_its_answer_file(tmp_path):
    import smesdk
    from smesdk.questionnaire import write_questionnaire

    # The micro workshop example written into an Excel form (as an enterprise would fill it
    # in), next to the same answers as YAML: both rows must score alike, as `assess` does.
    example = Path(__file__).parents[2] / "plugins/management/examples/micro_workshop.yaml"
    answers = smesdk.load_answers(example)
    fw = smesdk.load_framework("management", answers.profile)
    folder = tmp_path / "answers"
    folder.mkdir()
    write_questionnaire(fw, folder / "form.xlsx", answers=answers)
    shutil.copy(example, folder / "yaml.yaml")
    summary = run_batch(fw, folder, tmp_path / "out.parquet")
    assert (summary.rows, summary.scored, summary.errors) == (2, 2, 0)
    results = {r["enterprise_id"]: r for r in _read(tmp_path / "out.parquet")}
    assert results["form"]["total"] == results["yaml"]["total"] == fw.assess(answers).total


def test_csv_reads_codes_as_text(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("enterprise_id,industry\n00123,0042\n", encoding="utf-8")
    (chunk,) = CsvSource(src).chunks()
    assert chunk.batch.column("enterprise_id").to_pylist() == ["00123"]
    assert chunk.batch.column("industry").to_pylist() == ["0042"]


def test_a_malformed_csv_line_still_names_its_enterprise(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text('size,enterprise_id,strategy.mission\r\nsmall,"e,1",3,extra\r\nsmall,e2,1\r\n',
                   encoding="utf-8")
    (chunk,) = CsvSource(src).chunks()
    (error,) = chunk.errors
    assert (error.row, error.enterprise_id) == (0, "e,1")
    assert error.message == "line 2: expected 3 fields, found 4"
    assert chunk.batch.column("enterprise_id").to_pylist() == ["e2"]
    assert chunk.batch.column("__row__").to_pylist() == [1]


def test_progress_reports_rows_done_up_to_the_total(tmp_path, example_fw, rows_factory,
                                                    write_input):
    src = write_input(rows_factory(23), tmp_path / "in.parquet")
    seen: list[int] = []
    run_batch(example_fw, src, tmp_path / "out.parquet", chunk_size=5, progress=seen.append)
    assert seen == [5, 10, 15, 20, 23]


def test_parquet_results_encode_ids_plainly_scores_as_int64_and_keep_their_min_max(
        tmp_path, example_fw, rows_factory, write_input):
    # Each row's own id and row number would only defeat a dictionary; text min/max never
    # skips a row group of rows in input order. Scores and ranks keep min/max for filters.
    import pyarrow.parquet as pq

    src = write_input(rows_factory(9), tmp_path / "in.parquet")
    run_batch(example_fw, src, tmp_path / "out.parquet")
    group = pq.ParquetFile(tmp_path / "out.parquet").metadata.row_group(0)
    columns = {group.column(i).path_in_schema: group.column(i) for i in range(group.num_columns)}
    dictionary = {"PLAIN_DICTIONARY", "RLE_DICTIONARY"}
    for name in ("row", "enterprise_id"):
        assert not dictionary & set(columns[name].encodings), name
    for name in ("total", "level", "content_hash"):
        assert dictionary & set(columns[name].encodings), name
    assert columns["total"].is_stats_set and columns["row"].is_stats_set
    assert not columns["enterprise_id"].is_stats_set and not columns["level"].is_stats_set
    # Scores as INT64 decimals; read back, still decimal(18, 4).
    assert columns["total"].physical_type == "INT64"
    assert pq.read_schema(tmp_path / "out.parquet").field("total").type == DECIMAL
