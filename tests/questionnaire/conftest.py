"""Fixtures of the form tests: the example framework, and its form filled in (in Chinese)
with the example small firm (examples/answers/example-small-firm.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from smesdk import default_host, load_answers
from smesdk.framework import Framework
from smesdk.questionnaire import write_questionnaire

ROOT = Path(__file__).parents[2]
ANSWERS = ROOT / "examples/answers/example-small-firm.yaml"


@pytest.fixture
def fw() -> Framework:
    return default_host().load_framework("example")


@pytest.fixture
def filled(tmp_path: Path, fw: Framework) -> Path:
    """A correctly filled zh form (the example small firm)."""
    path = tmp_path / "form.xlsx"
    write_questionnaire(fw, path, lang="zh", answers=load_answers(ANSWERS))
    return path
