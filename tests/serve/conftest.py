"""The HTTP API in two forms: in-process (Starlette's TestClient) and a real ``smesdk serve``
process on a loopback port, started and stopped by the test (for slow bodies, kill -9 and
restarts, which need a real socket and a real process)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from starlette.testclient import TestClient

import smesdk
from smesdk.batch.synthetic import synthetic_batch
from smesdk.serve import app
from smesdk.serve.config import ServeConfig

ROOT = Path(__file__).parents[2]
EXAMPLE_ANSWERS = ROOT / "examples" / "answers" / "example-small-firm.yaml"
PARQUET = {"content-type": "application/vnd.apache.parquet"}
#: A batch job that runs for seconds, in resumable chunks of CHUNK rows.
BIG_ROWS = 20_000
CHUNK = 100


@pytest.fixture
def big_input(tmp_path: Path) -> Path:
    path = tmp_path / "in.parquet"
    table = pa.Table.from_batches([synthetic_batch(smesdk.load_framework("example"), BIG_ROWS,
                                                   seed=7)])
    pq.write_table(table, path, row_group_size=1000)
    return path


def wait_for(url: str, until: str, seconds: float = 180) -> dict[str, object]:
    """The job's status once it is ``until`` (or failed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status: dict[str, object] = httpx.get(url, timeout=10).json()
        if status["state"] in (until, "failed"):
            return status
        time.sleep(0.1)
    raise AssertionError(f"the job is still {status['state']} after {seconds} s")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(app(ServeConfig(jobs_dir=str(tmp_path / "jobs")))) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """``smesdk serve`` in its own process group, on a free loopback port."""

    def __init__(self, config: Path, workers: int = 1) -> None:
        self.config = config
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = config.with_suffix(f".{self.port}.log")

    def start(self, wait: float = 60.0) -> Server:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", "from smesdk.cli import main; main()", "serve",
                 "--port", str(self.port), "--workers", str(self.workers),
                 "--config", str(self.config)],
                stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/v1/healthz", timeout=1).status_code == 200:
                    return self
            time.sleep(0.2)
        self.kill()
        raise AssertionError(f"the server did not start:\n{self.log.read_text()[-3000:]}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            self.proc.wait(30)


def kill_mid_job(server: Server, jobs: Path, job: str) -> None:
    """SIGKILL the whole server once the job has finished its first chunk."""
    from smesdk.batch.runner import MANIFEST, work_dir

    manifest = work_dir(jobs / job / "results.parquet") / MANIFEST
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if json.loads(manifest.read_text())["done"]:
                break
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.002)
    server.kill()


def write_config(path: Path, jobs: Path, extra: str = "") -> Path:
    path.write_text(f"jobs_dir = {json.dumps(str(jobs))}\n{extra}", encoding="utf-8")
    return path


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[type[Server]]:
    """A factory of servers; every server it made is killed at the end of the test."""
    made: list[Server] = []

    class Made(Server):
        def __init__(self, config: Path, workers: int = 1) -> None:
            super().__init__(config, workers)
            made.append(self)

    yield Made
    for server in made:
        server.kill()
