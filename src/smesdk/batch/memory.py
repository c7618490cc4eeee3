"""Keep freed batch arrays' memory for the next batch instead of handing it back to the OS.

A batch allocates and frees the same few hundred column arrays (65,536 rows: 512 KiB each)
chunk after chunk. With glibc's defaults, arrays this size are mapped fresh and unmapped
again, or the heap top is trimmed after each chunk, so every chunk pays again for the page
faults of all its arrays (measured: about a quarter of the scorer's time). Raising the mmap
and trim thresholds once per process lets the allocator reuse that memory: the process holds
on to at most TRIM bytes it no longer uses. Settings the user gives through glibc's own
environment variables are left alone; other C libraries are left alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

#: Arrays below this size come from the reusable heap (glibc's own dynamic ceiling).
MMAP = 32 << 20
#: Freed memory kept for reuse before the heap is trimmed.
TRIM = 256 << 20
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_done: list[bool] = []


def keep_freed_memory() -> None:
    """Tune glibc's malloc for batch scoring (once per process; a no-op elsewhere)."""
    if _done or not sys.platform.startswith("linux"):
        return
    _done.append(True)
    if "MALLOC_MMAP_THRESHOLD_" in os.environ or "MALLOC_TRIM_THRESHOLD_" in os.environ:
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return
    mallopt(_M_MMAP_THRESHOLD, MMAP)
    mallopt(_M_TRIM_THRESHOLD, TRIM)
