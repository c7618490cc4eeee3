"""The compiled batch scorer equals the per-record scorer, column by column, for every
installed framework and profile, on generated answer sets (with N/A, missing answers, facts
and invalid cells) and on the plugins' example answer sets."""

from __future__ import annotations

import datetime as dt
import glob
import warnings
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import smesdk
from smesdk.answers import AnswerSet
from smesdk.batch import compile_plan, score_batch
from smesdk.batch.columns import grid_cell_column, row_error, row_to_data, split_multi
from smesdk.batch.output import scaled
from smesdk.errors import AnswerError
from smesdk.testing.strategies import answer_sets

AS_OF = dt.date(2026, 3, 31)
INVALID = ["zzz", -1, 10**6, True, "", "  ", 2.5, "1e400", "nan", ["bogus"], "是", "3.0"]


def _cases() -> list[tuple[str, str | None]]:
    host = smesdk.default_host()
    out = []
    for fid in host.framework_ids():
        fw = smesdk.load_framework(fid)
        out += [(fid, None), *((fid, p) for p in fw.profiles)]
    return out


CASES = _cases()
_FRAMEWORKS: dict[tuple[str, str | None], smesdk.Framework] = {}


def framework(fid: str, profile: str | None) -> smesdk.Framework:
    key = (fid, profile)
    if key not in _FRAMEWORKS:
        base = smesdk.load_framework(fid)
        _FRAMEWORKS[key] = base.with_profile(profile) if profile else base
    return _FRAMEWORKS[key]


def answer_row(answers: AnswerSet, eid: str, *, date: bool = True) -> dict[str, Any]:
    """One input row holding the answer set (the inverse of row_to_data)."""
    ent = answers.enterprise
    row: dict[str, Any] = {"enterprise_id": eid, "name": ent.name, "size": ent.size,
                           "industry": ent.industry, "date": answers.date if date else None}
    for iid, ans in answers.answers.items():
        if ans.na:
            row[f"na:{iid}"] = ans.reason
        elif isinstance(ans.value, dict):  # a grid: one column per cell
            for r, cells in ans.value.items():
                for c, v in cells.items():
                    row[grid_cell_column(iid, r, c)] = v
        else:
            row[iid] = ans.value
    for key, ans in answers.facts.items():
        row[f"fact:{key}"] = ans.value
    return row


def expected(fw: smesdk.Framework, row: dict[str, Any]) -> dict[str, Any]:
    """The output columns as the per-record scorer (answers_from_data + assess) gives them."""
    try:
        result = fw.assess(smesdk.answers_from_data(row_to_data(row, as_of=AS_OF)))
    except AnswerError as exc:
        return {"ok": False, "error": row_error(exc.problems)}
    top = [d for d in fw.children[""] if fw.nodes[d].dimension is not None]
    out: dict[str, Any] = {
        "ok": True, "error": None, "total": result.total,
        "level": result.level.id if result.level else None,
        "level_rank": result.level.rank if result.level else 0,
        "blockers": len(result.next_level.blockers) if result.next_level else 0,
    }
    for did in top:
        out[f"dim:{did}"] = result.dimension(did).score
    return out


def to_batch(rows: list[dict[str, Any]], typing: str) -> pa.RecordBatch:
    """Rows as Arrow columns: natural types, or every cell as text (how CSV arrives)."""
    names: list[str] = []
    for row in rows:
        names += [k for k in row if k not in names and k != "spoiled"]
    columns = {}
    for name in names:
        values = [row.get(name) for row in rows]
        columns[name] = _column(values, typing)
    return pa.RecordBatch.from_pydict(columns)


def _column(values: list[Any], typing: str) -> pa.Array:
    def text(v: Any) -> str | None:
        if v is None:
            return None
        if isinstance(v, list):
            return "|".join(map(str, v))
        if isinstance(v, bool):
            return "yes" if v else "no"
        return v.isoformat() if isinstance(v, dt.date) else str(v)

    if typing == "text":
        return pa.array([text(v) for v in values], pa.string())
    if typing == "coded":  # text as the Parquet reader hands it over: dictionary codes
        return pa.array([text(v) for v in values], pa.string()).dictionary_encode()
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {Decimal, int, float} and kinds - {int}:
        return pa.array([float(v) if v is not None else None for v in values], pa.float64())
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([text(v) for v in values], pa.string())


def check(fw: smesdk.Framework, rows: list[dict[str, Any]], typing: str = "natural") -> int:
    """Compare every row; return how many valid rows the batch scorer sent per record."""
    batch = to_batch(rows, typing)
    plan = compile_plan(fw, as_of=AS_OF)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = score_batch(plan, batch).to_pylist()
    decoded = pa.RecordBatch.from_arrays(
        [c.dictionary_decode() if pa.types.is_dictionary(c.type) else c for c in batch.columns],
        names=batch.schema.names)
    given_rows = split_multi(fw, decoded).to_pylist()  # the cells as score_batch reads them
    assert len(got) == len(rows)
    errors = 0
    for i, (row, out) in enumerate(zip(given_rows, got, strict=True)):
        want = expected(fw, row)
        errors += not want["ok"]
        have = {k: out[k] for k in want}
        assert have == want, f"row {i}: {row}"
        assert out["row"] == i and out["enterprise_id"] == row["enterprise_id"]
    return plan.per_record_rows - errors


@st.composite
def rows_for(draw: st.DrawFn, fw: smesdk.Framework) -> list[dict[str, Any]]:
    sets = draw(st.lists(answer_sets(fw), min_size=1, max_size=6))
    rows = []
    for i, answers in enumerate(sets):
        row = answer_row(answers, f"E{i}", date=draw(st.booleans()))
        if draw(st.integers(0, 3)) == 0:  # spoil a few cells
            row["spoiled"] = True
            for iid in draw(st.lists(st.sampled_from(fw.indicator_ids), max_size=2)):
                how = draw(st.integers(0, 3))
                if how == 0:
                    row[iid] = draw(st.sampled_from(INVALID))
                elif how == 1:
                    row[iid] = None  # missing
                elif how == 2:
                    row[f"na:{iid}"] = draw(st.sampled_from(["not relevant", " "]))
                    row.pop(iid, None)
                else:
                    ind = fw.indicator(iid)
                    if ind.fact:  # the fact stands in for the answer
                        row[f"fact:{ind.fact}"] = row.pop(iid, None)
        rows.append(row)
    return rows


@pytest.mark.parametrize(("fid", "profile"), CASES, ids=[f"{f}-{p}" for f, p in CASES])
def test_compiled_equals_per_record(fid: str, profile: str | None) -> None:
    fw = framework(fid, profile)

    @settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                    HealthCheck.data_too_large])
    @given(rows=rows_for(fw), typing=st.sampled_from(["natural", "text", "coded"]))
    def run(rows: list[dict[str, Any]], typing: str) -> None:
        fallbacks = check(fw, rows, typing)
        # Plugin aggregations and level rules compile too (shares, combine per distinct child
        # scores, decide per distinct view): only spoiled rows may go per record.
        spoiled = sum(bool(row.get("spoiled")) for row in rows)
        assert fallbacks <= spoiled, "valid rows must be scored by the compiled path"

    run()


EXAMPLES = sorted(glob.glob("plugins/*/examples/*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES)
def test_examples_score_the_same(path: str) -> None:
    answers = smesdk.load_answers(path)
    fw = smesdk.load_framework(answers.framework or "", answers.profile)
    row = answer_row(answers, "X")
    assert check(fw, [row]) == 0
    assert check(fw, [row], "text") == 0
    assert check(fw, [row], "coded") == 0
    batch = score_batch(compile_plan(fw, as_of=AS_OF), to_batch([row], "natural")).to_pylist()[0]
    expiring = any(a.evidence and a.evidence.expires
                   for a in [*answers.answers.values(), *answers.facts.values()])
    if "total" in answers.expected and not expiring:
        # The example's own expectation, worked out by its author (batch input has no evidence,
        # so examples that void answers by expired evidence are only compared per record).
        assert scaled(batch["total"]) == scaled(Decimal(str(answers.expected["total"])))


@pytest.mark.parametrize("typing", ["natural", "coded"])
def test_enterprise_ids_with_white_space_score_as_per_record(typing: str) -> None:
    # Ids empty, blank, or with white space at either end (ASCII or not: U+3000 is the
    # ideographic space) are checked per record; the rest are scored by the compiled path.
    path = "plugins/management/examples/zjtx_midsize.yaml"
    answers = smesdk.load_answers(path)
    fw = smesdk.load_framework(answers.framework or "", answers.profile)
    ids = ["", " ", " e1", "e2 ", "\u3000e3", "e4\u3000", "\x0be5", "e\u3000 6", "企业七"]
    rows = [answer_row(answers, eid) for eid in ids]
    # every row as per record scores it; the five with white space at an end went per record
    # (the two empty ones are errors), the two ordinary ones did not
    assert check(fw, rows, typing) == 5
