"""A progress bar for long work, on stderr and only when stderr is a terminal.

    with progress(len(files), "scoring") as advance:
        for f in files:
            ...
            advance(1)

When stderr is not a terminal (pipes, CI, tests) it draws nothing, so output stays clean.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

Advance = Callable[[int], None]


def _noop(n: int = 1) -> None:
    return None


@contextmanager
def progress(total: int, label: str, *, console: Console | None = None) -> Iterator[Advance]:
    """Yield ``advance(n)``; draw a bar on stderr (or ``console``) only if it is a terminal."""
    if console is None:
        if not sys.stderr.isatty():
            yield _noop
            return
        console = Console(stderr=True)
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeRemainingColumn(), console=console, transient=True)
    with bar:
        task = bar.add_task(label, total=total)

        def advance(n: int = 1) -> None:
            bar.advance(task, n)

        yield advance
