"""Peer statistics: percentiles and quartiles worked by hand (see smesdk.batch.stats)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

pa = pytest.importorskip("pyarrow")

from smesdk.batch.output import DECIMAL  # noqa: E402
from smesdk.batch.stats import peer_stats  # noqa: E402
from smesdk.errors import SmesdkError  # noqa: E402

# (industry, size, total, level, level_rank, dim:x)
ROWS = [
    # cohort C13/small: 5 members, one dimension left out (null)
    ("C13", "small", "10", None, 0, "5"),
    ("C13", "small", "20", "l1", 1, "15"),
    ("C13", "small", "20", "l1", 1, None),
    ("C13", "small", "40", "l2", 2, "35"),
    ("C13", "small", "50", "l2", 2, "45"),
    # cohort C14/small: 3 members -> suppressed at min 5
    ("C14", "small", "60", "l2", 2, "1"),
    ("C14", "small", "70", "l2", 2, "1"),
    ("C14", "small", "80", "l2", 2, "1"),
    # cohort C14/micro: 6 members one ten-thousandth apart -> rounding of quartiles
    *[("C14", "micro", f"0.000{k}", None, 0, "0") for k in range(6)],
    # a missing industry is a cohort of its own
    (None, "small", "30", "l1", 1, "3"),
]


def _results():
    cols = list(zip(*ROWS, strict=True))
    return pa.table({
        "row": pa.array(range(len(ROWS)), pa.int64()),
        "enterprise_id": [f"e{i}" for i in range(len(ROWS))],
        "industry": pa.array(cols[0], pa.string()),
        "size": pa.array(cols[1], pa.string()),
        "total": pa.array([D(v) for v in cols[2]], DECIMAL),
        "level": pa.array(cols[3], pa.string()),
        "level_rank": pa.array(cols[4], pa.int32()),
        "dim:x": pa.array([None if v is None else D(v) for v in cols[5]], DECIMAL),
    })


def test_percentiles_are_mid_ranks_within_each_cohort():
    stats = peer_stats(_results(), ["industry", "size"], min_cohort=5)
    pct = stats.enterprises.column("percentile").to_pylist()
    # C13/small, n=5: 10 -> (0 + 1/2)/5 = 10 %; 20, 20 -> (1 + 2/2)/5 = 40 %; 40 -> 3.5/5 = 70 %;
    # 50 -> 4.5/5 = 90 %
    assert pct[0:5] == [D("10.0000"), D("40.0000"), D("40.0000"), D("70.0000"), D("90.0000")]
    assert pct[5:8] == [None, None, None]  # suppressed cohort
    # C14/micro, n=6, all distinct: (k + 1/2)/6 -> 8.3333, 25, 41.6667, 58.3333, 75, 91.6667
    assert pct[8:14] == [D("8.3333"), D("25.0000"), D("41.6667"), D("58.3333"), D("75.0000"),
                         D("91.6667")]
    assert pct[14] is None  # the missing-industry cohort has one member
    members = stats.enterprises.column("cohort_members").to_pylist()
    assert members[0] == 5 and members[5] is None and members[8] == 6


def test_cohort_rows_have_levels_and_quartiles_or_are_suppressed():
    stats = peer_stats(_results(), ["industry", "size"], min_cohort=5)
    cohorts = {(r["industry"], r["size"]): r for r in stats.cohorts.to_pylist()}
    assert list(cohorts) == [("C13", "small"), ("C14", "micro"), ("C14", "small"),
                             (None, "small")]
    a = cohorts[("C13", "small")]
    assert (a["status"], a["members"]) == ("reported", 5)
    assert (a["level:none"], a["level:l1"], a["level:l2"]) == (1, 2, 2)
    # totals 10 20 20 40 50: positions (5-1)/4 = 1, 2, 3 -> 20, 20, 40
    assert [a[f"total:{q}"] for q in ("min", "q1", "median", "q3", "max")] == \
        [D(10), D(20), D(20), D(40), D(50)]
    # dim:x without the null: 5 15 35 45; positions 0.75, 1.5, 2.25 -> 12.5, 25, 37.5
    assert [a[f"dim:x:{q}"] for q in ("q1", "median", "q3")] == [D("12.5"), D(25), D("37.5")]
    b = cohorts[("C14", "micro")]
    # 0 .. 0.0005: q1 at 1.25 -> 0.000125 -> 0.0001; median at 2.5 -> 0.00025 -> 0.0003 (half
    # away from zero); q3 at 3.75 -> 0.000375 -> 0.0004
    assert [b[f"total:{q}"] for q in ("q1", "median", "q3")] == \
        [D("0.0001"), D("0.0003"), D("0.0004")]
    s = cohorts[("C14", "small")]
    assert s["status"] == "suppressed"
    assert s["members"] is None and s["level:l2"] is None and s["total:median"] is None


def test_min_cohort_one_reports_everything():
    stats = peer_stats(_results(), ["industry", "size"], min_cohort=1)
    assert stats.suppressed == 0
    assert stats.enterprises.column("percentile").to_pylist()[14] == D(50)  # only member


def test_bad_arguments_are_errors():
    with pytest.raises(SmesdkError, match="group by"):
        peer_stats(_results(), [], 5)


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_results_file_streams_through_duckdb_to_hand_computed_figures(tmp_path, suffix):
    """200,000 results in two interleaved cohorts, read in several batches. In each cohort the
    totals 0..99 appear 1,000 times each (j * 37 mod 100 runs through every residue), so a total
    t has L = 1000 t members below and T = 1000 equal: percentile 100 (1000 t + 500) / 100000 =
    t + 0.5. Quartiles of 100,000 sorted values x[j] = j // 1000: q1 at 24999.75 -> 24 + 0.75 =
    24.75; median at 49999.5 -> 49.5; q3 at 74999.25 -> 74.25."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from smesdk.batch.stats import stats_file

    n = 200_000
    totals = [(i // 2 * 37) % 100 for i in range(n)]
    table = pa.table({
        "row": pa.array(range(n), pa.int64()),
        "enterprise_id": [f"e{i}" for i in range(n)],
        "industry": ["A" if i % 2 == 0 else "B" for i in range(n)],
        "total": pa.array([D(t) for t in totals], DECIMAL),
        "level": pa.array([None] * n, pa.string()),
        "level_rank": pa.array([0] * n, pa.int32()),
    })
    src = tmp_path / f"results{suffix}"
    if suffix == ".csv":
        pacsv.write_csv(table, src)
    else:
        pq.write_table(table, src, row_group_size=30_000)
    out, cohorts = tmp_path / f"stats{suffix}", tmp_path / f"cohorts{suffix}"
    written = stats_file(src, ["industry"], 5, out, cohorts)
    assert (written.enterprises, written.cohorts, written.suppressed) == (n, 2, 0)

    read = pacsv.read_csv if suffix == ".csv" else pq.read_table
    enterprises = read(out)
    assert enterprises.column("row").to_pylist() == list(range(n))  # input order kept
    pct = enterprises.column("percentile").to_pylist()
    assert all(D(p) == D(t) + D("0.5") for p, t in zip(pct, totals, strict=True))
    assert set(enterprises.column("cohort_members").to_pylist()) == {100_000}
    for c in read(cohorts).to_pylist():
        assert (c["members"], c["level:none"]) == (100_000, 100_000)
        assert [D(c[f"total:{q}"]) for q in ("min", "q1", "median", "q3", "max")] == \
            [D(0), D("24.75"), D("49.5"), D("74.25"), D(99)]
