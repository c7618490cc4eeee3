"""Distributed benchmark: one large Parquet file, the local engine against Dask with 1 and 2
workers, then `smesdk stats` over the results. Figures, not tests.

Run: `python benchmarks/dist_bench.py [--rows N] [--framework F] [--workers 1,2]`.

In one run, on the same seeded synthetic rows (``smesdk.batch.synthetic``) written to one
Parquet file with pyarrow's defaults (row groups of 1,048,576 rows, so 10 M rows make 10 row
groups), it reports:

- local: rows/s of ``run_batch`` and the peak RSS (VmHWM) of the process running it;
- dask, for each worker count: a ``LocalCluster`` of that many one-thread worker processes is
  started here, and a child process runs ``--engine dask --scheduler ADDR`` against it; rows/s,
  the driver's (child's) peak RSS, the workers' peak RSS, and whether the result and error
  files are byte-equal to the local run's;
- stats: seconds and peak RSS of ``smesdk stats --by industry,size`` over the local results.

With ``--warm``, every process that scores (the local run's, each Dask worker) first scores a
small file of the same framework, untimed: a long-lived service's processes, which have
imported pyarrow (and pandas, which pyarrow imports on first use), grown their allocator and
opened a Parquet reader and writer before. Each run still compiles and ships its own plan.

Targets (issue 13, "Distributed", on a 2-core machine): 2 workers >= 1.7x the 1-worker rate and
not slower than local; driver peak RSS < 1 GiB; stats < 1 GiB. Each measured step runs in its
own process, and the load average before it is printed (the machine may be shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import batch_bench  # beside this file
import pyarrow.parquet as pq

import smesdk
from smesdk.batch.plan import compile_plan

AS_OF = dt.date(2025, 6, 30)
#: pyarrow's default (maximum) rows per row group.
PYARROW_ROW_GROUP = 1024 * 1024


def write_input(name: str, rows: int, seed: int, path: Path) -> int:
    """``rows`` seeded rows in row groups of pyarrow's default size; how many row groups."""
    batch_bench.write_input(compile_plan(smesdk.load_framework(name), as_of=AS_OF), rows, seed,
                            path, block=PYARROW_ROW_GROUP)
    return int(pq.ParquetFile(path).metadata.num_row_groups)


def _hwm_mib() -> float:
    """This process's peak resident size (Linux VmHWM), MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_seconds() -> float:
    """User + system CPU time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(args: list[str]) -> None:
    """Run one measured step in this fresh process; print its figures as JSON."""
    what = args[0]
    started = time.perf_counter()
    if what == "stats":
        from smesdk.batch.stats import stats_file

        results, out = Path(args[1]), Path(args[2])
        written = stats_file(results, ["industry", "size"], 5, out,
                             out.with_name(f"{out.stem}.cohorts{out.suffix}"))
        figures: dict[str, Any] = {"rows": written.enterprises, "cohorts": written.cohorts}
    else:
        from smesdk.batch.runner import run_batch

        name, src, out, engine = args[1:5]
        scheduler = args[5] if len(args) > 5 and args[5] != "-" else None
        if len(args) > 6:  # --warm: this process scores a small file first, untimed
            warm_up(name, args[6])
            started = time.perf_counter()
        summary = run_batch(smesdk.load_framework(name), src, out, as_of=AS_OF,
                            engine=engine,  # type: ignore[arg-type]
                            scheduler=scheduler)
        figures = {"rows": summary.rows, "scored": summary.scored, "errors": summary.errors,
                   "run_seconds": summary.seconds}
    figures["seconds"] = time.perf_counter() - started
    figures["hwm_mib"] = _hwm_mib()
    figures["cpu_s"] = _cpu_seconds()
    print(json.dumps(figures), flush=True)


def warm_up(name: str, small: str) -> None:
    """Score ``small`` here (local engine) into a throwaway file: see ``--warm``."""
    from smesdk.batch.runner import run_batch

    with tempfile.TemporaryDirectory(prefix="smesdk-warm-") as tmp:
        run_batch(smesdk.load_framework(name), small, Path(tmp) / "warm.parquet", as_of=AS_OF)


def _run_child(*args: str) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True,
                          text=True)
    if proc.returncode:
        sys.exit(f"child {args[0]} failed:\n{proc.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return figures


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f} (1/5 min)"


def _best(rate: dict[str, float], key: str, value: float) -> None:
    rate[key] = max(rate.get(key, 0.0), value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--framework", default="digital")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--dask-default-env", action="store_true",
                        help="start the workers with Dask's default environment "
                             "(MALLOC_TRIM_THRESHOLD_=65536) instead of WORKER_ENVIRON")
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat local and Dask runs; ratios use each one's best rate")
    parser.add_argument("--warm", action="store_true",
                        help="each scoring process first scores a small file, untimed (a "
                             "long-lived service); see the module's docstring")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    import dask
    import distributed

    from smesdk.batch.engines import WORKER_ENVIRON

    print(f"smesdk distributed benchmark: {args.rows:,} {args.framework} rows in one Parquet "
          f"file, {os.cpu_count()} cores, {_load()}"
          f"{'; Dask workers in their default environment' if args.dask_default_env else ''}",
          flush=True)
    with tempfile.TemporaryDirectory(prefix="smesdk-dist-") as tmp:
        work = Path(tmp)
        src = work / "enterprises.parquet"
        groups = write_input(args.framework, args.rows, args.seed, src)
        print(f"input: {src.stat().st_size / 2**20:,.0f} MiB, {groups} row groups", flush=True)
        small = work / "warm-up.parquet"
        warm: tuple[str, ...] = ()
        if args.warm:
            write_input(args.framework, 65_536, args.seed + 1, small)
            warm = (str(small),)
            print("warm processes: each scores a 65,536-row file first, untimed", flush=True)

        rate: dict[str, float] = {}
        for round_no in range(1, args.rounds + 1):
            label = f" (round {round_no})" if args.rounds > 1 else ""
            print(f"local{label} ...  {_load()}", flush=True)
            local = _run_child("batch", args.framework, str(src), str(work / "local.parquet"),
                               "local", *(("-", *warm) if warm else ()))
            _best(rate, "local", local["rows"] / local["run_seconds"])
            print(f"local          {local['rows'] / local['run_seconds']:>10,.0f} rows/s  peak "
                  f"RSS {local['hwm_mib']:,.0f} MiB  ({local['run_seconds']:.1f} s; CPU "
                  f"{local['cpu_s']:.0f} s; scored "
                  f"{local['scored']:,}, errors {local['errors']:,})", flush=True)
            for n in (int(k) for k in args.workers.split(",")):
                print(f"dask {n}{label} ...  {_load()}", flush=True)
                # The worker environment docs/batch.md recommends (see WORKER_ENVIRON).
                with dask.config.set({} if args.dask_default_env else WORKER_ENVIRON), \
                        distributed.LocalCluster(n_workers=n, threads_per_worker=1,
                                                 processes=True, dashboard_address=None
                                                 ) as cluster, \
                        distributed.Client(cluster) as client:
                    out = work / f"dask{n}.parquet"
                    if warm:
                        client.run(warm_up, args.framework, warm[0])
                    scheduler_cpu = _cpu_seconds()  # the scheduler runs in this process
                    run = _run_child("batch", args.framework, str(src), str(out), "dask",
                                     cluster.scheduler_address)
                    scheduler_cpu = _cpu_seconds() - scheduler_cpu
                    workers = client.run(_hwm_mib)
                    cpu = sum(client.run(_cpu_seconds).values())
                equal = all(filecmp.cmp(work / f"local{suffix}", work / f"dask{n}{suffix}",
                                        shallow=False)
                            for suffix in (".parquet", ".errors.parquet"))
                _best(rate, f"dask{n}", run["rows"] / run["run_seconds"])
                print(f"dask {n} worker{'s' if n > 1 else ' '}  "
                      f"{run['rows'] / run['run_seconds']:>10,.0f} rows/s  driver peak RSS "
                      f"{run['hwm_mib']:,.0f} MiB  workers' peak RSS "
                      f"{', '.join(f'{v:,.0f}' for v in workers.values())} MiB  "
                      f"({run['run_seconds']:.1f} s; workers' CPU {cpu:.1f} s, driver's "
                      f"{run['cpu_s']:.1f} s, scheduler's {scheduler_cpu:.1f} s; byte-equal to local: "
                      f"{'yes' if equal else 'NO'})", flush=True)
                out.unlink()
                out.with_name(f"dask{n}.errors.parquet").unlink()

        print(f"stats ...  {_load()}", flush=True)
        stats = _run_child("stats", str(work / "local.parquet"), str(work / "stats.parquet"))
        print(f"stats          {stats['rows'] / stats['seconds']:>10,.0f} rows/s  peak RSS "
              f"{stats['hwm_mib']:,.0f} MiB  ({stats['seconds']:.1f} s over {stats['rows']:,} "
              f"results, {stats['cohorts']} cohorts)", flush=True)
        best = " (best of each)" if args.rounds > 1 else ""
        if "dask1" in rate and "dask2" in rate:
            print(f"2 workers / 1 worker{best}: {rate['dask2'] / rate['dask1']:.2f}x; "
                  f"2 workers / local: {rate['dask2'] / rate['local']:.2f}x; {_load()}")


if __name__ == "__main__":
    main()
