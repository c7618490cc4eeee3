"""Grid answers and published level edges, on the DMA-style fixture tests/frameworks/grid.

The fixture has four grids (its file states each one's rule) and the DMA's bands 0–25,
26–50, 51–75, 76–100 as [0, 25], (25, 50], (50, 75], (75, 100]. Both dimensions average
their two grids and the total averages the dimensions, so with four indicator scores s1..s4
(each points ÷ maximum) the total is 25 × (s1 + s2 + s3 + s4). Every expected figure below is
worked out from those rules by hand, in the comments.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import subprocess
import warnings
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import smesdk
from smesdk import AnswerError, Framework, Result, SpecError
from smesdk.batch import compile_plan, score_batch
from smesdk.batch.columns import grid_cell_column, input_schema, row_error, row_to_data
from smesdk.batch.synthetic import synthetic_batch
from smesdk.cli.render import show_tree
from smesdk.docs.framework_page import framework_page
from smesdk.loading import spec_from_data
from smesdk.questionnaire import read_questionnaire, write_questionnaire
from smesdk.report import render_html, render_markdown, render_pdf
from smesdk.testing import FrameworkSuite
from smesdk.testing.strategies import answer_sets

SPEC_FILE = Path(__file__).parent / "frameworks" / "grid" / "grid.yaml"
AS_OF = dt.date(2026, 3, 31)
AREAS = ("design", "operations", "purchasing", "sales")
Y, N = "yes", "no"


@pytest.fixture(scope="module")
def fw() -> Framework:
    return Framework.from_spec(smesdk.load_spec(SPEC_FILE))


def invest(*rows: tuple[str, str]) -> dict[str, Any]:
    return {area: {"invested": a, "planned": p} for area, (a, p) in zip(AREAS, rows, strict=True)}


def stages(**levels: int) -> dict[str, Any]:
    return {row: {"stage": level} for row, level in levels.items()}


def practices(policy: tuple[str, str], backup: tuple[str, str],
              security: tuple[str, str]) -> dict[str, Any]:
    return {row: {"today": t, "plan": p}
            for row, (t, p) in zip(("policy", "backup", "security"), (policy, backup, security),
                                   strict=True)}


def answer_data(inv: dict[str, Any], tech: dict[str, Any], ai: dict[str, Any] | None,
                prac: dict[str, Any]) -> dict[str, Any]:
    return {"enterprise": {"name": "Muster GmbH", "size": "small"}, "date": "2026-03-31",
            "answers": {"strategy.invest": {"value": inv}, "strategy.tech": {"value": tech},
                        "readiness.ai": {"value": ai} if ai is not None
                        else {"na": True, "reason": "no AI yet"},
                        "readiness.practices": {"value": prac}}}


# name: (answers, points per grid, total, level, blockers for the next level)
CASES: dict[str, tuple[dict[str, Any], tuple[D, D, D, D], D, str, int]] = {
    # invest: nothing → 0 of 4; tech: 2 + 0 = 2 of 10 → 0.2; ai: 3 × 2 + 0 = 6 of 20 → 0.3;
    # practices: (1 + 0.5 × 0.5) + (1 + 0) + (0 + 0) = 2.25 of 4.5 → 0.5;
    # total 25 × (0 + 0.2 + 0.3 + 0.5) = 25: the top of "0–25", not "26–50".
    "edge-25": (answer_data(invest((N, N), (N, N), (N, N), (N, N)), stages(cloud=2, iot=0),
                            stages(genai=2, vision=0),
                            practices((Y, "partially"), (Y, N), (N, N))),
                (D(0), D(2), D(6), D("2.25")), D(25), "basic", 1),
    # invest: 1 (invested) + 0.5 + 0.5 (planned) + 0 = 2 of 4 → 0.5; tech 3 + 2 = 5 of 10;
    # ai 3 × 3 + 1 = 10 of 20; practices 2.25 of 4.5 as above: all 0.5, total 50.
    "edge-50": (answer_data(invest((Y, N), (N, Y), (N, Y), (N, N)), stages(cloud=3, iot=2),
                            stages(genai=3, vision=1),
                            practices((Y, "partially"), (Y, N), (N, N))),
                (D(2), D(5), D(10), D("2.25")), D(50), "average", 1),
    # invest: design invested and planned → 1 (the first rule wins, not 1.5), operations 1,
    # purchasing 0.5, sales 0 = 2.5 of 4 → 0.625; the rest 0.5 as in edge-50:
    # total 25 × 2.125 = 53.125, just above 50.
    "above-50": (answer_data(invest((Y, Y), (Y, N), (N, Y), (N, N)), stages(cloud=3, iot=2),
                             stages(genai=3, vision=1),
                             practices((Y, "partially"), (Y, N), (N, N))),
                 (D("2.5"), D(5), D(10), D("2.25")), D("53.125"), "moderate", 1),
    # invest 1 + 1 + 0.5 + 0.5 = 3 of 4 → 0.75; tech 4 + 4 = 8 of 10 → 0.8;
    # ai 3 × 5 + 4 = 19 of 20 → 0.95; practices 0.5: total 25 × 3 = 75, the top of "51–75".
    "edge-75": (answer_data(invest((Y, N), (Y, N), (N, Y), (N, Y)), stages(cloud=4, iot=4),
                            stages(genai=5, vision=4),
                            practices((Y, "partially"), (Y, N), (N, N))),
                (D(3), D(8), D(19), D("2.25")), D(75), "moderate", 1),
    # Everything at its best: 4 of 4, 10 of 10, 20 of 20, 3 × 1.5 = 4.5 of 4.5: total 100.
    "top": (answer_data(invest((Y, Y), (Y, Y), (Y, Y), (Y, Y)), stages(cloud=5, iot=5),
                        stages(genai=5, vision=5), practices((Y, Y), (Y, Y), (Y, Y))),
            (D(4), D(10), D(20), D("4.5")), D(100), "advanced", 0),
    # AI not applicable: readiness is practices alone. invest 0.5, tech 0.5 (edge-50's);
    # practices (1 + 0.5 × 1) + (1 + 0.5 × 0.5) + (0.5 + 0.5 × 0) = 3.25 of 4.5 → 13/18;
    # total 100 × (0.5 + 13/18) / 2 = 100 × 11/18 = 61.1111 (four places).
    "ai-na": (answer_data(invest((Y, N), (N, Y), (N, Y), (N, N)), stages(cloud=3, iot=2), None,
                          practices((Y, Y), (Y, "partially"), ("partially", N))),
              (D(2), D(5), D(0), D("3.25")), D("61.1111"), "moderate", 1),
}


def assess(fw: Framework, data: dict[str, Any]) -> Result:
    return fw.assess(smesdk.answers_from_data(data))


@pytest.mark.parametrize("name", CASES)
def test_hand_computed_points_totals_and_levels(fw: Framework, name: str) -> None:
    data, points, total, level, blockers = CASES[name]
    result = assess(fw, data)
    got = {i.id: i.points for i in result.indicators}
    assert (got["strategy.invest"], got["strategy.tech"], got["readiness.ai"],
            got["readiness.practices"]) == points
    assert result.total == total
    assert result.level is not None and result.level.id == level
    assert (len(result.next_level.blockers) if result.next_level else 0) == blockers


def test_an_exclusive_edge_blocks_with_the_published_wording(fw: Framework) -> None:
    result = assess(fw, CASES["edge-50"][0])
    assert result.next_level is not None
    [blocker] = result.next_level.blockers  # only the points: no workaround gate
    assert (blocker.kind, blocker.message.en) == ("points", "a total above 50 needed (now 50)")
    assert blocker.message.zh == "总分须高于 50（当前 50）"
    result = assess(fw, CASES["edge-25"][0])
    assert result.next_level is not None
    assert [b.message.en for b in result.next_level.blockers] == [
        "a total above 25 needed (now 25)"]


def test_every_bad_cell_is_reported_at_its_place(fw: Framework) -> None:
    data = copy.deepcopy(CASES["edge-50"][0])
    grid = data["answers"]["strategy.invest"]["value"]
    grid["design"]["invested"] = "maybe"
    del grid["operations"]["planned"]
    del grid["sales"]
    grid["hr"] = {"invested": Y, "planned": N}
    grid["purchasing"]["later"] = Y
    data["answers"]["strategy.tech"]["value"]["cloud"]["stage"] = 7
    with pytest.raises(AnswerError) as info:
        assess(fw, data)
    assert sorted((p.path, p.message) for p in info.value.problems) == sorted([
        ("answers.strategy.invest[hr]", "no row 'hr' (rows: design, operations, purchasing, sales)"),
        ("answers.strategy.invest[design][invested]", "expected yes or no (是/否), got 'maybe'"),
        ("answers.strategy.invest[operations][planned]", "cell missing"),
        ("answers.strategy.invest[purchasing][later]",
         "no column 'later' (columns: invested, planned)"),
        ("answers.strategy.invest[sales]", "row missing"),
        ("answers.strategy.tech[cloud][stage]", "level 7 is not one of 0/1/2/3/4/5"),
    ])


def _spec_problems(edit: Any) -> list[tuple[str, str]]:
    data = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    edit(data)
    with pytest.raises(SpecError) as info:
        Framework.from_spec(spec_from_data(data))
    return [(p.path, p.message) for p in info.value.problems]


def _grid(data: dict[str, Any], n: int) -> dict[str, Any]:
    return [i for d in data["dimensions"] for i in d["indicators"]][n]  # type: ignore[no-any-return]


def test_grid_declarations_are_checked() -> None:
    def edit(data: dict[str, Any]) -> None:
        inv, tech, _, prac = (_grid(data, i) for i in range(4))
        inv["rules"][0]["when"] = {"invested": "maybe", "spent": True}
        inv["columns"][1]["weight"] = 2
        tech["rows"][1]["value"] = "cloud"
        prac["rows"][0]["value"] = "a[b]"
        prac["points"] = 3
        del tech["cell"]

    problems = _spec_problems(edit)
    where = "dimensions[{}].indicators[{}]."
    assert {(path.split(".", 2)[-1], msg) for path, msg in problems} >= {
        ("rules[0].when.invested", "expected yes or no (是/否), got 'maybe'"),
        ("rules[0].when.spent", "no column 'spent'"),
        ("columns", "with rules, points come per row: columns carry no weight"),
        ("cell", "a grid declares what its cells hold: choice, scale or yesno"),
        ("points", "a grid takes its points from cells, weights or rules, not points"),
    }, (where, problems)
    assert any(msg == "brackets are reserved (batch columns name cells as id[row][column])"
               for _, msg in problems)


@pytest.mark.parametrize(("edit", "message"), [
    # 25 in both bands: the first includes its max, the second does not exclude its min
    (lambda lv: lv[1].pop("min_exclusive"),
     "band of 'average' [25, 50] overlaps band of 'basic' [0, 25]"),
    # 25 in neither band
    (lambda lv: lv[0].pop("max_inclusive"),
     "gap between band of 'basic' [0, 25) and band of 'average' (25, 50]"),
])
def test_level_edges_must_meet(edit: Any, message: str) -> None:
    problems = _spec_problems(lambda data: edit(data["levels"]))
    assert ("levels[1]", message) in problems


def test_ladders_show_the_published_edges(fw: Framework) -> None:
    result = assess(fw, CASES["edge-50"][0])
    md = render_markdown(result, fw, lang="en")
    assert "- **Average** (25, 50] (official) ← current level" in md
    assert "- Basic [0, 25] (official)" in md
    assert "(25, 50]" in render_html(result, fw, lang="zh")
    assert "average 中级: (25, 50] (官方)" in show_tree(fw, "zh")  # the status in Chinese too
    page = framework_page(fw, "en")
    assert "| `advanced` Advanced (高级) | (75, 100] | official |" in page


def test_reports_show_a_grid_as_a_table_of_names(fw: Framework) -> None:
    result = assess(fw, CASES["edge-50"][0])
    md = render_markdown(result, fw, lang="en")
    assert "    | | Already invested | Plan to invest |" in md
    assert "    | Product design | yes | no |" in md
    assert "    | Cloud services | 3 – Testing |" in md
    html = render_html(result, fw, lang="zh")
    assert "<tr><th>产品设计</th><td>是</td><td>否</td></tr>" in html
    assert "| design |" not in md and "| invested |" not in md  # names, not ids


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext "
                    "(.ci/run installs it)")
def test_the_pdf_trace_shows_a_grid_by_names(fw: Framework, tmp_path: Path) -> None:
    result = assess(fw, CASES["edge-50"][0])
    path = tmp_path / "report.pdf"
    path.write_bytes(render_pdf(result, fw, lang="en"))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Cloud services: 3 – Testing; Internet of things: 2 –" in text  # the cell wraps
    assert "(25, 50]" in text


def test_docs_name_the_rows_columns_and_rules(fw: Framework) -> None:
    page = framework_page(fw, "en")
    assert ("A grid. Rows: Product design, Operations, Purchasing, Marketing and sales; "
            "columns: Already invested, Plan to invest (× weight); each cell yes/no.") in page
    assert "| Already invested = yes (已投资 = 是) | 1 |" in page
    assert "| Plan to invest = yes (计划投资 = 是) | 0.5 |" in page
    assert "Rows: Generative AI × 3, Computer vision" in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_questionnaire_round_trip(fw: Framework, lang: str, tmp_path: Path) -> None:
    answers = smesdk.answers_from_data(CASES["above-50"][0])
    path = tmp_path / "form.xlsx"
    write_questionnaire(fw, path, lang=lang, answers=answers)  # type: ignore[arg-type]
    back = read_questionnaire(path, fw)
    assert {k: fw.kinds[k].parse(fw.indicator(k), a.value) for k, a in back.answers.items()
            if not a.na} == {k: fw.kinds[k].parse(fw.indicator(k), a.value)
                             for k, a in answers.answers.items() if not a.na}
    assert fw.assess(back).total == D("53.125")


def test_questionnaire_reports_bad_and_empty_cells_at_their_place(fw: Framework,
                                                                  tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "form.xlsx"
    write_questionnaire(fw, path, lang="en", answers=smesdk.answers_from_data(
        CASES["edge-50"][0]))
    wb = load_workbook(path)
    ws = wb["Digital business strategy"]
    # Row 3 is the question, row 4 the column names, rows 5–8 the areas; D/E the two columns.
    assert [ws.cell(4, c).value for c in (4, 5)] == ["Already invested", "Plan to invest"]
    assert ws.cell(5, 3).value == "Product design"
    ws.cell(5, 4).value = "maybe"
    ws.cell(6, 5).value = None
    wb.save(path)
    with pytest.raises(AnswerError) as info:
        read_questionnaire(path, fw)
    assert [p.path for p in info.value.problems] == [
        "Digital business strategy!D5", "Digital business strategy!E6"]
    assert info.value.problems[0].message == '"maybe" is not one of no/yes'


# -- batch: one column per cell, equal to per record --------------------------------------

def cell_row(data: dict[str, Any], eid: str) -> dict[str, Any]:
    """An answer file as one batch row: a grid's cells as <id>[<row>][<col>] columns."""
    ent = data["enterprise"]
    row: dict[str, Any] = {"enterprise_id": eid, "size": ent["size"], "date": data.get("date")}
    for iid, ans in data["answers"].items():
        if ans.get("na"):
            row[f"na:{iid}"] = ans["reason"]
            continue
        for r, cells in ans["value"].items():
            for c, v in cells.items():
                row[grid_cell_column(iid, r, c)] = v
    return row


def expected(fw: Framework, row: dict[str, Any]) -> dict[str, Any]:
    try:
        result = fw.assess(smesdk.answers_from_data(row_to_data(row, as_of=AS_OF)))
    except AnswerError as exc:
        return {"ok": False, "error": row_error(exc.problems)}
    return {"ok": True, "error": None, "total": result.total,
            "level": result.level.id if result.level else None,
            "blockers": len(result.next_level.blockers) if result.next_level else 0}


def score(fw: Framework, rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The batch output rows, and how many rows went per record; each input row is
    rewritten in place to the cells as the batch holds them (a column of mixed types is text)."""
    names: list[str] = []
    for row in rows:
        names += [k for k in row if k not in names]
    batch = pa.RecordBatch.from_pydict({k: _column([row.get(k) for row in rows]) for k in names})
    plan = compile_plan(fw, as_of=AS_OF)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = score_batch(plan, batch).to_pylist()
    for row, held in zip(rows, batch.to_pylist(), strict=True):
        row.update({k: v for k, v in held.items() if k in row})
    return out, plan.per_record_rows


def _column(values: list[Any]) -> pa.Array:
    """Cells of one column: their natural type, or all as text when they mix types."""
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else str(v) for v in values], pa.string())


def test_batch_scores_the_hand_computed_cases_without_per_record(fw: Framework) -> None:
    rows = [cell_row(data, name) for name, (data, *_) in CASES.items()]
    out, per_record = score(fw, rows)
    assert per_record == 0
    for got, (name, (_, _, total, level, blockers)) in zip(out, CASES.items(), strict=True):
        assert (got["enterprise_id"], got["total"], got["level"], got["blockers"]) == (
            name, total, level, blockers)


def test_batch_errors_name_the_cell_columns(fw: Framework) -> None:
    row = cell_row(CASES["edge-50"][0], "bad")
    row["strategy.invest[design][invested]"] = "maybe"
    row["strategy.tech[iot][stage]"] = None
    [got], _ = score(fw, [row])
    assert got["ok"] is False
    assert got["error"] == ("strategy.invest[design][invested]: expected yes or no (是/否), "
                            "got 'maybe'; strategy.tech[iot][stage]: cell missing")


def test_cell_columns_are_checked_before_scoring(fw: Framework) -> None:
    row = cell_row(CASES["edge-50"][0], "x")
    row["strategy.invest[hr][invested]"] = "yes"
    row["strategy.tech"] = "3"
    with pytest.raises(AnswerError) as info:
        score(fw, [row])
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("strategy.invest[hr][invested]", "no row 'hr' (rows: design, operations, purchasing, "
                                          "sales)"),
        ("strategy.tech", "'strategy.tech' is a grid: give one column per cell, "
                          "strategy.tech[<row>][<column>]")]


def test_input_schema_types_each_cell(fw: Framework) -> None:
    schema = input_schema(fw)
    assert schema.field("strategy.invest[sales][planned]").type == pa.bool_()
    assert schema.field("strategy.tech[iot][stage]").type == pa.int64()
    assert schema.field("readiness.practices[backup][plan]").type == pa.string()
    assert "strategy.invest" not in schema.names


@pytest.mark.parametrize("dictionary", [False, True])
def test_synthetic_parquet_batch_equals_per_record(fw: Framework, dictionary: bool,
                                                   tmp_path: Path) -> None:
    batch = synthetic_batch(fw, 400, seed=7, dictionary=dictionary)
    pq.write_table(pa.Table.from_batches([batch]), tmp_path / "in.parquet")
    [read] = pq.read_table(tmp_path / "in.parquet").to_batches(max_chunksize=1000)
    plan = compile_plan(fw, as_of=AS_OF)
    out = score_batch(plan, read).to_pylist()
    assert plan.per_record_rows == 0
    for row, got in zip(read.to_pylist(), out, strict=True):
        want = expected(fw, row)
        assert {k: got[k] for k in want} == want


def test_a_grid_too_wide_for_one_integer_key_still_tells_rows_apart() -> None:
    # 40 rows × 1 column of no/partially/yes: 4 codes per cell (with "empty"), and 4^32 =
    # 2^64, so a combination key that simply overflowed would lose the first cell: "first-yes"
    # would merge with "all-no". The batch renumbers its key before that can happen.
    data = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    prac = _grid(data, 3)
    prac["rows"] = [{"value": f"p{i}", "label": {"zh": f"做法{i}", "en": f"Practice {i}"}}
                    for i in range(40)]
    prac["columns"] = prac["columns"][:1]
    wide = Framework.from_spec(spec_from_data(data))
    base = cell_row(CASES["edge-50"][0], "all-no")
    base = {k: v for k, v in base.items() if not k.startswith("readiness.practices")}
    base.update({f"readiness.practices[p{i}][today]": N for i in range(40)})
    part = {**base, "enterprise_id": "all-partially",
            **{f"readiness.practices[p{i}][today]": "partially" for i in range(40)}}
    yes = {**base, "enterprise_id": "all-yes",
           **{f"readiness.practices[p{i}][today]": Y for i in range(40)}}
    first_yes = {**base, "enterprise_id": "first-yes", "readiness.practices[p0][today]": Y}
    # (every cell column then holds three values: four codes each, with "empty")
    # practices of 40: 0, 20, 40, 1 → readiness (50 + 0) / 2 = 25, (50 + 50) / 2 = 50,
    # (50 + 100) / 2 = 75, (50 + 2.5) / 2 = 26.25 → totals the mean with strategy's 50
    out, per_record = score(wide, [base, part, yes, first_yes])
    assert per_record == 0
    assert [r["total"] for r in out] == [D("37.5"), D(50), D("62.5"), D("38.125")]
    batch = synthetic_batch(wide, 300, seed=11)
    plan = compile_plan(wide, as_of=AS_OF)
    for row, got in zip(batch.to_pylist(), score_batch(plan, batch).to_pylist(), strict=True):
        want = expected(wide, row)
        assert {k: got[k] for k in want} == want


@st.composite
def rows(draw: st.DrawFn, fw: Framework) -> list[dict[str, Any]]:
    out = []
    for i, answers in enumerate(draw(st.lists(answer_sets(fw), min_size=1, max_size=5))):
        data = {"enterprise": {"size": answers.enterprise.size}, "date": None, "answers": {
            k: {"na": True, "reason": a.reason} if a.na else {"value": a.value}
            for k, a in answers.answers.items()}}
        row = cell_row(data, f"E{i}")
        cells = sorted(k for k in row if "[" in k)
        for name in draw(st.lists(st.sampled_from(cells), max_size=3)):  # spoil a few cells
            row[name] = draw(st.sampled_from([None, "maybe", 9, True, "partially", 3]))
        out.append(row)
    return out


def test_batch_equals_per_record_on_generated_rows(fw: Framework) -> None:
    @settings(deadline=None, max_examples=40,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(batch_rows=rows(fw), text=st.booleans())
    def run(batch_rows: list[dict[str, Any]], text: bool) -> None:
        if text:  # every cell as text, as CSV hands it over
            batch_rows = [{k: (None if v is None else str(v).lower() if isinstance(v, bool)
                               else str(v)) for k, v in row.items()} for row in batch_rows]
        out, _ = score(fw, batch_rows)
        for row, got in zip(batch_rows, out, strict=True):
            want = expected(fw, row)
            assert {k: got[k] for k in want} == want, row

    run()


class TestGridFramework(FrameworkSuite):
    """The test kit's conformance and property suite on the fixture, with its examples."""

    framework = str(SPEC_FILE)
    examples = str(SPEC_FILE.parent / "examples" / "*.yaml")


def test_spec_diff_tells_grid_rules_and_level_edges_from_wording(fw: Framework) -> None:
    from smesdk.spec_diff import diff_frameworks

    data = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    data["version"] = "2"
    _grid(data, 0)["rules"][1]["points"] = 0.25   # planned only: 0.5 → 0.25
    _grid(data, 0)["rows"][0]["label"]["en"] = "Design"
    data["levels"][0]["max_inclusive"] = False     # back to [0, 25) and [25, 50]
    data["levels"][1]["min_exclusive"] = False
    new = Framework.from_spec(spec_from_data(data))
    changes = {(c.kind, c.id, tuple(c.fields)) for c in diff_frameworks(fw, new).changes}
    assert changes == {("reworded", "strategy.invest", ("rows.label",)),
                       ("rebanded", "strategy.invest", ("rules",)),
                       ("relevelled", "basic", ("max_inclusive",)),
                       ("relevelled", "average", ("min_exclusive",))}


def test_answer_migrations_map_each_cell_of_a_grid(fw: Framework) -> None:
    from smesdk.migrate import migrate_answers

    data = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    data["version"] = "2"
    # version 2 drops "partially": it becomes "no", and a "yes" plan cannot be carried
    _grid(data, 3)["options"] = [o for o in _grid(data, 3)["options"] if o["value"] != "partially"]
    data["migrations"] = [{"from_version": "1", "values": {
        "readiness.practices": {"partially": "no"}}}]
    v2 = Framework.from_spec(spec_from_data(data))
    answers = smesdk.answers_from_data(CASES["edge-50"][0])
    moved = migrate_answers(answers, v2, "1")
    carried = moved.answers.answers["readiness.practices"].value
    assert carried["policy"] == {"today": "yes", "plan": "no"}  # was partially
    # 1 + 1 + 0 = 2 of 3 × 1.5 = 4.5 (plan cells are all "no" now)
    assert v2.assess(moved.answers).indicator("readiness.practices").points == 2

    data["migrations"][0]["values"]["readiness.practices"] = {"partially": None}
    v2 = Framework.from_spec(spec_from_data(data))
    moved = migrate_answers(answers, v2, "1")
    assert "readiness.practices" not in moved.answers.answers
    [left] = moved.not_carried
    assert left.reason.en == ("[policy][plan]: option 'partially' has no counterpart in the new "
                              "version: ask again")

    # Without a value table, the old cell does not fit: refused with its place, not an error.
    data["migrations"][0]["values"] = {}
    v2 = Framework.from_spec(spec_from_data(data))
    moved = migrate_answers(answers, v2, "1")
    assert [n.reason.en for n in moved.not_carried] == [
        "as readiness.practices[policy][plan]: 'partially' is not one of no/yes"]
