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

The figures are computed out of core by DuckDB (the ``stats`` extra), so memory does not grow
with the number of results: the results stream into a DuckDB database in a temporary folder,
which spills to disk past ``MEMORY_LIMIT``; every figure is integer arithmetic in SQL (counts,
ranks, order statistics of a per-cohort histogram), with the one rounding in the same integer
formulas; the enterprises stream back out in input order.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smesdk.batch.formats import output_format
from smesdk.batch.output import DECIMAL, decimal_array
from smesdk.batch.writers import AtomicWriter, regroup
from smesdk.errors import Problem, SmesdkError
from smesdk.industries import Classification
from smesdk.text import Lang

SCALE = 10_000
INDUSTRY, INDUSTRY_NAME = "industry", "industry_name"
REPORTED, SUPPRESSED = "reported", "suppressed"
#: DuckDB's own memory (it spills to its temporary folder beyond it); the process's peak is this
#: plus Python, pyarrow and one batch in flight.
MEMORY_LIMIT = "256MB"
_BATCH = 65_536
_ORD, _T = "__ord__", "__t__"  # input order; total as ten-thousandths (null -> 0)


@attrs.frozen
class Stats:
    enterprises: pa.Table
    cohorts: pa.Table

    @property
    def suppressed(self) -> int:
        return int(pc.sum(pc.equal(self.cohorts.column("status"), SUPPRESSED)).as_py() or 0)


@attrs.frozen
class Written:
    """What :func:`stats_file` wrote."""

    enterprises: int
    cohorts: int
    suppressed: int


@attrs.frozen
class Results:
    """A stream of result batches with the columns stats need."""

    schema: pa.Schema
    batches: Iterator[pa.RecordBatch]


@attrs.frozen
class Industries:
    """The classification the results' ``industry`` codes belong to, and the language of the
    names: cohorts group by its listed codes ("018" and "18" are one) and are named."""

    listed: Classification
    lang: Lang


def _needed(names: Sequence[str], by: Sequence[str], where: str) -> None:
    needed = ["enterprise_id", "total", "level", "level_rank", *by]
    missing = [n for n in needed if n not in names]
    if missing:
        hint = (" (smesdk batch copies industry, size, region, type and the framework's "
                "enterprise.<field> columns from the input when it has them)")
        raise SmesdkError([Problem(n, "no such column in the results file" + hint, where)
                           for n in missing])


def _decimal_figures(schema: pa.Schema, path: Path) -> None:
    numeric = [n for n in schema.names if n == "total" or n.startswith("dim:")]
    wrong = [n for n in numeric if not pa.types.is_decimal(schema.field(n).type)]
    if wrong:  # e.g. a hand-edited file whose totals are text: no percentile of text
        raise SmesdkError([Problem(n, f"expected exact decimal figures as smesdk batch writes "
                                   f"them, found {schema.field(n).type}", str(path))
                           for n in wrong])


def read_results(path: Path, by: Sequence[str]) -> Results:
    """The columns stats need from a results file written by ``smesdk batch``, as a stream."""
    wanted = {"row", "enterprise_id", "total", "level", "level_rank", *by}

    def typed(name: str) -> pa.DataType | None:
        """The type a column is read as (a text file's cells are typed here), or None: skip it."""
        if name == "total" or name.startswith("dim:"):
            return DECIMAL
        if name not in wanted:
            return None
        return {"row": pa.int64(), "level_rank": pa.int32()}.get(name, pa.string())

    read = output_format(path).results
    if read is None:
        raise SmesdkError([Problem("", "cannot read results back from this format", str(path))])
    try:
        schema, batches = read(path, typed)
    except (pa.ArrowException, OSError) as exc:
        raise SmesdkError([Problem("", f"cannot read the results file: {exc}", str(path))]
                          ) from None
    _needed(schema.names, by, str(path))
    _decimal_figures(schema, path)
    return Results(schema, _guarded(batches, path))


def _guarded(batches: Iterator[pa.RecordBatch], path: Path) -> Iterator[pa.RecordBatch]:
    try:
        yield from batches
    except (pa.ArrowException, OSError) as exc:
        raise SmesdkError([Problem("", f"cannot read the results file: {exc}", str(path))]
                          ) from None


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


class _Query:
    """The results loaded into a DuckDB database in a temporary folder, and the two queries."""

    def __init__(self, results: Results, by: Sequence[str], min_cohort: int, folder: Path,
                 industries: Industries | None = None) -> None:
        if not by:
            raise SmesdkError(["give at least one column to group by (--by industry,size)"])
        if min_cohort < 1:
            raise SmesdkError([f"--min-cohort must be at least 1, got {min_cohort}"])
        names = results.schema.names
        self.by = list(by)
        self.industries = industries if INDUSTRY in self.by else None
        self.min_cohort = min_cohort
        self.has_row = "row" in names
        self.dims = [n for n in names if n.startswith("dim:")]
        self.level_type = results.schema.field("level").type
        self.row_type = results.schema.field("row").type if self.has_row else None
        self.keys = [f"k{i}" for i in range(len(by))]
        self.con: Any = _duckdb().connect(str(folder / "stats.duckdb"))
        self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        self.con.execute(f"SET temp_directory = '{folder / 'spill'}'")
        self.con.execute("SET preserve_insertion_order = false")  # every query says its order
        incoming = self._prepared(results)
        self.con.register("incoming", pa.RecordBatchReader.from_batches(incoming[0], incoming[1]))
        self.con.execute("SET threads = 1")  # one reader: no batches read ahead in parallel
        self.con.execute("CREATE TABLE r AS SELECT * FROM incoming")
        self.con.execute("RESET threads")
        self.con.unregister("incoming")
        keys = ", ".join(self.keys)
        order = ", ".join(f"{k} ASC NULLS LAST" for k in self.keys)
        # Cohorts numbered in the order of their keys (a missing value after all others).
        self.con.execute(f"CREATE TABLE c AS SELECT *, row_number() OVER (ORDER BY {order}) - 1 "
                         f"AS cid FROM (SELECT {keys}, count(*) AS n FROM r GROUP BY {keys})")

    def _prepared(self, results: Results) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
        """The rows as DuckDB stores them: cohort keys as text, scores as exact integers."""
        fields = [pa.field(_ORD, pa.int64())]
        if self.has_row:
            fields.append(pa.field("row", self.row_type))
        fields += [pa.field("enterprise_id", results.schema.field("enterprise_id").type),
                   *(pa.field(k, pa.string()) for k in self.keys),
                   pa.field("total", DECIMAL), pa.field(_T, pa.int64()),
                   pa.field("level", self.level_type), pa.field("level_rank", pa.int32()),
                   *(pa.field(f"d{j}", pa.int64()) for j in range(len(self.dims)))]
        schema = pa.schema(fields)

        def batches() -> Iterator[pa.RecordBatch]:
            at = 0
            for batch in results.batches:
                n = batch.num_rows
                total, _ = _scaled(batch.column("total"))
                columns = [pa.array(np.arange(at, at + n), pa.int64())]
                if self.has_row:
                    columns.append(batch.column("row"))
                columns += [batch.column("enterprise_id"),
                            *(self._key(batch, b) for b in self.by),
                            batch.column("total").cast(DECIMAL), pa.array(total, pa.int64()),
                            batch.column("level"), batch.column("level_rank").cast(pa.int32())]
                for d in self.dims:
                    values, valid = _scaled(batch.column(d))
                    columns.append(pa.array(values, pa.int64(), mask=~valid))
                at += n
                yield pa.RecordBatch.from_arrays(columns, schema=schema)

        return schema, batches()

    def _key(self, batch: pa.RecordBatch, name: str) -> pa.Array:
        """A cohort key column as text; industry codes as their classification lists them."""
        column = batch.column(name).cast(pa.string())
        if name != INDUSTRY or self.industries is None:
            return column
        listed = self.industries.listed
        encoded = column.dictionary_encode()
        codes = [None if v is None else listed.code(v) or v
                 for v in encoded.dictionary.to_pylist()]
        return pa.array(codes, pa.string()).take(encoded.indices)

    def _cohort_join(self, alias: str) -> str:
        return " AND ".join(f"{alias}.{k} IS NOT DISTINCT FROM c.{k}" for k in self.keys)

    # -- per enterprise -------------------------------------------------------------------------

    def enterprise_schema(self) -> pa.Schema:
        fields: dict[str, pa.DataType] = {}
        if self.has_row:
            fields["row"] = self.row_type
        fields["enterprise_id"] = pa.string()
        for b in self.by:
            fields[b] = pa.string()
        fields["total"] = DECIMAL
        fields["level"] = self.level_type
        fields["cohort_members"] = pa.int64()
        fields["percentile"] = DECIMAL
        return pa.schema(list(fields.items()))

    def enterprises(self) -> Iterator[pa.RecordBatch]:
        """Each enterprise's cohort size and mid-rank percentile, in input order."""
        keys = ", ".join(self.keys)
        source = {"row": "row", "enterprise_id": "enterprise_id",
                  **{b: k for b, k in zip(self.by, self.keys, strict=True)},
                  "total": "total", "level": "level"}
        schema = self.enterprise_schema()
        picked = [source[n] for n in schema.names[:-2]]
        # 100 * (L + T/2) / n in ten-thousandths, rounded half up: (2e6 (2L + T) + 2n) // 4n
        query = self.con.sql(f"""
            SELECT {", ".join(picked)}, n,
                   (2000000 * (2 * lower + ties) + 2 * n) // (4 * n) AS pct
            FROM (SELECT *, count(*) OVER (PARTITION BY {keys}) AS n,
                         rank() OVER (PARTITION BY {keys} ORDER BY {_T}) - 1 AS lower,
                         count(*) OVER (PARTITION BY {keys}, {_T}) AS ties
                  FROM r)
            ORDER BY {_ORD}""")
        # DuckDB 2 renamed fetch_record_batch; the floor (1.1) only has the old name.
        reader = getattr(query, "to_arrow_reader", None) or query.fetch_record_batch
        for batch in reader(_BATCH):
            n = batch.column("n").to_numpy()
            shown = n >= self.min_cohort
            columns = [batch.column(i) for i in range(len(picked))]
            columns.append(pa.array(n, pa.int64(), mask=~shown))
            columns.append(decimal_array(batch.column("pct").to_numpy(), shown))
            yield pa.RecordBatch.from_arrays(columns, schema=schema)

    # -- per cohort -----------------------------------------------------------------------------

    def cohorts(self) -> pa.Table:
        """One row per cohort (see the module doc), in the order of the keys."""
        con = self.con
        base = con.sql(f"SELECT {', '.join(self.keys)}, n FROM c ORDER BY cid").to_arrow_table()
        sizes = base.column("n").to_numpy()
        shown = sizes >= self.min_cohort
        # Levels present, by rank (a rank's name from its last row that has one); counts.
        names = dict(con.sql(f"SELECT level_rank, arg_max(level, {_ORD}) FROM r "
                             "WHERE level IS NOT NULL GROUP BY ALL").fetchall())
        counts = self._per_cohort(f"SELECT {', '.join(self.keys)}, level_rank, count(*) AS k "
                                  "FROM r GROUP BY ALL", ["level_rank", "k"])
        level_columns: dict[str, pa.Array] = {}
        for name, rank in [("level:none", 0), *((f"level:{names[r]}", r) for r in sorted(names))]:
            mine = counts["level_rank"] == rank
            per = np.zeros(len(sizes), dtype=np.int64)
            per[counts["cid"][mine]] = counts["k"][mine]
            level_columns[name] = pa.array(per, pa.int64(), mask=~shown)
        figures: dict[str, pa.Array] = {}
        for label, expr in [("total", _T), *((d, f"d{j}") for j, d in enumerate(self.dims))]:
            wanted = ("min", "q1", "median", "q3", "max") if label == "total" else \
                ("q1", "median", "q3")
            for stat, (values, present) in self._quartiles(expr, len(sizes)).items():
                if stat in wanted:
                    figures[f"{label}:{stat}"] = decimal_array(values, present & shown)
        keys = {b: base.column(k) for b, k in zip(self.by, self.keys, strict=True)}
        if self.industries is not None:  # each industry by its name, beside its code
            listed, lang = self.industries.listed, self.industries.lang
            titles = [listed.name(code) if code else None for code in keys[INDUSTRY].to_pylist()]
            keys[INDUSTRY_NAME] = pa.array([t.get(lang) if t is not None else None
                                            for t in titles], pa.string())
        return pa.table({
            **keys,
            "status": pa.array(np.where(shown, REPORTED, SUPPRESSED), pa.string()),
            "members": pa.array(sizes, pa.int64(), mask=~shown),
            **level_columns,
            **figures,
        })

    def _per_cohort(self, sql: str, columns: list[str]) -> dict[str, np.ndarray]:
        """``sql`` grouped by the cohort keys, with each row's cohort number."""
        table = self.con.sql(f"SELECT c.cid, x.{', x.'.join(columns)} FROM ({sql}) AS x "
                             f"JOIN c ON {self._cohort_join('x')}").to_arrow_table()
        return {n: table.column(n).to_numpy() for n in ["cid", *columns]}

    def _quartiles(self, expr: str, n_cohorts: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """min, q1, median, q3, max of ``expr`` (non-null) per cohort: type-7 interpolation
        between the order statistics x[i] and x[i+1] at (m-1)p = i + r/4, read off a histogram of
        the cohort's values; rounded as (2 (4 lo + r (hi - lo)) + 4) // 8, floored."""
        keys = ", ".join(self.keys)
        picks = []
        for q in (1, 2, 3):
            i = f"((m - 1) * {q}) // 4"
            for name, at in ((f"lo{q}", i), (f"hi{q}", f"least({i} + 1, m - 1)")):
                picks.append(f"max(v) FILTER (WHERE before <= {at} AND {at} < before + k) "
                             f"AS {name}")
        sql = f"""
            SELECT {keys}, m, min(v) AS lo, max(v) AS hi, {", ".join(picks)}
            FROM (SELECT *, CAST(sum(k) OVER (PARTITION BY {keys} ORDER BY v
                                              ROWS UNBOUNDED PRECEDING) - k AS BIGINT) AS before,
                         CAST(sum(k) OVER (PARTITION BY {keys}) AS BIGINT) AS m
                  FROM (SELECT {keys}, {expr} AS v, count(*) AS k FROM r
                        WHERE {expr} IS NOT NULL GROUP BY ALL))
            GROUP BY {keys}, m"""
        found = self._per_cohort(sql, ["m", "lo", "hi", *(f"{e}{q}" for q in (1, 2, 3)
                                                          for e in ("lo", "hi"))])
        present = np.zeros(n_cohorts, dtype=bool)
        present[found["cid"]] = True
        out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for q, stat in enumerate(("min", "q1", "median", "q3", "max")):
            values = np.zeros(n_cohorts, dtype=np.int64)
            if q in (0, 4):
                values[found["cid"]] = found["lo" if q == 0 else "hi"]
            else:
                r = ((found["m"] - 1) * q) % 4
                lo = found[f"lo{q}"].astype(object)  # Python integers: no overflow; floor
                hi = found[f"hi{q}"].astype(object)
                values[found["cid"]] = (2 * (4 * lo + r * (hi - lo)) + 4) // 8
            out[stat] = (values, present)
        return out

    def close(self) -> None:
        self.con.close()


@contextlib.contextmanager
def _query(results: Results, by: Sequence[str], min_cohort: int, near: Path | None,
           industries: Industries | None = None) -> Iterator[_Query]:
    failure = _duckdb().Error
    try:
        holder = tempfile.TemporaryDirectory(prefix=".smesdk-stats-", dir=near)
    except OSError as exc:
        raise SmesdkError([Problem("", f"cannot write a temporary folder here: {exc}",
                                   str(near or tempfile.gettempdir()))]) from None
    with holder as folder:
        query = None
        try:
            query = _Query(results, by, min_cohort, Path(folder), industries)
            yield query
        except failure as exc:  # e.g. no space left for DuckDB's spill files
            raise SmesdkError([f"peer statistics failed in DuckDB: {exc}"]) from None
        finally:
            if query is not None:
                query.close()


def _duckdb() -> Any:
    try:
        import duckdb
    except ImportError:
        raise SmesdkError(["peer statistics need DuckDB: pip install 'smesdk[stats]'"]) from None
    return duckdb


def peer_stats(results: pa.Table, by: Sequence[str], min_cohort: int = 5,
               industries: Industries | None = None) -> Stats:
    """Percentiles and cohort distributions for a results table in memory (see the module
    doc); :func:`stats_file` streams a results file instead."""
    stream = Results(results.schema, iter(results.to_batches()))
    with _query(stream, by, min_cohort, None, industries) as query:
        enterprises = pa.Table.from_batches(list(query.enterprises()), query.enterprise_schema())
        return Stats(enterprises, query.cohorts())


def stats_file(path: Path, by: Sequence[str], min_cohort: int, output: Path, cohorts: Path,
               industries: Industries | None = None) -> Written:
    """Peer statistics of a results file into ``output`` (per enterprise) and ``cohorts``, in
    bounded memory; each file appears only when complete. With ``industries``, industry
    cohorts are its listed codes and the cohorts file names them (``industry_name``)."""
    results = read_results(path, by)
    with _query(results, by, min_cohort, output.parent, industries) as query:
        table = query.cohorts()
        schema = query.enterprise_schema()
        with AtomicWriter(output, schema) as writer:
            for batch in regroup(query.enterprises(), schema):
                writer.write(batch)
        write_table(table, cohorts)
    suppressed = int(pc.sum(pc.equal(table.column("status"), SUPPRESSED)).as_py() or 0)
    return Written(writer.rows, table.num_rows, suppressed)


def write_table(table: pa.Table, path: Path) -> None:
    with AtomicWriter(path, table.schema) as writer:
        for batch in regroup(table.to_batches(), table.schema):
            writer.write(batch)


def write_stats(stats: Stats, output: Path, cohorts: Path) -> None:
    write_table(stats.enterprises, output)
    write_table(stats.cohorts, cohorts)


def default_cohorts_path(output: Path) -> Path:
    return output.with_name(f"{output.stem}.cohorts{output.suffix}")


def result_frameworks(path: Path) -> list[str]:
    """The framework ids a results file holds (its ``framework`` column), in first-seen order;
    none for a file without that column or that cannot be read back."""
    read = output_format(path).results
    if read is None:
        return []
    try:
        schema, batches = read(path, lambda name: pa.string() if name == "framework" else None)
        if "framework" not in schema.names:
            return []
        seen: dict[str, None] = {}
        for batch in batches:
            column = batch.column(batch.schema.names.index("framework"))
            seen.update(dict.fromkeys(v for v in pc.unique(column).to_pylist() if v))
        return list(seen)
    except (pa.ArrowException, OSError):
        return []
