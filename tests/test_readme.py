"""The README's promises: its embedding example runs, and CI runs its quick start verbatim."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.S)


def test_quick_start_has_exactly_two_commands_and_ci_runs_them() -> None:
    start = README.index("## Quick start")
    section = README[start:README.index("\n## ", start + 1)]
    commands = [b.strip() for b in re.findall(r"```sh\n(.*?)```", section, re.S)]
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in commands:
        assert command in ci, f"CI does not run the README command: {command}"


def test_embedding_example_runs(monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    (code,) = _blocks("python")
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "strategy" in out and "contribution" in out
