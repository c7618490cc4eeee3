"""Opening input files without trusting them: regular files only, sizes enforced while reading.

A FIFO, a socket or a device given as input would block or never end; ``stat`` sizes can lie
(a FIFO says 0, ``/proc`` files say 0, a file can grow after the check). So a file is opened
without blocking, checked with ``fstat`` on the open descriptor (no race with a swapped path),
and read with a limit of its own.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from smesdk.errors import Problem, SmesdkError


def _fail(path: Path, message: str) -> SmesdkError:
    return SmesdkError([Problem("", message, str(path))])


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """``path`` opened for binary reading; refuses anything but a regular file."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise _fail(path, f"cannot read file: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "a pipe" if stat.S_ISFIFO(mode) else \
                "a device or socket"
            raise _fail(path, f"not a regular file ({kind}); give a file")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def require_regular(path: str | os.PathLike[str]) -> None:
    """Refuse ``path`` unless it is a regular file (without blocking on a FIFO)."""
    open_regular(path).close()


def read_limited(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, counted while reading."""
    with open_regular(path) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise _fail(Path(path), f"cannot read file: {exc.strerror}") from None
    if len(data) > limit:
        raise _fail(Path(path), f"file is over the {limit}-byte limit")
    return data
