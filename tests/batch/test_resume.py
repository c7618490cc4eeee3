"""Kill a real batch run with SIGKILL mid-way, run the same command again, and get every row
exactly once — byte for byte what an uninterrupted run writes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from smesdk.batch.runner import MANIFEST, run_batch, work_dir  # noqa: E402

N = 20_000
CHUNK = 100


def _command(src: Path, out: Path) -> list[str]:
    return [sys.executable, "-c", "from smesdk.cli import main; main()", "batch", "example",
            str(src), "-o", str(out), "--chunk-size", str(CHUNK), "--lang", "en"]


def _kill_after_first_chunk(src: Path, out: Path) -> int:
    """Start the run, SIGKILL it as soon as the manifest records a finished chunk."""
    manifest = work_dir(out) / MANIFEST
    proc = subprocess.Popen(_command(src, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    done: dict[str, list[int]] = {}
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            done = json.loads(manifest.read_text())["done"]
        except (OSError, ValueError, KeyError):
            done = {}
        if done:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.002)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert not out.exists(), "an interrupted run must not leave an output file"
    return len(done)


def _finish(src: Path, out: Path) -> str:
    proc = subprocess.run(_command(src, out), capture_output=True, text=True, check=True)
    return proc.stdout + proc.stderr


def _assert_as_a_clean_run(tmp_path: Path, src: Path, fw: object, out: Path) -> None:
    """``out`` and its errors file are byte for byte what an uninterrupted run writes."""
    clean = tmp_path / "clean" / "out.parquet"
    clean.parent.mkdir()
    run_batch(fw, src, clean, chunk_size=CHUNK)  # type: ignore[arg-type]
    assert out.read_bytes() == clean.read_bytes()
    assert (out.with_name("out.errors.parquet").read_bytes()
            == clean.with_name("out.errors.parquet").read_bytes())


@pytest.fixture
def big_input(tmp_path, rows_factory, write_input):
    return write_input(rows_factory(N), tmp_path / "in.parquet")


def test_killed_run_resumes_without_duplicates_or_gaps(tmp_path, big_input, example_fw):
    out = tmp_path / "run" / "out.parquet"
    out.parent.mkdir()
    done_before = _kill_after_first_chunk(big_input, out)
    assert done_before >= 1
    log = _finish(big_input, out)
    assert "resuming an interrupted run" in log
    bad = len(range(2, N, 3))  # rows i with i % 3 == 2 are the error pattern
    assert f"rows {N} · scored {N - bad} · errors {bad}" in log
    assert not work_dir(out).exists()

    results = pq.read_table(out).column("row").to_pylist()
    errors = pq.read_table(out.with_name("out.errors.parquet")).column("row").to_pylist()
    assert results == [i for i in range(N) if i % 3 != 2]  # in order, no duplicates, no gaps
    assert errors == [i for i in range(N) if i % 3 == 2]

    _assert_as_a_clean_run(tmp_path, big_input, example_fw, out)


def test_a_changed_input_discards_the_unfinished_run(tmp_path, big_input, rows_factory,
                                                     write_input):
    out = tmp_path / "out.parquet"
    _kill_after_first_chunk(big_input, out)
    # Same path, other rows (ids shifted by one million): nothing of the old run may survive.
    write_input(rows_factory(30, start=1_000_000), big_input)
    log = _finish(big_input, out)
    assert "discarding the unfinished run" in log and "the input changed" in log
    ids = pq.read_table(out).column("enterprise_id").to_pylist()
    assert ids == [f"e{i:06d}" for i in range(1_000_000, 1_000_030) if i % 3 != 2]


@pytest.mark.parametrize("step", ["push", "finish"])
def test_a_failing_final_file_stops_the_run_and_the_next_run_resumes(
        tmp_path, big_input, example_fw, monkeypatch, step):
    # The parts and the final files are written in two threads, and the final files finish
    # (last rows, footer) in theirs: a failure there, part-way or at the end, stops the run
    # with the message, leaves no output, and keeps the parts to resume from.
    from smesdk.batch import writers
    from smesdk.errors import SmesdkError

    real = getattr(writers.FinalFile, step)
    calls: list[int] = []

    def failing(self, *args):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == (7 if step == "push" else 1):
            raise OSError(28, "No space left on device")
        return real(self, *args)

    monkeypatch.setattr(writers.FinalFile, step, failing)
    out = tmp_path / "run" / "out.parquet"
    out.parent.mkdir()
    with pytest.raises(SmesdkError, match="No space left on device"):
        run_batch(example_fw, big_input, out, chunk_size=CHUNK)
    assert not out.exists() and not out.with_name("out.errors.parquet").exists()
    manifest = json.loads((work_dir(out) / MANIFEST).read_text())
    assert manifest["done"], "the chunks scored before the failure are kept"

    monkeypatch.setattr(writers.FinalFile, step, real)
    summary = run_batch(example_fw, big_input, out, chunk_size=CHUNK)
    assert summary.resumed_units >= 1 and summary.rows == N
    _assert_as_a_clean_run(tmp_path, big_input, example_fw, out)
