"""Loading framework specs and answer sets from files or plain data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smesdk.answers import AnswerSet
from smesdk.convert import Format, read_file, structure
from smesdk.errors import AnswerError, SmesdkError, SpecError
from smesdk.spec import FrameworkSpec


def spec_from_data(data: Any, fmt: Format = "json", *, file: str | None = None) -> FrameworkSpec:
    try:
        return structure(data, FrameworkSpec, fmt, file=file)
    except SpecError:
        raise
    except SmesdkError as exc:
        raise SpecError(exc.problems) from None


def load_spec(path: str | Path) -> FrameworkSpec:
    """Read a framework spec file (YAML, JSON or TOML). Raises SpecError with every problem."""
    path = Path(path)
    try:
        data, fmt = read_file(path)
    except SmesdkError as exc:
        raise SpecError(exc.problems) from None
    return spec_from_data(data, fmt, file=str(path))


def answers_from_data(data: Any, fmt: Format = "json", *, file: str | None = None) -> AnswerSet:
    """Structure an answer set from plain data (e.g. a dict built in code)."""
    try:
        return structure(data, AnswerSet, fmt, file=file)
    except AnswerError:
        raise
    except SmesdkError as exc:
        raise AnswerError(exc.problems) from None


def load_answers(path: str | Path) -> AnswerSet:
    """Read an answer-set file (YAML, JSON or TOML). Raises AnswerError with every problem."""
    path = Path(path)
    try:
        data, fmt = read_file(path)
    except SmesdkError as exc:
        raise AnswerError(exc.problems) from None
    return answers_from_data(data, fmt, file=str(path))


def document_kind(data: Any) -> str:
    """'framework' or 'answers', guessed from the top-level keys."""
    if isinstance(data, dict) and "dimensions" in data:
        return "framework"
    if isinstance(data, dict) and "enterprise" in data:
        return "answers"
    return "unknown"
