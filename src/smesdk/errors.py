"""One error family. The library raises these; only the CLI turns them into exit codes."""

from __future__ import annotations

import reprlib
from collections.abc import Iterable

import attrs

_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlist = _SHORT.maxtuple = _SHORT.maxdict = _SHORT.maxset = 6
_SHORT.maxlevel = 3
_SHORT.maxlong = 40
#: A message longer than this is cut (a value quoted in it may come from a hostile file).
MAX_MESSAGE = 600


def short(value: object) -> str:
    """``repr(value)`` cut to a short prefix, in bounded time (for quoting input in messages)."""
    return _SHORT.repr(value)


@attrs.frozen
class Problem:
    """One thing wrong with an input, with where it is."""

    path: str
    message: str
    file: str | None = None

    def __str__(self) -> str:
        where = f"{self.path[:200]}: " if self.path else ""
        suffix = f" @ {self.file}" if self.file else ""
        message = self.message
        if len(message) > MAX_MESSAGE:
            message = f"{message[:MAX_MESSAGE]}… ({len(message) - MAX_MESSAGE} more characters)"
        return f"{where}{message}{suffix}"


def short_error(exc: BaseException) -> str:
    """The first line of an unexpected exception's message, cut short (never a traceback)."""
    text = str(exc).strip().split("\n", 1)[0] or type(exc).__name__
    return text[:200]


class SmesdkError(Exception):
    """Base of every error smesdk raises on purpose. Its message is meant for a person."""

    def __init__(self, problems: Iterable[Problem | str], *, title: str | None = None) -> None:
        self.problems: list[Problem] = [
            p if isinstance(p, Problem) else Problem("", p) for p in problems
        ]
        self.title = title
        super().__init__(self.render())

    def render(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.title:
            lines.insert(0, self.title)
        return "\n".join(lines)


class SpecError(SmesdkError):
    """A framework specification (or a profile of it) is malformed."""


class AnswerError(SmesdkError):
    """An answer set is malformed or does not fit the framework it is scored against."""


class PluginError(SmesdkError):
    """A plugin failed to load, or two plugins claim the same name."""
