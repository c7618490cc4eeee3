"""The terminal result: a rich table within 80 columns on a TTY, plain text otherwise."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from smesdk import default_host, load_answers
from smesdk.cli import cli
from smesdk.cli.progress import progress
from smesdk.cli.render import result_text
from smesdk.cli.table import print_result, use_rich

ROOT = Path(__file__).parents[1]


def _rendered(fid: str, answers: str, lang: str, long_title: str | None = None) -> str:
    host = default_host()
    ans = load_answers(ROOT / answers)
    fw = host.load_framework(fid, ans.profile)
    result = fw.assess(ans)
    if long_title is not None:
        dims = [attrs.evolve(result.dimensions[0], title=result.dimensions[0].title.replace(
                                                                        zh=long_title, en=long_title)),
                *result.dimensions[1:]]
        result = attrs.evolve(result, dimensions=dims)
    out = io.StringIO()
    print_result(fw, result, lang, Console(file=out, width=80, force_terminal=True))  # type: ignore[arg-type]
    return out.getvalue()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("fid", "answers"), [
    ("management", "plugins/management/examples/zjtx_midsize.yaml"),
    ("digital", "plugins/digital/examples/04_level4.yaml"),
    ("example", "examples/answers/example-small-firm.yaml"),
])
def test_rich_table_fits_80_columns(fid: str, answers: str, lang: str) -> None:
    text = _rendered(fid, answers, lang)
    plain = Text.from_ansi(text).plain  # strip colour codes
    assert plain.strip()
    assert max(cell_len(line) for line in plain.splitlines()) <= 80
    assert "█" in plain and "\x1b[" in text  # bars, and colour


def test_long_chinese_title_is_cut_by_display_width_with_an_ellipsis() -> None:
    title = "战略规划与经营管理体系建设及数字化转型协同推进能力综合评价"  # 29 wide characters
    text = _rendered("example", "examples/answers/example-small-firm.yaml", "zh", title)
    plain = Text.from_ansi(text).plain
    row = next(line for line in plain.splitlines() if line.startswith("战略规划"))
    assert "…" in row and title not in row and cell_len(row) <= 80
    # more of the title is shown than the plain text's fixed 24 columns (12 characters)
    assert row.startswith(title[:13])
    assert row.count("█") + row.count("░") == 20 and row.rstrip().endswith("3.75/6.00")  # bar, points kept


def test_plain_text_when_not_a_tty_or_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    args = ["assess", "example", "examples/answers/example-small-firm.yaml", "--lang", "en"]
    out = CliRunner().invoke(cli, args).output
    fw = default_host().load_framework("example")
    expected = result_text(fw, fw.assess(load_answers(ROOT / args[2])), "en")
    assert out == expected + "\n"
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_rich()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_rich()


def test_progress_is_silent_without_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with progress(3, "reading") as advance:
        for _ in range(3):
            advance(1)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_progress_draws_on_a_terminal() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=60)
    with progress(4, "reading", console=console) as advance:
        advance(4)
    assert "reading" in out.getvalue()
