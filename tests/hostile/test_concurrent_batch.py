"""Two real ``smesdk batch`` processes on one output, and resuming over damaged part files.

- While one run holds the output, a second is refused at once with a message naming the
  first (its pid); the first finishes normally, and a later run is not wedged.
- A run killed with SIGKILL leaves no lock behind: the next run resumes.
- A part file truncated after its chunk was recorded is scored again on resume, and the
  output is byte for byte that of an uninterrupted run.
"""

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

from smesdk.batch.lock import lock_path  # noqa: E402
from smesdk.batch.runner import MANIFEST, run_batch, work_dir  # noqa: E402

HEADER = ("enterprise_id,size,date,strategy.mission,strategy.plan,hr.insurance,"
          "hr.training_hours,operations.monitoring,operations.systems,operations.qms_audit,"
          "operations.qms")


def _input(path: Path, rows: int) -> Path:
    lines = "".join(f"e{i},small,2026-11-01,{i % 5},partly,true,{i % 30},60,erp|crm,"
                    "2026-03-01,true\n" for i in range(rows))
    path.write_text(f"{HEADER}\n{lines}", "utf-8")
    return path


def _command(src: Path, out: Path, chunk: int) -> list[str]:
    return [sys.executable, "-c", "from smesdk.cli import main; main()", "batch", "example",
            str(src), "-o", str(out), "--chunk-size", str(chunk), "--lang", "en"]


def _wait_for(condition, proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert proc.poll() is None, f"the first run ended before {what}"
        assert time.monotonic() < deadline, f"no {what} after 60 s"
        time.sleep(0.005)


def _recorded(out: Path) -> int:
    try:
        return len(json.loads((work_dir(out) / MANIFEST).read_text())["done"])
    except (OSError, ValueError, KeyError):
        return 0


def _first_run(src: Path, out: Path) -> subprocess.Popen[bytes]:
    """A batch run on ``out``, returned once it has finished (and recorded) a chunk."""
    first = subprocess.Popen(_command(src, out, 10), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    _wait_for(lambda: _recorded(out) > 0, first, "finished chunk")
    return first


def test_a_second_run_on_the_same_output_is_refused_and_nothing_wedges(tmp_path):
    # Enough 10-row chunks that the first run is still writing when the second starts: the
    # compiled scorer finishes 1,500 rows before a second Python process is up.
    src = _input(tmp_path / "in.csv", 20000)
    out = tmp_path / "out.csv"
    first = _first_run(src, out)
    second = subprocess.run(_command(src, out, 10), capture_output=True, text=True, timeout=60)
    assert second.returncode == 1
    assert "Traceback" not in second.stderr
    assert f"another smesdk batch run is writing this output (pid {first.pid} on host" \
        in second.stderr, second.stderr
    stdout, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, stderr
    assert b"rows 20000 \xc2\xb7 scored 20000 \xc2\xb7 errors 0" in stdout  # the first run's rows
    assert not lock_path(out).exists() and not work_dir(out).exists()
    again = subprocess.run(_command(src, out, 1000), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "rows 20000 · scored 20000 · errors 0" in again.stdout


def test_a_killed_run_leaves_no_lock_that_blocks_the_next(tmp_path):
    src = _input(tmp_path / "in.csv", 1500)
    out = tmp_path / "out.csv"
    first = _first_run(src, out)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    assert lock_path(out).exists()  # the file stays, but the kernel released its lock
    again = subprocess.run(_command(src, out, 10), capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "resuming an interrupted run" in again.stderr
    assert "rows 1500 · scored 1500 · errors 0" in again.stdout


class _Stop(Exception):
    pass


def test_a_truncated_part_file_is_scored_again_on_resume(tmp_path):
    import smesdk

    fw = smesdk.load_framework("example")
    src = _input(tmp_path / "in.csv", 300)
    whole = tmp_path / "whole.parquet"
    run_batch(fw, src, whole, chunk_size=50)

    out = tmp_path / "out.parquet"
    seen = []

    def stop_after_three(rows: int) -> None:
        seen.append(rows)
        if rows >= 150:
            raise _Stop  # an interruption after three recorded chunks

    with pytest.raises(_Stop):
        run_batch(fw, src, out, chunk_size=50, progress=stop_after_three)
    part = work_dir(out) / "part-000000001.arrow"
    part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])  # a half-written part
    notes = []
    summary = run_batch(fw, src, out, chunk_size=50, note=lambda text: notes.append(text.en))
    assert "1 units have damaged part files and are scored again" in notes
    assert summary.resumed_units == 2
    assert (summary.rows, summary.scored) == (300, 300)
    assert out.read_bytes() == whole.read_bytes()
