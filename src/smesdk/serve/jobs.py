"""Batch jobs: an uploaded file scored by ``run_batch`` in the background, resumable.

Each job is a folder in the configured jobs folder, named by a random token the server made
(a request only ever names a job by that token, checked to be one before any path is built)::

    JOBS/<token>/job.json        what to run: framework, profile, formats, date
    JOBS/<token>/state.json      queued | running | done | failed, rows so far, the summary
    JOBS/<token>/input.csv       the upload (.csv, .jsonl or .parquet)
    JOBS/<token>/results.parquet and results.errors.parquet (or .csv), once done
    JOBS/<token>/.run.lock       held (flock) by the process running the job
    JOBS/.deleted-<token>-<n>    a job being removed (renamed out of the way first)

The scoring is ``smesdk batch``'s own runner with its resumable work folder, so a server that
is killed mid-job and started again resumes where the runner left off, and the files are
byte for byte those ``smesdk batch`` writes. Several worker processes share the folder: the
lock makes exactly one of them run a job; any of them answers for it.

A job is removed (DELETE, or the expiry sweep) only by a process holding its lock, so never
while another runs it: the folder is first renamed out of the way, so that a request sees the
whole job or none, then deleted. A job still waiting for a worker finds its folder gone and
never runs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import secrets
import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from smesdk import default_host
from smesdk.batch.formats import FORMATS
from smesdk.batch.writers import default_errors_path
from smesdk.errors import Problem, SmesdkError, short_error

INPUT_SUFFIXES = {f.suffixes[0] for f in FORMATS.values() if f.source is not None}
OUTPUT_FORMATS = tuple(name for name, f in FORMATS.items() if f.output)
#: receiving: the upload is still arriving (a server stopped then leaves a partial file, which
#: is removed at the next start; its client never got a job id).
STATES = ("receiving", "queued", "running", "done", "failed")
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_PROGRESS_EVERY = 0.5  # seconds between two writes of state.json while running
_LOCK_TRIES, _LOCK_WAIT = 20, 0.05  # a finished job's lock is only held for a moment
_DELETED = ".deleted-"  # prefix of a folder being removed (never a token: see _TOKEN)
FINISHED = ("done", "failed")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@contextlib.contextmanager
def _run_lock(folder: Path) -> Iterator[bool]:
    """Whether this process now holds the job's lock (released however the process ends).

    False too when the folder has gone (the job was removed): there is nothing to hold."""
    try:
        fd = os.open(folder / ".run.lock", os.O_RDWR | os.O_CREAT, 0o600)
    except FileNotFoundError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _remove(folder: Path) -> None:
    """Rename the folder out of the way (one atomic step: a reader sees the whole job or no
    job), then delete it. The caller holds the job's lock, or the job is its own upload."""
    gone = folder.with_name(f"{_DELETED}{folder.name}-{secrets.token_hex(4)}")
    try:
        os.rename(folder, gone)
    except FileNotFoundError:
        return  # already removed
    shutil.rmtree(gone, ignore_errors=True)


class Jobs:
    """The jobs folder of one server process; jobs run one at a time on a worker thread."""

    #: Seconds between two expiry sweeps made on job requests.
    sweep_every = 60.0

    def __init__(self, root: Path, chunk_size: int, upload_seconds: float = 300.0,
                 keep_hours: float = 168.0) -> None:
        self.root = root
        self.chunk_size = chunk_size
        self.upload_seconds = upload_seconds
        self.keep = dt.timedelta(hours=keep_hours)
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._resumed = False
        self._swept = -float("inf")  # time.monotonic() of the last sweep

    def ensure_resumed(self) -> None:
        """:meth:`resume` and :meth:`sweep`, once per process."""
        with self._lock:
            if self._resumed:
                return
            self._resumed = True
            self._swept = time.monotonic()
        self.resume()
        self.sweep()

    def sweep_due(self) -> bool:
        """Whether a sweep is due (and claimed by the caller, who then calls :meth:`sweep`)."""
        with self._lock:
            now = time.monotonic()
            if now - self._swept < self.sweep_every:
                return False
            self._swept = now
            return True

    def writable(self) -> bool:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
        return os.access(self.root, os.W_OK | os.X_OK)

    def folder(self, token: str) -> Path | None:
        """The job's folder, or None for anything that is not one of this server's tokens."""
        if not _TOKEN.match(token):
            return None
        folder = self.root / token
        return folder if (folder / "job.json").is_file() else None

    def create(self, framework: str, profile: str | None, suffix: str, fmt: str,
               as_of: dt.date | None) -> tuple[str, Path]:
        """A new job folder; the caller saves the upload to the returned input path, then
        calls :meth:`start` (or :meth:`discard`)."""
        assert suffix in INPUT_SUFFIXES and fmt in OUTPUT_FORMATS
        suffix_out = FORMATS[fmt].suffixes[0]
        token = secrets.token_hex(16)
        folder = self.root / token
        folder.mkdir(parents=True)
        _write_json(folder / "job.json", {
            "id": token, "framework": framework, "profile": profile, "input": f"input{suffix}",
            "format": fmt, "output": f"results{suffix_out}", "as_of": as_of.isoformat() if as_of else None,
            "created": _stamp(_now()),
        })
        self._state(folder, "receiving")
        return token, folder / f"input{suffix}"

    def discard(self, token: str) -> None:
        """Remove a job whose upload was refused (its own request is the only one to know it)."""
        folder = self.folder(token)
        if folder is not None:
            _remove(folder)

    def delete(self, token: str) -> str | None:
        """Remove a job that no process is running: None when removed, else why not:
        ``"missing"``, ``"running"``, ``"receiving"`` (its upload is arriving) or ``"busy"``
        (another process held the job's lock for over a second, yet it is not running)."""
        for _ in range(_LOCK_TRIES):
            folder = self.folder(token)
            if folder is None:
                return "missing"
            with _run_lock(folder) as mine:
                state = (_read_json(folder / "state.json") or {}).get("state")
                if mine and state == "receiving":
                    return "receiving"
                if mine:  # queued, finished, or "running" as a stopped server left it
                    _remove(folder)
                    return None
                if state == "running":
                    return "running"  # held by the process running it
            # Otherwise the lock is held a moment: by a worker starting the job (it says
            # running next), by a sweep looking at it, or by a process removing it.
            time.sleep(_LOCK_WAIT)
        return "busy"

    def finished_at(self, folder: Path, state: dict[str, Any]) -> dt.datetime | None:
        """When a done or failed job ended: its recorded ``finished``, else (a job from an
        older server) the time state.json was last written."""
        if state.get("state") not in FINISHED:
            return None
        recorded = state.get("finished")
        with contextlib.suppress(ValueError):  # damaged: the file's time, as unrecorded
            moment = dt.datetime.fromisoformat(recorded) if isinstance(recorded, str) else None
            if moment is not None and moment.tzinfo is not None:
                return moment
        try:
            return dt.datetime.fromtimestamp((folder / "state.json").stat().st_mtime, dt.UTC)
        except OSError:
            return None

    def _expired(self, folder: Path, now: dt.datetime) -> bool:
        finished = self.finished_at(folder, _read_json(folder / "state.json") or {})
        return finished is not None and now - finished >= self.keep

    def sweep(self, now: dt.datetime | None = None) -> list[str]:
        """Remove every done or failed job that finished more than the keep time ago (and
        what an interrupted removal left); the tokens removed. Queued, running and receiving
        jobs are never touched; a job another process removes meanwhile is skipped."""
        now = now or _now()
        removed = []
        try:
            entries = sorted(self.root.iterdir())
        except OSError:
            return []
        for entry in entries:
            if entry.name.startswith(_DELETED):
                shutil.rmtree(entry, ignore_errors=True)
            elif self.folder(entry.name) is not None and self._expired(entry, now):
                with _run_lock(entry) as mine:  # then look again, holding the lock
                    if mine and self._expired(entry, now):
                        _remove(entry)
                        removed.append(entry.name)
        return removed

    def start(self, token: str) -> None:
        """Queue a job whose upload is complete (or resume one)."""
        folder = self.root / token
        if (_read_json(folder / "state.json") or {}).get("state") == "receiving":
            self._state(folder, "queued")
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smesdk-job")
            self._pool.submit(self._run, token)

    def resume(self) -> list[str]:
        """Start every job not yet done or failed (after a restart); their tokens."""
        if not self.root.is_dir():
            return []
        waiting = []
        for folder in sorted(self.root.iterdir()):
            state = _read_json(folder / "state.json") if self.folder(folder.name) else None
            if state is None:
                continue
            if state.get("state") in ("queued", "running"):
                waiting.append(folder.name)
            elif state.get("state") == "receiving":
                self._drop_partial(folder)
        for token in waiting:
            self.start(token)
        return waiting

    def _drop_partial(self, folder: Path) -> None:
        """Remove an upload cut off by a restart, unless another worker is receiving it now
        (its folder is younger than the longest upload may take)."""
        with contextlib.suppress(OSError):
            if time.time() - (folder / "job.json").stat().st_mtime > self.upload_seconds:
                _remove(folder)

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def status(self, token: str) -> dict[str, Any] | None:
        folder = self.folder(token)
        if folder is None:
            return None
        job = _read_json(folder / "job.json")
        state = _read_json(folder / "state.json")
        if job is None or state is None:  # removed meanwhile: no half a job
            return None
        out = {key: job.get(key) for key in ("id", "framework", "profile", "format", "as_of",
                                             "created")}
        out.update(state)
        finished = self.finished_at(folder, state)
        if finished is not None:
            out["expires"] = _stamp(finished + self.keep)
        if state.get("state") == "done":
            out["results"] = f"/v1/jobs/{token}/results"
            out["errors"] = f"/v1/jobs/{token}/errors"
        return out

    def output(self, token: str, which: str) -> tuple[Path, str] | None:
        """(path, format) of a finished job's results or errors file."""
        folder = self.folder(token)
        job = _read_json(folder / "job.json") if folder is not None else None
        if folder is None or job is None or job.get("format") not in OUTPUT_FORMATS:
            return None
        results = folder / job["output"]
        path = results if which == "results" else default_errors_path(results)
        return path, job["format"]

    # --- running ----------------------------------------------------------------------------

    def _state(self, folder: Path, state: str, **extra: Any) -> None:
        _write_json(folder / "state.json", {"state": state, **extra})

    def _run(self, token: str) -> None:
        folder = self.root / token
        with _run_lock(folder) as mine:
            if not mine:
                return  # another worker process runs it, or the job was deleted
            state = _read_json(folder / "state.json") or {}
            if state.get("state") not in ("queued", "running"):
                return  # finished (or deleted) while this one waited
            try:
                self._score(folder)
            except SmesdkError as exc:
                self._state(folder, "failed", finished=_stamp(_now()), problems=[
                    {"path": p.path, "message": p.message, "file": None} for p in exc.problems])
            except Exception as exc:  # the job fails, the server goes on
                self._state(folder, "failed", finished=_stamp(_now()), problems=[
                    {"path": "", "message": f"the job stopped: {short_error(exc)}",
                     "file": None}])

    def _score(self, folder: Path) -> None:
        from smesdk.batch.formats import open_source
        from smesdk.batch.readers import ParquetSource
        from smesdk.batch.runner import run_batch

        job = _read_json(folder / "job.json")
        if job is None:
            raise SmesdkError([Problem("", "the job's description is damaged")])
        fw = default_host().load_framework(job["framework"], job["profile"])
        source_path = folder / job["input"]
        source = open_source(source_path)
        total = sum(source.row_counts()) if isinstance(source, ParquetSource) else None
        last = [0.0]

        def progress(rows: int) -> None:
            now = time.monotonic()
            if now - last[0] >= _PROGRESS_EVERY:
                last[0] = now
                self._state(folder, "running", rows_done=rows, rows_total=total)

        self._state(folder, "running", rows_done=0, rows_total=total)
        summary = run_batch(fw, source_path, folder / job["output"],
                            as_of=dt.date.fromisoformat(job["as_of"]) if job["as_of"] else None,
                            chunk_size=self.chunk_size, progress=progress)
        self._state(folder, "done", rows_done=summary.rows, rows_total=summary.rows,
                    finished=_stamp(_now()),
                    summary={"rows": summary.rows, "scored": summary.scored,
                             "errors": summary.errors, "resumed_units": summary.resumed_units})
