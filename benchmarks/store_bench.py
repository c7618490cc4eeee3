"""Assessment store benchmarks: recording many assessments, reading an enterprise's history.

Run: `python benchmarks/store_bench.py [--rows N] [--batch B] [--postgres URL] [--reads R]`.
Figures, not tests. For SQLite (a file) and PostgreSQL (``--postgres``, default
$SMESDK_TEST_POSTGRES_URL; a fresh database is created and dropped) it reports in one run:

- record: rows/s of ``Store.record_many`` writing N assessments (answers, result, spec
  snapshot, enterprise) in transactions of B; results are scored beforehand (a pool of
  distinct answer sets of the example framework), so the figure is the store's own cost;
- history: p50 and p99 latency of ``Store.history(enterprise, framework)`` over R random
  enterprises, each with N / 1000 assessments, on the full store.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import attrs
import sqlalchemy as sa

import smesdk
from smesdk.store import open_store

ANSWERS = Path(__file__).parents[1] / "examples" / "answers" / "example-small-firm.yaml"
ENTERPRISES = 1000


def _pool(fw: smesdk.Framework, size: int) -> list[tuple[smesdk.AnswerSet, smesdk.Result]]:
    """Distinct scored answer sets: the example firm with its answers varied, seeded."""
    base = smesdk.load_answers(ANSWERS)
    rng = random.Random(19)
    out = []
    for _ in range(size):
        changes = {"strategy.mission": rng.randint(0, 4),
                   "strategy.plan": rng.choice(["no", "partly", "fully"]),
                   "hr.training_hours": rng.randint(0, 40),
                   "operations.monitoring": rng.randint(0, 100)}
        answers = attrs.evolve(base, answers={**base.answers, **{
            k: smesdk.Answer(v) for k, v in changes.items()}})
        out.append((answers, fw.assess(answers)))
    return out


def _items(fw: smesdk.Framework, pool: list[tuple[smesdk.AnswerSet, smesdk.Result]], rows: int
           ) -> Iterator[tuple[smesdk.Framework, smesdk.AnswerSet, smesdk.Result]]:
    for i in range(rows):
        answers, result = pool[i % len(pool)]
        firm = attrs.evolve(answers.enterprise, name=f"企业{i % ENTERPRISES:04d}")
        yield fw, attrs.evolve(answers, enterprise=firm), attrs.evolve(result, enterprise=firm)


def bench(url: str, rows: int, batch: int, reads: int) -> tuple[float, float, float, float]:
    """(rows/s recorded, client CPU µs per row, p50 ms, p99 ms of a history read) at ``url``."""
    fw = smesdk.load_framework("example")
    pool = _pool(fw, 500)
    store = open_store(url)
    items = list(_items(fw, pool, rows))
    start, cpu = time.perf_counter(), time.process_time()
    for first in range(0, rows, batch):
        store.record_many(items[first:first + batch])
    rate = rows / (time.perf_counter() - start)
    cpu_per_row = (time.process_time() - cpu) / rows * 1e6
    rng = random.Random(5)
    times = []
    for _ in range(reads):
        name = f"企业{rng.randrange(ENTERPRISES):04d}"
        begin = time.perf_counter()
        entries = store.history(name, "example")
        times.append((time.perf_counter() - begin) * 1000)
        assert len(entries) == rows // ENTERPRISES
    cuts = statistics.quantiles(times, n=100)
    store.engine.dispose()
    return rate, cpu_per_row, cuts[49], cuts[98]


def _postgres_database(admin_url: str) -> tuple[str, sa.Engine, str]:
    admin = sa.create_engine(sa.make_url(admin_url).set(drivername="postgresql+psycopg"),
                             isolation_level="AUTOCOMMIT")
    name = f"smesdk_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    return url, admin, name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000, help="assessments per transaction")
    parser.add_argument("--reads", type=int, default=500, help="history reads timed")
    parser.add_argument("--postgres", default=os.environ.get("SMESDK_TEST_POSTGRES_URL"),
                        help="a PostgreSQL server URL (a database is created and dropped)")
    args = parser.parse_args()
    print(f"{args.rows} assessments of the example framework, {ENTERPRISES} enterprises "
          f"({args.rows // ENTERPRISES} each), transactions of {args.batch}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'engine':12} {'record rows/s':>14} {'client µs/row':>14} {'history p50 ms':>15} "
          f"{'history p99 ms':>15}")
    with tempfile.TemporaryDirectory() as folder:
        rate, cpu, p50, p99 = bench(f"sqlite:///{folder}/bench.sqlite", args.rows, args.batch,
                                    args.reads)
        print(f"{'SQLite':12} {rate:14,.0f} {cpu:14,.0f} {p50:15.2f} {p99:15.2f}", flush=True)
    if not args.postgres:
        print("PostgreSQL: skipped (give --postgres URL or set SMESDK_TEST_POSTGRES_URL)")
        return
    url, admin, name = _postgres_database(args.postgres)
    try:
        rate, cpu, p50, p99 = bench(url, args.rows, args.batch, args.reads)
        print(f"{'PostgreSQL':12} {rate:14,.0f} {cpu:14,.0f} {p50:15.2f} {p99:15.2f}")
        print(f"load average {os.getloadavg()[0]:.1f}")
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
