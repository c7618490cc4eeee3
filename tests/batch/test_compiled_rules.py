"""Rules no installed framework uses yet, compiled and compared with the per-record scorer:
minimum, nested sum of points, gates on dimension points / counts / facts / not, size and
industry applicability, prerequisites, N/A caps, number edges, the overflow guard and the
fallback for highest_level."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smesdk import Framework
from smesdk.batch import compile_plan, score_batch
from smesdk.batch.columns import split_multi
from smesdk.batch.synthetic import synthetic_batch
from smesdk.loading import spec_from_data
from smesdk.testing.strategies import answer_sets

sys.path.insert(0, str(Path(__file__).parent))
from test_equality import AS_OF, answer_row, check, expected

SRC = {"doc": "000", "clause": "一"}
T = {"zh": "文本", "en": "text"}


def ind(id: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"id": id, "title": T, "question": T, "kind": kind, "source": SRC,
            "status": "derived", **extra}


CHOICE = [{"value": "a", "label": T, "points": 0}, {"value": "b", "label": T, "points": 1.5},
          {"value": "c", "label": T, "points": 3}]
SCALE = [{"level": i, "label": T} for i in range(4)]


def spec(aggregation: str = "weighted_mean", weights: tuple[Any, ...] = (1, 2, 3),
         points: tuple[Any, ...] = (1, 1, 1)) -> dict[str, Any]:
    return {
        "id": "rules", "version": "1", "title": T, "description": T,
        "source": {"id": "000", "title": T, "issuer": T},
        "aggregation": aggregation,
        "dimensions": [
            {"id": "weak", "title": T, "aggregation": "minimum", "weight": weights[0], "na_cap": 0.5,
             "indicators": [
                 ind("c", "choice", options=CHOICE),
                 ind("s", "scale", scale=SCALE, na_allowed=True),
                 ind("y", "yesno", points=points[0], applies_to={"sizes": ["small", "medium"]}),
             ]},
            {"id": "pts", "title": T, "aggregation": "sum_points", "weight": weights[1],
             "dimensions": [
                 {"id": "x", "title": T, "aggregation": "sum_points", "indicators": [
                     ind("n", "number", min=0, max=1000, points=points[1], bands=[
                         {"ge": 0, "lt": 0.1, "points": 0}, {"ge": 0.1, "le": 2.5, "points": 1},
                         {"gt": 2.5, "points": 2}]),
                     ind("p", "percent", na_allowed=True, bands=[
                         {"ge": 0, "le": 33.3, "points": 0}, {"gt": 33.3, "points": 1.25}]),
                 ]},
                 {"id": "z", "title": T, "indicators": [
                     ind("m", "multi", cap=2.5, options=[
                         {"value": "none", "label": T, "exclusive": True},
                         {"value": "u", "label": T, "points": 1}, {"value": "v", "label": T,
                                                                   "points": 1.5},
                         {"value": "w", "label": T, "points": 0.5}]),
                     ind("f", "multi", mode="fraction", points=points[2], options=[
                         {"value": "q", "label": T}, {"value": "r", "label": T},
                         {"value": "t", "label": T}]),
                     ind("d", "date", within_days=90, required=False, depends_on=["weak.y"]),
                     ind("k", "yesno", fact="cert.ok", required=False,
                         applies_to={"industries": ["18", "19"]}),
                 ]},
             ]},
            {"id": "info", "title": T, "weight": weights[2], "scored": True, "indicators": [
                ind("g", "scale", scale=SCALE, depends_on=["weak.c"], required=False),
                ind("t", "text", required=False),
            ]},
        ],
        "sets": {"core": ["weak.c", "weak.s", "info.g"]},
        "levels": [
            {"id": "one", "title": T, "min": 0, "max": 30},
            {"id": "two", "title": T, "min": 30, "max": 60, "gate": {"all": [
                {"dimension": {"id": "pts", "measure": "points", "ge": 2}},
                {"count": {"set": "core", "measure": "level", "ge": 2, "at_least": 2}},
                {"not": {"indicator": {"id": "weak.c", "measure": "answer", "eq": "a"}}}]}},
            {"id": "three", "title": T, "min": 60, "gate": {"any": [
                {"fact": {"key": "cert.ok", "eq": True}},
                {"indicator": {"id": "pts.x.n", "measure": "level", "gt": 2.5}},
                {"total": {"ge": 90}}], "label": T}},
        ],
        "level_caps": [{"id": "red", "title": T, "max_level": "one",
                        "when": {"indicator": {"id": "weak.s", "measure": "score", "ge": 25}}}],
    }


def framework(**kw: Any) -> Framework:
    return Framework.from_spec(spec_from_data(spec(**kw)))


@pytest.mark.parametrize("aggregation", ["weighted_mean", "sum_points", "minimum"])
def test_rules_compile_and_equal_per_record(aggregation: str) -> None:
    fw = framework(aggregation=aggregation)
    assert compile_plan(fw).compiled is not None

    @settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(sets=st.lists(answer_sets(fw), min_size=1, max_size=20),
           typing=st.sampled_from(["natural", "text"]), facts=st.lists(st.booleans() | st.none()))
    def run(sets: list[Any], typing: str, facts: list[bool | None]) -> None:
        rows = [answer_row(a, f"R{i}") for i, a in enumerate(sets)]
        for row, fact in zip(rows, facts, strict=False):
            row["fact:cert.ok"] = fact
            row["industry"] = "18"
        assert check(fw, rows, typing) == 0  # every valid row scored by the compiled path

    run()


def test_number_edges_are_exact() -> None:
    # 0.1 and 2.5 are edges: values on, just below and just above each must band like
    # Decimal comparisons do (0.1 as a float is 0.1000000000000000055..., still "on" the edge).
    fw = framework()
    base = {"enterprise_id": "e", "size": "small", "weak.c": "b", "weak.s": 2, "weak.y": True,
            "pts.z.m": ["u"], "pts.z.f": ["q"], "pts.x.p": 50.0, "info.g": 1}
    values = [0.1, 0.09999999999999999, 0.10000000000000002, 2.5, 2.5000000000000004, 0, 1000,
              1000.0000000000001, -0.0, 1e-20]
    assert check(fw, [dict(base, **{"pts.x.n": v}) for v in values]) <= 2  # the two out of range
    assert check(fw, [dict(base, **{"pts.x.n": v}) for v in
                      ["0.1", " 2.5 ", "2.50000000000000000001", "1e-1", "+3", "7_0", "0x10"]],
                 "natural") >= 0


def test_overflow_guard_sends_rows_per_record() -> None:
    # Weights and points with large coprime denominators make the exact sums outgrow int64.
    fw = framework(weights=("0.999983", "0.999979", "0.999961"),
                   points=("0.9999991", "0.9999973", "0.9999929"))
    rows = synthetic_batch(fw, 20, seed=3).to_pylist()
    assert check(fw, rows) > 0  # the guard sent rows per record; results equal all the same


@pytest.mark.parametrize("pass_score", [1, "0.5"])
def test_highest_level_compiles(pass_score: Any) -> None:
    data = spec()
    dim = data["dimensions"][0]
    dim["aggregation"] = "highest_level"
    dim["params"] = {"pass_score": pass_score}
    for item, tier in zip(dim["indicators"], (1, 2, 2), strict=True):
        item["tier"] = tier
    fw = Framework.from_spec(spec_from_data(data))
    assert compile_plan(fw).compiled is not None

    @settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(sets=st.lists(answer_sets(fw), min_size=1, max_size=20))
    def run(sets: list[Any]) -> None:
        assert check(fw, [answer_row(a, f"H{i}") for i, a in enumerate(sets)]) == 0

    run()


@pytest.mark.parametrize("where", ["dimension", "total"])
def test_a_plugin_aggregation_compiles_through_its_combine(where: str) -> None:
    # hooktest's root_mean_square (non-linear) on a dimension or on the total: its combine is
    # called once per distinct tuple of child scores; no row goes per record.
    from smesdk_hooktest import RootMeanSquare

    from smesdk.registry import Registry

    registry = Registry.builtin()
    registry.aggregations.add(RootMeanSquare(), "hooktest")
    data = spec()
    if where == "dimension":
        data["dimensions"][0]["aggregation"] = "root_mean_square"
    else:
        data["aggregation"] = "root_mean_square"
    fw = Framework.from_spec(spec_from_data(data), registry=registry)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # compiled: no "scored per record" warning
        plan = compile_plan(fw, as_of=AS_OF)
    assert plan.compiled is not None

    @settings(deadline=None, max_examples=20, suppress_health_check=[HealthCheck.too_slow])
    @given(sets=st.lists(answer_sets(fw), min_size=1, max_size=12))
    def run(sets: list[Any]) -> None:
        assert check(fw, [answer_row(a, f"Q{i}") for i, a in enumerate(sets)]) == 0

    run()
    assert check(fw, synthetic_batch(fw, 40, seed=4).to_pylist()) == 0


def test_the_hooktest_framework_compiles_whole() -> None:
    # A plugin kind (stars), aggregation (root_mean_square, on the total) and level rule
    # (first_level_only, decided once per distinct view): every valid row compiled.
    import smesdk

    fw = smesdk.load_framework("hooktest")
    plan = compile_plan(fw, as_of=AS_OF)
    assert plan.compiled is not None
    rows = synthetic_batch(fw, 60, seed=5).to_pylist()
    rows[0]["quality.a"] = "six"  # invalid: per record, with its message
    assert check(fw, rows) == 0


def test_a_plugin_kind_is_parsed_by_the_plugin_and_the_rest_compiled() -> None:
    # hooktest's "stars" kind (points = stars - 1, level = stars) under built-in rules: its
    # column is parsed value by value with the plugin's own methods, no row goes per record.
    from smesdk_hooktest import StarsKind

    from smesdk.registry import Registry

    registry = Registry.builtin()
    registry.kinds.add(StarsKind(), "hooktest")
    data = spec()
    data["dimensions"][2]["indicators"].append(ind("st", "stars"))
    data["levels"][2]["gate"]["any"].append(
        {"indicator": {"id": "info.st", "measure": "level", "ge": 4}})
    fw = Framework.from_spec(spec_from_data(data), registry=registry)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert compile_plan(fw).compiled is not None

    @settings(deadline=None, max_examples=10, suppress_health_check=[HealthCheck.too_slow])
    @given(sets=st.lists(answer_sets(fw), min_size=1, max_size=10), bad=st.booleans())
    def run(sets: list[Any], bad: bool) -> None:
        rows = [answer_row(a, f"P{i}") for i, a in enumerate(sets)]
        if bad:
            rows[0]["info.st"] = "six"
        assert check(fw, rows) == 0

    run()


def test_column_types_readers_may_produce() -> None:
    # The same answers typed as other readers give them (narrow/unsigned ints, decimals, dates
    # as text with spaces, nulls everywhere): compiled == per record, cell by cell.
    fw = framework()
    n = 6
    batch = pa.RecordBatch.from_pydict({
        "enterprise_id": [f"t{i}" for i in range(n)],
        "size": ["small", "medium", "micro", "small", None, "small"],
        "industry": ["18", "19", None, "18", "18", "01"],
        "date": [" 2026-03-01 ", "2026-02-30", None, "2026-03-31", "20260331", "2026-03-31"],
        "weak.c": pa.array(["a", "b", "c", "b", "c", "x"]),
        "weak.s": pa.array([0, 1, 2, 3, None, 200], pa.uint8()),
        "weak.y": pa.array([True, None, False, True, True, False]),
        "pts.x.n": pa.array(["0.10", "2.5", "1000", "2.50", "0.0999", None], pa.string())
        .cast(pa.decimal128(8, 4)),
        "pts.x.p": pa.array([0, 33, 34, 100, 101, None], pa.uint64()),
        "pts.z.m": ["u|v", "none", "", "w|u", "v|v", None],
        "pts.z.f": ["q", "q|r|t", "", "t", "r", "q"],
        "pts.z.d": pa.array(["2026-01-15", None, "2025-01-01", "2026-03-31", None, "x"]),
        "pts.z.k": pa.array(["yes", "否", None, " Y ", "maybe", "no"]),
        "info.g": pa.array([1, 2, 3, 0, 2, 3], pa.int16()),
        "info.t": [None, "note", "", None, "x", "y"],
        "fact:cert.ok": [True, None, True, None, False, None],
    })
    plan = compile_plan(fw, as_of=AS_OF)
    got = score_batch(plan, batch).to_pylist()
    for row, out in zip(split_multi(fw, batch).to_pylist(), got, strict=True):
        want = expected(fw, row)
        assert {k: out[k] for k in want} == want, row
    # rows 1 (no such date 2026-02-30), 4 (no size; v ticked twice), 5 (x is no option) fail
    assert [out["ok"] for out in got] == [True, False, True, True, False, False]
    assert plan.per_record_rows == 3  # only the failing rows went per record


@pytest.mark.parametrize("cells", [
    pa.array([1000, 1005, None, 1100], pa.int64()),  # far from zero: codes in int8
    pa.array([-2**40, None, -2**40 + 126], pa.int64()),  # the widest int8 range
    pa.array([-128, -1], pa.int8()),  # 127 apart: int16 codes
    pa.array([0, 255, None], pa.uint8()),
    pa.array([2**32 - 2, None, 2**32 - 1], pa.uint32()),
    pa.array([True, None, False]),
    pa.DictionaryArray.from_arrays(pa.array([1, None, 0], pa.uint8()), pa.array(["a", "b"])),
    pa.DictionaryArray.from_arrays(pa.array([1, None, 0], pa.int32()), pa.array(["a", "b"])),
])
def test_narrow_integer_codes_point_at_their_own_values(cells: pa.Array) -> None:
    # Codes may be narrower than the cells: each must still name its own cell's value.
    from smesdk.batch.cells import distinct

    codes, values = distinct(cells)
    assert [values[c] if c >= 0 else None for c in codes.tolist()] == cells.to_pylist()


def _multi_spec(options: int, mode: str) -> dict[str, Any]:
    opts = [{"value": f"o{i}", "label": T, "points": (i % 3) * 0.5} for i in range(options)]
    extra = {"mode": "fraction", "points": 2} if mode == "fraction" else {"cap": 4}
    if mode == "fraction":
        opts = [{"value": o["value"], "label": T} for o in opts]
    opts[0]["exclusive"] = True
    return {
        "id": "masks", "version": "1", "title": T, "description": T,
        "source": {"id": "000", "title": T, "issuer": T}, "aggregation": "sum_points",
        "dimensions": [{"id": "z", "title": T, "indicators": [
            ind("m", "multi", options=opts, **extra)]}],
        "levels": [{"id": "one", "title": T, "min": 0}],
    }


@pytest.mark.parametrize("options", [3, 8, 9, 20, 40, 62])  # masks of 8, 16, 32 and 64 bits
@pytest.mark.parametrize("mode", ["sum", "fraction"])
def test_option_masks_of_every_width_score_as_per_record(options: int, mode: str) -> None:
    # Each row's selections are read into a bit mask as narrow as the options allow; valid
    # sets, the exclusive option alone and with others, an unknown, a repeat, the last
    # option, nothing and a missing cell: compiled == per record, row by row.
    fw = Framework.from_spec(spec_from_data(_multi_spec(options, mode)))
    last = f"o{options - 1}"
    cells: list[Any] = [["o1", last], ["o0"], ["o0", "o1"], ["o1", "nope"], ["nope"],
                        ["o2", "o2"], [last], [], None, [f"o{i}" for i in range(1, options)]]
    rows = [{"enterprise_id": f"E{i}", "name": None, "size": "small", "industry": "18",
             "date": "2026-03-31", "z.m": cell} for i, cell in enumerate(cells)]
    assert check(fw, rows) == 0  # every valid row was scored compiled


class _AnswerRule:
    """A plugin level rule reading answers and points (it declares no ``reads``): level "two"
    when weak.c was answered "c" and dimension pts has at least 2 points, else "one"."""

    name = "answer_rule"
    reads = None

    def decide(self, spec: Any, view: Any) -> Any:
        from smesdk.levels import LevelOutcome, level_ref

        good = view.ind_answer.get("weak.c") == "c" and view.dim_points["pts"] >= 2
        return LevelOutcome(level_ref(spec, spec.levels[1 if good else 0]), None, [])

    def decide_columns(self, spec: Any, view: Any) -> Any:
        from smesdk.columnar import NotVectorisable

        raise NotVectorisable("answer_rule")

    def check(self, spec: Any) -> Any:
        return iter(())


def test_a_plugin_level_rule_decides_once_per_distinct_view() -> None:
    from smesdk.levels import LevelRule
    from smesdk.registry import Registry

    rule = type("AnswerRule", (_AnswerRule, LevelRule), {})()
    registry = Registry.builtin()
    registry.level_rules.add(rule, "test")
    data = spec()
    data["level_rule"] = "answer_rule"
    fw = Framework.from_spec(spec_from_data(data), registry=registry)
    assert compile_plan(fw).compiled is not None

    @settings(deadline=None, max_examples=20, suppress_health_check=[HealthCheck.too_slow])
    @given(sets=st.lists(answer_sets(fw), min_size=1, max_size=12))
    def run(sets: list[Any]) -> None:
        assert check(fw, [answer_row(a, f"L{i}") for i, a in enumerate(sets)]) == 0

    run()


@pytest.mark.parametrize("fid", ["management", "digital", "quality-brand", "iso9001",
                                 "hooktest"])
def test_text_as_dictionary_codes_scores_the_same(fid: str) -> None:
    # The same rows with text as plain strings and as dictionary codes (how the Parquet
    # reader hands text over): byte-equal outputs, and nothing goes per record.
    import smesdk

    fw = smesdk.load_framework(fid)
    plain = synthetic_batch(fw, 300, seed=8)
    coded = synthetic_batch(fw, 300, seed=8, dictionary=True)
    assert plain.to_pylist() == coded.to_pylist()
    assert any(pa.types.is_dictionary(t) for t in coded.schema.types)
    plan = compile_plan(fw, as_of=AS_OF)
    assert score_batch(plan, plain).equals(score_batch(plan, coded))
    assert plan.per_record_rows == 0


def test_multi_select_text_as_dictionary_codes_is_split_like_text() -> None:
    # "u|v" written as text but dictionary-encoded: read as the two options, as plain text is.
    fw = framework()
    rows = [{"enterprise_id": "d1", "size": "small", "industry": "18", "weak.c": "b",
             "weak.s": 2, "weak.y": True, "pts.x.n": 1.0, "pts.x.p": 50.0, "pts.z.m": m,
             "pts.z.f": "q", "info.g": 1} for m in ["u|v", "none", "", "u|x"]]
    batch = pa.RecordBatch.from_pylist(rows)
    at = batch.schema.names.index("pts.z.m")
    coded = batch.set_column(at, "pts.z.m", batch.column(at).dictionary_encode())
    plan = compile_plan(fw, as_of=AS_OF)
    assert score_batch(plan, coded).equals(score_batch(plan, batch))
    assert check(fw, rows, "text") == 0


def test_a_rescoring_kind_subclass_does_not_inherit_the_band_shortcut() -> None:
    """A plugin subclass of the number kind that changes ``points`` is read by its own rule."""
    from fractions import Fraction

    from smesdk.kinds import ColumnRule, NumberKind
    from smesdk.registry import Registry

    class Halved(NumberKind):  # half the band's points above 100, e.g. for implausible values
        name = "halved"

        def points(self, ind: Any, value: Any, on: Any) -> Fraction:
            full = super().points(ind, value, on)
            return full / 2 if value > 100 else full

    assert Halved.column_rule is ColumnRule.DISTINCT  # not the inherited BANDS
    registry = Registry.builtin()
    registry.kinds.add(Halved(), "test")
    bands = [{"ge": 0, "lt": 10, "points": 0}, {"ge": 10, "points": 1}]
    fw = Framework.from_spec(spec_from_data({
        "id": "dbl", "version": "1", "title": T, "description": T,
        "source": {"id": "000", "title": T, "issuer": T}, "aggregation": "sum_points",
        "dimensions": [{"id": "d", "title": T, "aggregation": "sum_points", "indicators": [
            ind("n", "halved", bands=bands, points=1)]}]}), registry=registry)
    rows = [{"enterprise_id": f"E{i}", "name": "x", "size": "small", "date": None,
             "d.n": v} for i, v in enumerate([3, 12, 150, None])]
    check(fw, rows)  # batch == per record, row by row
    # By hand, as a share of the 1-point maximum: 3 -> 0 %; 12 -> band worth 1 -> 100 %;
    # 150 -> that band halved, 0.5 -> 50 % (the band shortcut would say 100 %).
    got = score_batch(compile_plan(fw, as_of=AS_OF), to_batch_rows(rows)).to_pylist()
    assert [r["total"] for r in got[:3]] == [0, 100, 50]


def to_batch_rows(rows: list[dict[str, Any]]) -> pa.RecordBatch:
    from test_equality import to_batch

    return to_batch(rows, "natural")


def test_a_column_typed_otherwise_in_a_later_batch_is_read_afresh() -> None:
    # Tables of distinct values are remembered across batches; True == 1 in Python, yet the
    # yes/no kind reads True and refuses 1. Batches of one plan with the column as booleans,
    # then as integers, each score exactly as per record.
    import smesdk
    from tests.batch.test_equality import expected

    fw = smesdk.load_framework("quality-brand")
    iid = next(i for i in fw.indicator_ids if fw.kinds[i].name == "yesno")
    base = synthetic_batch(fw, 2, seed=1)
    at = base.schema.names.index(iid)
    plan = compile_plan(fw, as_of=AS_OF)
    for values in ([True, False], [1, 0]):
        batch = base.set_column(at, iid, pa.array(values))
        got = [(r["ok"], r["total"]) for r in score_batch(plan, batch).to_pylist()]
        want = [(e["ok"], e.get("total")) for e in (expected(fw, r) for r in batch.to_pylist())]
        assert got == want, values
