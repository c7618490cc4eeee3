"""``smesdk report``: files, formats, comparison and errors without tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from smesdk.testing.cli import invoke

ROOT = Path(__file__).parents[2]
ANSWERS = "examples/answers/example-small-firm.yaml"


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


run = invoke


def test_html_to_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    code, msg = run("report", "example", ANSWERS, "-o", str(out), "--lang", "en")
    assert code == 0 and f"wrote {out} (html" in msg
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'data-axes="3"' in html


def test_markdown_from_suffix_and_to_stdout(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    assert run("report", "example", ANSWERS, "-o", str(out), "--lang", "zh")[0] == 0
    assert out.read_text(encoding="utf-8").startswith("# 示例精密机械有限公司\n")
    code, text = run("report", "example", ANSWERS, "--format", "md", "--lang", "en")
    assert code == 0 and "## Gaps" in text


def test_compare_and_target(tmp_path: Path) -> None:
    earlier = yaml.safe_load((ROOT / ANSWERS).read_text(encoding="utf-8"))
    earlier["answers"].update({"strategy.mission": 1, "strategy.plan": "no"})
    earlier["date"] = "2025-11-01"
    earlier["answers"]["operations.qms_audit"] = "2025-03-01"
    earlier.pop("expected")
    path = tmp_path / "earlier.yaml"
    path.write_text(yaml.safe_dump(earlier, allow_unicode=True), encoding="utf-8")
    code, text = run("report", "example", ANSWERS, "--compare", str(path), "--format", "md", "--lang", "en")
    # strategy 62.5 now against (0.25 + 0) / 2 = 12.5 then.
    assert code == 0 and "| Strategic management | 62.5 | 3.75 / 6.00 | 12.5 | +50.00 |" in text
    code, text = run("report", "example", ANSWERS, "--target", "advanced", "--lang", "en")
    assert code == 0 and "series-target" in text


def test_errors_are_messages(tmp_path: Path) -> None:
    code, text = run("report", "example", ANSWERS, "--target", "nope")
    assert code == 1 and "target: example has no level 'nope'" in text and "Traceback" not in text
    bad = tmp_path / "bad.yaml"
    bad.write_text("enterprise: {name: x, size: small}\ndate: 2026-01-01\nanswers: {no.such: 1}\n",
                   encoding="utf-8")
    code, text = run("report", "example", str(bad))
    assert code == 1 and "no.such" in text and str(bad) in text and "Traceback" not in text
    code, text = run("report", "example", ANSWERS, "-o", str(tmp_path / "missing" / "r.html"))
    assert code == 1 and "cannot write the report" in text
