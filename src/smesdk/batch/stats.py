"""Peer comparison over a results file: percentiles within cohorts, cohort distributions.

A cohort is the set of enterprises sharing the values of the ``by`` columns (e.g. industry and
size; a missing value is a value of its own). Definitions, all computed exactly on the results'
4-decimal figures (integers of ten-thousandths) and rounded once, halves away from zero:

- **percentile** of an enterprise with total ``t`` in a cohort of ``n``:
  ``100 * (L + T/2) / n``, where ``L`` members have a total strictly below ``t`` and ``T``
  members (itself included) have exactly ``t`` — the mid-rank percentile: the lowest of many
  gets a small value, the only member 50, equal totals equal percentiles.
- **quartiles** (q1, median, q3) of a cohort's values ``x[0] <= ... <= x[m-1]``: linear
  interpolation between order statistics at position ``h = (m-1)*p`` (numpy's default,
  "type 7"); min and max are ``x[0]`` and ``x[m-1]``. Dimension quartiles ignore members whose
  dimension was left out (null).
- **levels**: members per level reached (``level:<id>``, ordered by rank; ``level:none`` for
  no level).

Cohorts with fewer than ``min_cohort`` members are suppressed for privacy: their row says
``suppressed`` and carries no figures, not even the member count, and their members get a null
percentile.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from smesdk.batch.output import DECIMAL, decimal_array
from smesdk.batch.writers import AtomicWriter
from smesdk.errors import Problem, SmesdkError

SCALE = 10_000
REPORTED, SUPPRESSED = "reported", "suppressed"


@attrs.frozen
class Stats:
    enterprises: pa.Table
    cohorts: pa.Table

    @property
    def suppressed(self) -> int:
        return int(pc.sum(pc.equal(self.cohorts.column("status"), SUPPRESSED)).as_py() or 0)


def read_results(path: Path, by: Sequence[str]) -> pa.Table:
    """The columns stats need from a results file written by ``smesdk batch``."""
    try:
        if path.suffix.lower() == ".csv":
            names = pacsv.read_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 16)
                                   ).schema.names
            types = {n: (DECIMAL if n == "total" or n.startswith("dim:") else pa.string())
                     for n in names}
            types["level_rank"] = pa.int32()
            types["row"] = pa.int64()
            table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(column_types=types))
        else:
            names = pq.ParquetFile(path).schema_arrow.names
            wanted = {"row", "enterprise_id", "total", "level", "level_rank", *by}
            table = pq.read_table(path, columns=[n for n in names
                                                 if n in wanted or n.startswith("dim:")])
    except (pa.ArrowException, OSError) as exc:
        raise SmesdkError([Problem("", f"cannot read the results file: {exc}", str(path))]
                          ) from None
    needed = ["enterprise_id", "total", "level", "level_rank", *by]
    missing = [n for n in needed if n not in table.schema.names]
    if missing:
        hint = (" (smesdk batch copies industry, size, region and type from the input when it "
                "has them)")
        raise SmesdkError([Problem(n, "no such column in the results file" + hint, str(path))
                           for n in missing])
    numeric = [n for n in table.schema.names if n == "total" or n.startswith("dim:")]
    wrong = [n for n in numeric if not pa.types.is_decimal(table.schema.field(n).type)]
    if wrong:  # e.g. a hand-edited file whose totals are text: no percentile of text
        raise SmesdkError([Problem(n, f"expected exact decimal figures as smesdk batch writes "
                                   f"them, found {table.schema.field(n).type}", str(path))
                           for n in wrong])
    return table


def _scaled(column: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(ten-thousandths as int64, valid mask) of a decimal column: a decimal128(18, 4) holds
    exactly that integer, in the low 64 bits of each 128-bit value."""
    col = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    col = col.cast(DECIMAL)
    valid = col.is_valid().to_numpy(zero_copy_only=False)
    words = np.frombuffer(col.buffers()[1], dtype=np.int64)
    values = words[2 * col.offset: 2 * (col.offset + len(col)): 2].copy()
    values[~valid] = 0
    return values, valid


def _cohort_codes(table: pa.Table, by: Sequence[str]) -> tuple[np.ndarray, pa.Table]:
    """A cohort number per row, and the cohorts' key values (one row per cohort), cohorts in
    the sort order of their keys (a missing value after all others)."""
    combined = np.zeros(table.num_rows, dtype=np.int64)
    for name in by:
        col = table.column(name).cast(pa.string())
        values = pc.unique(col).drop_null()
        values = values.take(pc.sort_indices(values))
        index = pc.fill_null(pc.index_in(col, value_set=values), len(values))
        combined = combined * (len(values) + 1) + index.to_numpy(zero_copy_only=False)
    keys, first, codes = np.unique(combined, return_index=True, return_inverse=True)
    del keys
    cohorts = pa.table({n: table.column(n).cast(pa.string()).take(pa.array(first)) for n in by})
    return codes.astype(np.int64).reshape(-1), cohorts


def _div_round(num: np.ndarray, den: np.ndarray | int) -> np.ndarray:
    """num / den rounded to an integer, halves away from zero (num >= 0, den > 0)."""
    return np.asarray((2 * num + den) // (2 * np.asarray(den)), dtype=np.int64)


def _percentiles(codes: np.ndarray, totals: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Mid-rank percentile of each row within its cohort, in ten-thousandths."""
    n = len(codes)
    out = np.zeros(n, dtype=np.int64)
    if n == 0:
        return out
    order = np.lexsort((totals, codes))
    c, t = codes[order], totals[order]
    new_group = np.r_[True, c[1:] != c[:-1]]
    new_run = new_group | np.r_[True, t[1:] != t[:-1]]
    positions = np.arange(n)
    group_start = np.maximum.accumulate(np.where(new_group, positions, 0))
    run_start = np.maximum.accumulate(np.where(new_run, positions, 0))
    run_id = np.cumsum(new_run) - 1
    run_len = np.bincount(run_id)[run_id]
    lower = run_start - group_start
    members = sizes[c]
    # 100 * (L + T/2) / n in ten-thousandths = 10^6 * (2L + T) / (2n)
    out[order] = _div_round(1_000_000 * (2 * lower + run_len), 2 * members)
    return out


def _quartiles(sorted_values: np.ndarray) -> list[int]:
    """[min, q1, median, q3, max] of sorted ten-thousandths, type-7 interpolation, rounded."""
    m = len(sorted_values)
    out = [int(sorted_values[0])]
    for quarter in (1, 2, 3):
        # h = (m-1)*quarter/4 = i + r/4
        i, r = divmod((m - 1) * quarter, 4)
        lo = int(sorted_values[i])
        hi = int(sorted_values[min(i + 1, m - 1)])
        out.append((2 * (4 * lo + r * (hi - lo)) + 4) // 8)
    out.append(int(sorted_values[-1]))
    return out


def peer_stats(results: pa.Table, by: Sequence[str], min_cohort: int = 5) -> Stats:
    """Percentiles and cohort distributions for a results table (see the module doc)."""
    if not by:
        raise SmesdkError(["give at least one column to group by (--by industry,size)"])
    if min_cohort < 1:
        raise SmesdkError([f"--min-cohort must be at least 1, got {min_cohort}"])
    codes, cohorts = _cohort_codes(results, by)
    sizes = np.bincount(codes, minlength=cohorts.num_rows)
    shown = sizes >= min_cohort
    totals, _ = _scaled(results.column("total"))
    pct = _percentiles(codes, totals, sizes)
    row_shown = shown[codes]
    enterprises = pa.table({
        **({"row": results.column("row")} if "row" in results.schema.names else {}),
        "enterprise_id": results.column("enterprise_id"),
        **{n: results.column(n).cast(pa.string()) for n in by},
        "total": results.column("total").cast(DECIMAL),
        "level": results.column("level"),
        "cohort_members": pa.array(sizes[codes], pa.int64(), mask=~row_shown),
        "percentile": decimal_array(pct, row_shown),
    })

    # Levels present, by rank; counts per cohort.
    ranks = results.column("level_rank").to_numpy(zero_copy_only=False)
    levels = results.column("level").to_pylist()
    level_of_rank = {int(r): lv for r, lv in zip(ranks, levels, strict=True) if lv is not None}
    rank_ids = sorted(level_of_rank)
    level_columns: dict[str, pa.Array] = {}
    n_cohorts = cohorts.num_rows
    for name, rank in [("level:none", 0), *((f"level:{level_of_rank[r]}", r) for r in rank_ids)]:
        counts = np.bincount(codes[ranks == rank], minlength=n_cohorts)
        level_columns[name] = pa.array(counts, pa.int64(), mask=~shown)

    measures = {"total": (totals, np.ones(len(totals), dtype=bool))}
    for name in results.schema.names:
        if name.startswith("dim:"):
            measures[name] = _scaled(results.column(name))
    figure_columns: dict[str, pa.Array] = {}
    for name, (values, valid) in measures.items():
        stats = np.zeros((5, n_cohorts), dtype=np.int64)
        present = np.zeros(n_cohorts, dtype=bool)
        order = np.lexsort((values[valid], codes[valid]))
        c, v = codes[valid][order], values[valid][order]
        bounds = np.searchsorted(c, np.arange(n_cohorts + 1))
        for k in np.flatnonzero(shown):
            lo, hi = bounds[k], bounds[k + 1]
            if hi > lo:
                stats[:, k] = _quartiles(v[lo:hi])
                present[k] = True
        keep = present & shown
        wanted = ("min", "q1", "median", "q3", "max") if name == "total" else ("q1", "median", "q3")
        for j, label in enumerate(("min", "q1", "median", "q3", "max")):
            if label in wanted:
                figure_columns[f"{name}:{label}"] = decimal_array(stats[j], keep)

    cohort_table = pa.table({
        **{n: cohorts.column(n) for n in by},
        "status": pa.array(np.where(shown, REPORTED, SUPPRESSED), pa.string()),
        "members": pa.array(sizes, pa.int64(), mask=~shown),
        **level_columns,
        **figure_columns,
    })
    return Stats(enterprises, cohort_table)


def write_stats(stats: Stats, output: Path, cohorts: Path) -> None:
    for table, path in ((stats.enterprises, output), (stats.cohorts, cohorts)):
        with AtomicWriter(path, table.schema) as writer:
            for batch in table.to_batches():
                writer.write(batch)


def default_cohorts_path(output: Path) -> Path:
    return output.with_name(f"{output.stem}.cohorts{output.suffix}")
