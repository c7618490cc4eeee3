"""Compiled batch scorer vs the per-record scorer, on the same seeded synthetic rows.

Run: ``python benchmarks/compiled_bench.py [--rows 65536] [--chunk 8192] [--sample 300]``.
Figures, not pass/fail. For each official framework it prints per-record rows/s (on the first
``--sample`` rows), compiled rows/s (``--rows`` rows in ``--chunk``-row batches, text
dictionary-encoded as the Parquet reader gives it) and the ratio (issue 8 target: >= 50x).
It then times the core kernel (masked weighted sums of int64 columns) with NumPy and with
pyarrow.compute, the choice the compiled scorer is built on.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import smesdk
from smesdk.batch import compile_plan, score_batch
from smesdk.batch.columns import row_to_data
from smesdk.batch.synthetic import synthetic_batch
from smesdk.engine import score

FRAMEWORKS = ("management", "digital", "quality-brand", "iso9001")
#: Test fixtures measured beside them: the DMA-style grids (issue 18), all four questions grids.
FIXTURES = {"grid-dma": "tests/frameworks/grid/grid.yaml"}


def per_record_rate(fw: smesdk.Framework, batch: pa.RecordBatch) -> float:
    rows = batch.to_pylist()
    start = time.perf_counter()
    for row in rows:
        score(fw, smesdk.answers_from_data(row_to_data(row)))
    return len(rows) / (time.perf_counter() - start)


def compiled_rate(plan: object, batch: pa.RecordBatch, chunk: int) -> float:
    chunks = [batch.slice(i, chunk) for i in range(0, batch.num_rows, chunk)]
    score_batch(plan, chunks[0])  # warm up (first-call imports and caches)
    start = time.perf_counter()
    for c in chunks:
        score_batch(plan, c)
    return batch.num_rows / (time.perf_counter() - start)


def kernel(n: int, k: int = 40, repeat: int = 5) -> tuple[float, float]:
    """Seconds for sum(where(mask_i, w_i * x_i, 0)) over k int64 columns: NumPy, Arrow."""
    rng = np.random.default_rng(0)
    xs = [rng.integers(0, 100, n) for _ in range(k)]
    ms = [rng.random(n) < 0.9 for _ in range(k)]
    axs = [pa.array(x) for x in xs]
    ams = [pa.array(m) for m in ms]

    def with_numpy() -> None:
        acc = np.zeros(n, dtype=np.int64)
        for i, (x, m) in enumerate(zip(xs, ms, strict=True)):
            acc += np.where(m, x * (i + 1), 0)

    def with_arrow() -> None:
        acc = pa.array(np.zeros(n, dtype=np.int64))
        for i, (x, m) in enumerate(zip(axs, ams, strict=True)):
            acc = pc.add_checked(acc, pc.if_else(m, pc.multiply_checked(x, i + 1), 0))

    times = []
    for fn in (with_numpy, with_arrow):
        fn()
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        times.append((time.perf_counter() - start) / repeat)
    return times[0], times[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=65536)
    ap.add_argument("--chunk", type=int, default=8192)
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    print(f"{'framework':<14} {'indicators':>10} {'per-record/s':>13} {'compiled/s':>12} {'ratio':>7}")
    frameworks = [(fid, smesdk.load_framework(fid)) for fid in FRAMEWORKS]
    frameworks += [(fid, smesdk.Framework.from_spec(smesdk.load_spec(path)))
                   for fid, path in FIXTURES.items()]
    for fid, fw in frameworks:
        plan = compile_plan(fw)
        batch = synthetic_batch(plan, args.rows, args.seed, dictionary=True)
        slow = per_record_rate(fw, batch.slice(0, args.sample))
        fast = compiled_rate(plan, batch, args.chunk)
        print(f"{fid:<14} {len(fw.indicator_ids):>10} {slow:>13,.0f} {fast:>12,.0f} {fast / slow:>6,.0f}x")
    np_s, pa_s = kernel(args.chunk)
    print(f"kernel, {args.chunk} rows x 40 masked int64 columns: NumPy {np_s * 1e3:.2f} ms, "
          f"pyarrow.compute {pa_s * 1e3:.2f} ms ({pa_s / np_s:.1f}x NumPy)")


if __name__ == "__main__":
    main()
