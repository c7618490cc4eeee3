"""Real processes against the store: a writer killed mid-transaction, two writers at once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from smesdk.store import open_store

from .conftest import ROOT

WRITER = Path(__file__).with_name("writer.py")


def _writer(url: str, mode: str, count: int, tag: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(WRITER), url, mode, str(count), tag], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _counts(url: str) -> dict[str, int]:
    store = open_store(url)
    with store.engine.connect() as connection:
        return {table: connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("enterprises", "framework_specs", "answer_sets", "results")}


def _notes(url: str) -> list[str]:
    store = open_store(url)
    return sorted(json.loads(line)["answers"]["notes"] for line in store.export_lines()
                  if json.loads(line)["record"] == "assessment")


def test_a_writer_killed_mid_transaction_keeps_what_was_committed(db_url: str) -> None:
    committed = _writer(db_url, "commit", 3, "kept")
    out, err = committed.communicate(timeout=120)
    assert committed.returncode == 0, err
    kept_uids = out.split()[1:]
    assert len(kept_uids) == 3

    hanging = _writer(db_url, "hang", 5, "lost")
    assert hanging.stdout is not None
    lines = []
    while (line := hanging.stdout.readline().strip()) != "IN-TX":  # 5 rows written, not committed
        assert line, hanging.stderr.read() if hanging.stderr else "writer ended"
        lines.append(line)
    os.kill(hanging.pid, signal.SIGKILL)
    hanging.wait(timeout=30)
    assert hanging.returncode == -signal.SIGKILL

    # every committed assessment is whole; nothing of the killed transaction is there
    assert _notes(db_url) == ["kept-0", "kept-1", "kept-2"]
    assert _counts(db_url) == {"enterprises": 1, "framework_specs": 1, "answer_sets": 3,
                               "results": 3}
    store = open_store(db_url)
    assert [e.uid for e in store.history("示例精密机械有限公司")] == kept_uids
    if db_url.startswith("sqlite"):
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    # and the store takes writes again
    assert _writer(db_url, "commit", 1, "after").wait(timeout=120) == 0


def test_two_concurrent_writers_both_land(db_url: str) -> None:
    open_store(db_url)  # create the schema first: the writers then race on rows, not on DDL
    writers = [_writer(db_url, "commit", 15, tag) for tag in ("a", "b")]
    outputs = [w.communicate(timeout=300) for w in writers]
    assert [w.returncode for w in writers] == [0, 0], [err for _, err in outputs]
    expected = sorted([f"a-{i}" for i in range(15)] + [f"b-{i}" for i in range(15)])
    assert _notes(db_url) == expected
    # both added the same enterprise and spec: each is stored once
    assert _counts(db_url) == {"enterprises": 1, "framework_specs": 1, "answer_sets": 30,
                               "results": 30}
