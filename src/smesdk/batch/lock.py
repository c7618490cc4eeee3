"""One batch run per output: a lock file next to the output, naming the run that holds it.

The lock is an advisory ``flock`` on ``.OUTPUT.lock``: the kernel releases it when its holder
exits, however it exits (``kill -9`` included), so a lock can never go stale and a later run
is never wedged. The file holds the holder's pid, host and start time, only to name it in the
message the second run gets. The holder deletes the file while still holding the lock; a run
that locked a file just deleted checks that its file is still the one at the path, else
tries again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from smesdk.errors import Problem, SmesdkError


def lock_path(output: Path) -> Path:
    return output.with_name(f".{output.name}.lock")


def _holder(fd: int) -> str:
    with contextlib.suppress(OSError, ValueError):
        os.lseek(fd, 0, os.SEEK_SET)
        info = json.loads(os.read(fd, 4096).decode("utf-8"))
        if isinstance(info, dict):
            return (f"pid {info.get('pid')} on host {info.get('host')}, started "
                    f"{info.get('started')}")
    return "a run that is just starting"


def _acquire(path: Path, output: Path) -> int:
    for _ in range(20):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise SmesdkError([Problem("", f"cannot write next to the output: {exc.strerror}",
                                       str(output))]) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise SmesdkError([Problem("", f"another smesdk batch run is writing this output "
                                       f"({holder}; lock {path}); wait for it to finish or "
                                       "stop it, then run again", str(output))]) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            info = {"pid": os.getpid(), "host": socket.gethostname(),
                    "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
            os.ftruncate(fd, 0)
            os.write(fd, json.dumps(info).encode("utf-8"))
            return fd
        os.close(fd)  # the holder removed the file as we locked it: lock the new one
    raise SmesdkError([Problem("", f"could not take the lock {path}", str(output))])


@contextlib.contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold the output's lock for the ``with`` block; refuse if another run holds it."""
    path = lock_path(output)
    fd = _acquire(path, output)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)
