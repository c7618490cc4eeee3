"""One error family. The library raises these; only the CLI turns them into exit codes."""

from __future__ import annotations

from collections.abc import Iterable

import attrs


@attrs.frozen
class Problem:
    """One thing wrong with an input, with where it is."""

    path: str
    message: str
    file: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        suffix = f" @ {self.file}" if self.file else ""
        return f"{where}{self.message}{suffix}"


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
