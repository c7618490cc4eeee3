"""Loading framework specs and answer sets from files or plain data."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from smesdk.answers import AnswerSet
from smesdk.convert import Format, read_file, structure
from smesdk.errors import AnswerError, SmesdkError, SpecError
from smesdk.spec import FrameworkSpec

T = TypeVar("T")


def _from_data(data: Any, cls: type[T], error: type[SmesdkError], fmt: Format,
               file: str | None) -> T:
    try:
        return structure(data, cls, fmt, file=file)
    except SmesdkError as exc:
        raise error(exc.problems) from None


def _from_file(path: str | Path, cls: type[T], error: type[SmesdkError]) -> T:
    path = Path(path)
    try:
        data, fmt = read_file(path)
    except SmesdkError as exc:
        raise error(exc.problems) from None
    return _from_data(data, cls, error, fmt, str(path))


def spec_from_data(data: Any, fmt: Format = "json", *, file: str | None = None) -> FrameworkSpec:
    """Structure a framework spec from plain data. Raises SpecError with every problem."""
    return _from_data(data, FrameworkSpec, SpecError, fmt, file)


def load_spec(path: str | Path) -> FrameworkSpec:
    """Read a framework spec file (YAML, JSON or TOML). Raises SpecError with every problem."""
    return _from_file(path, FrameworkSpec, SpecError)


def answers_from_data(data: Any, fmt: Format = "json", *, file: str | None = None) -> AnswerSet:
    """Structure an answer set from plain data (e.g. a dict built in code)."""
    return _from_data(data, AnswerSet, AnswerError, fmt, file)


def load_answers(path: str | Path) -> AnswerSet:
    """Read an answer-set file (YAML, JSON or TOML). Raises AnswerError with every problem."""
    return _from_file(path, AnswerSet, AnswerError)


def document_kind(data: Any) -> str:
    """'framework' or 'answers', guessed from the top-level keys."""
    if isinstance(data, dict) and "dimensions" in data:
        return "framework"
    if isinstance(data, dict) and "enterprise" in data:
        return "answers"
    return "unknown"
