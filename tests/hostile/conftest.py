"""Running the real ``smesdk`` command on hostile input, with time and memory bounds enforced.

Each case is one CLI run in a subprocess under ``resource`` limits: RLIMIT_CPU (5 s of CPU:
the process is killed past it) and RLIMIT_AS (4 GiB of address space, a backstop against a
runaway allocation taking the machine down), plus a wall-clock watchdog that kills a run that
blocks (a FIFO uses no CPU). Peak RSS is read from ``wait4`` for that very process and must
stay within 300 MB. Cases run a few at a time (they are mostly interpreter start-up).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import attrs
import pytest

CPU_SECONDS = 5
WALL_SECONDS = 60  # generous for a loaded 2-core machine; CPU time is the real bound
ADDRESS_SPACE = 4 * 1024 * 1024 * 1024  # glibc arenas and thread stacks reserve a lot
MAX_RSS_MB = 300


@attrs.frozen
class Outcome:
    code: int
    stdout: str
    stderr: str
    wall: float
    cpu: float
    rss_mb: float
    killed: bool


#: Runs in a small fresh interpreter: sets the limits, forks, execs ``smesdk`` in the child and
#: reports the child's own rusage. Measuring from here rather than from pytest matters: a
#: process's peak RSS includes what it held before ``exec``, and a child forked from pytest
#: starts as big as pytest is.
_LAUNCH = f"""
import json, os, resource, sys
report, fsize, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
resource.setrlimit(resource.RLIMIT_CPU, ({CPU_SECONDS}, {CPU_SECONDS}))
resource.setrlimit(resource.RLIMIT_AS, ({ADDRESS_SPACE}, {ADDRESS_SPACE}))
if fsize:  # a "full disk": writes past this size fail with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-c", "from smesdk.cli import main; main()", *args])
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as out:
    json.dump({{"code": os.waitstatus_to_exitcode(status), "cpu": usage.ru_utime + usage.ru_stime,
               "rss_mb": usage.ru_maxrss / 1024}}, out)
"""


def run_smesdk(args: Sequence[str], cwd: Path, *, fsize: int | None = None) -> Outcome:
    """Run ``smesdk ARGS`` in ``cwd`` under the bounds; never raises for a failing run."""
    tag = threading.get_ident()
    out, err, report = cwd / f".out-{tag}", cwd / f".err-{tag}", cwd / f".usage-{tag}.json"
    env = {**os.environ, "LANG": "en_US.UTF-8", "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("DASK_SCHEDULER_ADDRESS", None)
    started = time.monotonic()
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.Popen(
            [sys.executable, "-c", _LAUNCH, str(report), str(fsize or 0), *args],
            cwd=cwd, stdout=o, stderr=e, stdin=subprocess.DEVNULL, env=env,
            start_new_session=True)
        killed = []

        def kill() -> None:
            killed.append(1)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        watchdog = threading.Timer(WALL_SECONDS, kill)
        watchdog.start()
        try:
            proc.wait()
        finally:
            watchdog.cancel()
    usage = json.loads(report.read_text()) if report.exists() else \
        {"code": proc.returncode, "cpu": 0.0, "rss_mb": 0.0}
    return Outcome(usage["code"], out.read_text("utf-8", "replace"),
                   err.read_text("utf-8", "replace"), time.monotonic() - started,
                   usage["cpu"], usage["rss_mb"], bool(killed))


def run_all(jobs: dict[str, Callable[[], Outcome]], workers: int = 3) -> dict[str, Outcome]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {name: pool.submit(job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


def assert_bounded(outcome: Outcome) -> None:
    assert not outcome.killed, f"still running after {WALL_SECONDS} s (a hang)"
    assert outcome.code != -9 and outcome.code != -24, "killed by the CPU limit"
    assert outcome.cpu <= CPU_SECONDS, f"{outcome.cpu:.1f} s of CPU"
    assert outcome.rss_mb <= MAX_RSS_MB, f"peak RSS {outcome.rss_mb:.0f} MB"
    assert "Traceback" not in outcome.stderr, outcome.stderr[-2000:]


@pytest.fixture(scope="session")
def smesdk_cli() -> Callable[..., Outcome]:
    """:func:`run_smesdk`, for tests in this folder."""
    return run_smesdk


@pytest.fixture(scope="session")
def bounded() -> Callable[[Outcome], None]:
    """:func:`assert_bounded`, for tests in this folder."""
    return assert_bounded


@pytest.fixture(scope="session")
def run_many() -> Callable[..., dict[str, Outcome]]:
    return run_all
