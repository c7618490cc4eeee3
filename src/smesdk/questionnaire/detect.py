"""Telling a questionnaire from an answer file, without loading openpyxl."""

from __future__ import annotations

from pathlib import Path


def is_questionnaire(path: str | Path) -> bool:
    """Whether ``path`` is read as an Excel questionnaire (by its suffix)."""
    return Path(path).suffix.lower() == ".xlsx"
