"""Batch benchmarks: per-record vs compiled scoring, Parquet read, end to end, peak memory.

Run: `python benchmarks/batch_bench.py [--rows N] [--big-rows M] [--frameworks a,b]`.
Figures, not tests. For each official framework, on the same seeded synthetic rows written to
one Parquet file, it reports in one run:

- per-record: rows/s of ``answers_from_data`` + ``Framework.assess`` (on a sample of rows);
- compiled: rows/s of ``score_batch`` over in-memory chunks (reading excluded);
- read: rows/s of reading the Parquet file in chunks as the batch run does;
- end-to-end: rows/s of ``run_batch`` (read + score + write results and errors + merge);
- e2e/read: how many times longer end to end takes than reading alone;
- peak memory: max RSS of an end-to-end run over ``--big-rows`` rows in a child process.

Targets (issue 8, on a 2-core machine, ~60-100 indicators): compiled >= 50x per-record; end to
end >= 1,000,000 rows/s; e2e/read <= 2; peak memory < 1 GiB for 10 million rows.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

import smesdk
from smesdk.batch.columns import row_to_data
from smesdk.batch.formats import open_source
from smesdk.batch.plan import Plan, compile_plan
from smesdk.batch.runner import run_batch
from smesdk.batch.score import score_batch
from smesdk.batchsizes import DEFAULT_CHUNK_SIZE
from smesdk.engine import score

AS_OF = dt.date(2025, 6, 30)
OFFICIAL = ("management", "digital", "quality-brand", "iso9001")
GEN_CHUNK = 65_536


def _fallback_batch(plan: Plan, n: int, seed: int) -> pa.RecordBatch:
    """Rows answering every indicator with a random valid answer from its kind's ladder."""
    fw = plan.framework
    rng = np.random.default_rng(seed)
    cols: dict[str, pa.Array] = {
        "enterprise_id": pa.array([f"b{seed}-{i}" for i in range(n)]),
        "size": pa.array(np.array(["micro", "small", "medium"])[rng.integers(0, 3, n)]),
        "industry": pa.array(np.array([f"{k:02d}" for k in range(1, 40)])[rng.integers(0, 39, n)]),
    }
    for iid, ind in fw.iter_indicators():
        kind = fw.kinds[iid]
        choices = kind.ladder(ind) or kind.samples(ind)
        if not choices:
            continue
        values = pa.array(choices)
        cols[iid] = values.take(pa.array(rng.integers(0, len(choices), n)))
    return pa.RecordBatch.from_pydict(cols)


def synthetic(plan: Plan, n: int, seed: int) -> pa.RecordBatch:
    try:
        from smesdk.batch.synthetic import synthetic_batch  # the compiler's generator
    except ImportError:
        return _fallback_batch(plan, n, seed)
    batch: pa.RecordBatch = synthetic_batch(plan, n, seed)
    return batch


def write_input(plan: Plan, n: int, seed: int, path: Path, block: int = GEN_CHUNK) -> None:
    """n seeded rows, generated and written ``block`` rows at a time (memory stays flat), each
    block one row group."""
    writer = None
    done = 0
    while done < n:
        batch = synthetic(plan, min(block, n - done), seed + done)
        if writer is None:
            writer = pq.ParquetWriter(path, batch.schema)
        writer.write_batch(batch.cast(writer.schema))
        done += batch.num_rows
    assert writer is not None
    writer.close()


def _timed(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def per_record_rate(plan: Plan, rows: list[dict[str, Any]]) -> float:
    """The per-record path as the batch fallback runs it: the engine without plugin hooks
    (which only add recommendations, not batch columns)."""
    fw = plan.framework

    def go() -> None:
        for row in rows:
            with contextlib.suppress(smesdk.AnswerError):
                score(fw, smesdk.answers_from_data(row_to_data(row, as_of=AS_OF)))

    return len(rows) / _timed(go)


def bench(name: str, n: int, chunk: int, sample: int, seed: int, work: Path) -> dict[str, float]:
    fw = smesdk.load_framework(name)
    plan = compile_plan(fw, as_of=AS_OF)
    src = work / f"{name}.parquet"
    write_input(plan, n, seed, src)
    source = open_source(src)
    in_memory = [c.batch for c in source.chunks(chunk)][: max(1, 1_000_000 // chunk)]
    in_rows = sum(b.num_rows for b in in_memory)
    score_batch(plan, in_memory[0])  # warm up (first-use compilation, caches)
    compiled = in_rows / _timed(lambda: [score_batch(plan, b) for b in in_memory])
    sample_rows = next(iter(source.chunks(sample))).batch.to_pylist()
    per_record = per_record_rate(plan, sample_rows)
    read_seconds = _timed(lambda: [c for c in source.chunks(chunk) if c is None])
    out = work / f"{name}.out.parquet"
    summary = run_batch(fw, src, out, as_of=AS_OF, chunk_size=chunk)
    assert summary.rows == n
    e2e_seconds = summary.seconds
    return {"indicators": len(fw.indicator_ids), "per_record": per_record,
            "compiled": compiled, "ratio": compiled / per_record, "read": n / read_seconds,
            "e2e": n / e2e_seconds, "e2e_over_read": e2e_seconds / read_seconds,
            "errors": summary.errors / n}


def child_e2e(name: str, src: str, out: str, chunk: int) -> None:
    fw = smesdk.load_framework(name)
    summary = run_batch(fw, src, out, as_of=AS_OF, chunk_size=chunk)
    print(summary.line().en, flush=True)
    status = Path("/proc/self/status")
    if status.exists():  # Linux: this process's own high-water mark since exec
        hwm = next(line for line in status.read_text().splitlines() if line.startswith("VmHWM"))
        print(hwm, flush=True)


def big_memory(name: str, rows: int, chunk: int, seed: int, work: Path
               ) -> tuple[float, float | None, float, str]:
    """(max RSS MiB by getrusage, VmHWM MiB, seconds, summary) of an end-to-end run over
    ``rows`` rows in a child process.

    getrusage(RUSAGE_CHILDREN) also counts what the child held between fork and exec, i.e. a
    copy of this (parent) process's resident size; run this before the other benchmarks fill
    the parent. The child's own VmHWM (Linux) has no such share and is the figure to quote.
    """
    fw = smesdk.load_framework(name)
    src = work / f"{name}-big.parquet"
    write_input(compile_plan(fw, as_of=AS_OF), rows, seed, src)
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--child", name, str(src),
                           str(work / f"{name}-big.out.parquet"), str(chunk)],
                          capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    lines = proc.stdout.strip().splitlines()
    hwm = next((float(x.split()[1]) / 1024 for x in lines if x.startswith("VmHWM")), None)
    src.unlink()
    return peak_kib / 1024, hwm, seconds, lines[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--big-rows", type=int, default=10_000_000,
                        help="rows of the peak-memory run (0 to skip)")
    parser.add_argument("--big-framework", default="digital")
    parser.add_argument("--frameworks", default=",".join(OFFICIAL))
    parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE)
    parser.add_argument("--sample", type=int, default=2_000, help="rows for the per-record rate")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--child", nargs=4, metavar=("FW", "IN", "OUT", "CHUNK"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_e2e(args.child[0], args.child[1], args.child[2], int(args.child[3]))
        return
    print(f"smesdk batch benchmark: {args.rows:,} rows per framework, chunk {args.chunk_size:,}, "
          f"seed {args.seed}")
    header = (f"{'framework':<14}{'ind.':>5}{'per-record/s':>14}{'compiled/s':>14}{'x':>7}"
              f"{'read/s':>14}{'e2e/s':>14}{'e2e/read':>10}{'errors':>8}")
    with tempfile.TemporaryDirectory(prefix="smesdk-bench-") as tmp:
        work = Path(tmp)
        big = None
        if args.big_rows:  # first, while this process is small (see big_memory)
            big = big_memory(args.big_framework, args.big_rows, args.chunk_size, args.seed, work)
            for f in work.iterdir():
                f.unlink()
        print(header)
        for name in args.frameworks.split(","):
            r = bench(name, args.rows, args.chunk_size, args.sample, args.seed, work)
            print(f"{name:<14}{r['indicators']:>5.0f}{r['per_record']:>14,.0f}"
                  f"{r['compiled']:>14,.0f}{r['ratio']:>7.0f}{r['read']:>14,.0f}{r['e2e']:>14,.0f}"
                  f"{r['e2e_over_read']:>10.2f}{r['errors']:>8.1%}", flush=True)
            for f in work.iterdir():
                f.unlink()
        if big is not None:
            rusage, hwm, seconds, line = big
            shown = f"{hwm:,.0f} MiB VmHWM (getrusage: {rusage:,.0f} MiB)" if hwm else \
                f"{rusage:,.0f} MiB max RSS"
            print(f"peak memory, {args.big_framework}, {args.big_rows:,} rows end to end: "
                  f"{shown} in {seconds:.1f} s ({line})")


if __name__ == "__main__":
    main()
