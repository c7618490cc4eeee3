"""The terminal result: a rich table within 80 columns on a TTY, plain text otherwise."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from smesdk import Text as SText
from smesdk import default_host, load_answers
from smesdk.cli import cli
from smesdk.cli.progress import progress
from smesdk.cli.render import result_text
from smesdk.cli.table import print_result, use_rich
from smesdk.report.section_text import section_lines
from smesdk.report.sections import Table

ROOT = Path(__file__).parents[1]


def _rendered(fid: str, answers: str, lang: str, long_title: str | None = None,
              width: int = 80) -> str:
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
    print_result(fw, result, lang, Console(file=out, width=width, force_terminal=True))  # type: ignore[arg-type]
    return out.getvalue()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("fid", "answers"), [
    ("management", "plugins/management/examples/zjtx_midsize.yaml"),
    ("digital", "plugins/digital/examples/04_level4.yaml"),
    ("iso9001", "plugins/iso9001/examples/02_running_four_months.yaml"),  # wide tables
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
    # cut by display width: 13 of its wide characters (26 columns) are shown whole
    assert row.startswith(title[:13])
    assert row.count("█") + row.count("░") == 20 and row.rstrip().endswith("3.75/6.00")  # bar, points kept


def test_plain_text_when_not_a_tty_or_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("COLUMNS", raising=False)  # piped: 80 columns
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


def _cut(line: str, start: int, stop: int) -> str:
    """The text between display columns ``start`` and ``stop`` of ``line``."""
    out, at = "", 0
    for ch in line:
        if start <= at < stop:
            out += ch
        at += cell_len(ch)
    return out.rstrip()


def _cells(lines: list[str]) -> list[list[str]]:
    """A plain table's rows back as cells: spans from its rule, wrapped lines rejoined (a
    row starts where its second column, never empty in these tables, has text)."""
    rule = next(k for k, line in enumerate(lines) if set(line.strip()) <= {"-", " "})
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[rule])]
    rows: list[list[list[str]]] = []
    for line in lines[rule + 1:]:
        parts = [_cut(line, a, b) for a, b in spans]
        if parts[1] or not rows:
            rows.append([[p] if p else [] for p in parts])
        else:
            for cell, p in zip(rows[-1], parts, strict=True):
                cell += [p] if p else []
    return [[_joined(cell) for cell in row] for row in rows]


def _joined(pieces: list[str]) -> str:
    """Wrapped pieces of text joined back: Chinese wraps with no space to put back, and
    neither does a word broken after its hyphen ("Data-" / "driven")."""
    out = pieces[0] if pieces else ""
    for piece in pieces[1:]:
        hyphen = out[-2:-1].isalpha() and out.endswith("-") and piece[:1].isalpha()
        out += ("" if hyphen or cell_len(out[-1]) == 2 or cell_len(piece[0]) == 2 else " ") + piece
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plain_tables_wrap_within_the_width_and_keep_every_word(lang: str) -> None:
    long_en = ("Internal-audit nonconformities still open: 1; they must be corrected and "
               "verified before the management review.")
    long_zh = "尚有1项内审不符合未关闭，须在管理评审前整改并验证，验证记录由内审组长签字确认后归档。"
    table = Table(id="t", title=SText(zh="检查", en="Checks"),
                  columns=[SText(zh="检查", en="Check"), SText(zh="结果", en="Result"),
                           SText(zh="依据", en="Clause")],
                  rows=[[SText(zh=long_zh, en=long_en), SText(zh="未通过", en="not met"), "五（二）8（1）"],
                        [SText(zh="短", en="short"), SText(zh="通过", en="passed"), "五（二）9"]])
    for width in (50, 60, 80):
        lines = section_lines(table, lang, width)
        assert max(cell_len(line) for line in lines) <= width
        body = [line[2:] for line in lines[1:]]  # under the heading, indented by two
        expected = [[c.get(lang) if isinstance(c, SText) else c for c in row] for row in table.rows]
        assert _cells(body) == expected


def test_plain_dimension_names_are_whole_up_to_32_columns_then_cut_with_an_ellipsis() -> None:
    host = default_host()
    ans = load_answers(ROOT / "plugins/management/examples/zjtx_midsize.yaml")
    fw = host.load_framework("management", ans.profile)
    result = fw.assess(ans)
    text = result_text(fw, result, "en")
    assert "  Human resources management █" in text  # 26 columns: whole, the bars aligned
    long = "Strategy and business management system building and coordination"
    dims = [attrs.evolve(result.dimensions[0], title=SText(zh=long, en=long)),
            *result.dimensions[1:]]
    text = result_text(fw, attrs.evolve(result, dimensions=dims), "en")
    row = next(line for line in text.splitlines() if line.startswith("  Strategy"))
    assert row.startswith("  " + long[:30]) and "…" in row and long not in row
    bars = {line.index("█") for line in text.splitlines() if "█" in line and "/" in line}
    assert bars == {2 + 32 + 1}  # every bar starts in the same column


def test_a_long_heading_over_short_cells_wraps_before_the_text_columns_do() -> None:
    head = [SText(zh="领域", en="Area"), SText(zh="低于目标的实践", en="Practices below target"),
            SText(zh="服务", en="Services")]
    services = "Management consulting (十一（一）); Learning from model cases (十一（三）)"
    table = Table(id="t", title=SText(zh="服务", en="Services"), columns=head,
                  rows=[[SText(zh="决策管理", en="Decision-making management"), "6",
                         SText(zh=services, en=services)]])
    lines = [line[2:] for line in section_lines(table, "en", 72)[1:]]
    rule = next(k for k, line in enumerate(lines) if set(line.strip()) <= {"-", " "})
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[rule])]
    assert max(cell_len(line) for line in lines) <= 70
    # the heading of the column of figures wraps, whole words, so the services get the room
    assert [" ".join(filter(None, (_cut(line, a, b) for line in lines[:rule])))
            for a, b in spans] == ["Area", "Practices below target", "Services"]
    assert spans[1][1] - spans[1][0] < cell_len("Practices below target")
    assert _cells(lines) == [["Decision-making management", "6", services]]


def test_a_line_break_in_a_cell_starts_a_line_of_its_row() -> None:
    table = Table(id="t", title=SText(zh="t", en="t"),
                  columns=[SText(zh="a", en="Steps"), SText(zh="b", en="State")],
                  rows=[["plan\nrun\ncheck", "done"], ["review", "open"]])
    for width in (None, 40):
        lines = [line[2:] for line in section_lines(table, "en", width)[1:]]
        assert "\n" not in "".join(lines)
        assert lines[2:] == ["plan    done", "run", "check", "review  open"]


def test_a_table_without_rows_or_columns_prints_its_rule() -> None:
    empty = Table(id="t", title=SText(zh="t", en="t"), columns=[SText(zh="a", en="Steps")], rows=[])
    assert section_lines(empty, "en", 40)[1:] == ["  Steps", "  -----"]


MGMT = "plugins/management/examples/zjtx_midsize.yaml"
#: Never the first character of a line of Chinese text (fit_label hangs each past the width).
CLOSING = frozenset("，。、；：？！")


def _flat(text: str) -> str:
    """``text`` with its line breaks (and runs of spaces) undone."""
    return _joined(text.split())


def _width(monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", str(width))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [60, 80])
def test_match_wraps_its_prose_within_the_width_keeping_every_word(
        monkeypatch: pytest.MonkeyPatch, lang: str, width: int) -> None:
    _width(monkeypatch, width)
    out = CliRunner().invoke(cli, ["match", "management", MGMT, "--lang", lang, "--catalog",
                                   "examples/catalogue/offers.yaml"]).output
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    assert not [line for line in lines if line.lstrip()[:1] in CLOSING]
    # every service's reasons, word for word as the library gives them, and its status
    # in the asked language (推导 / derived: the catalog's word for a derived figure)
    fw = default_host().load_framework("management", "zjtx")
    needs = fw.assess(load_answers(ROOT / MGMT)).matched_services(fw)
    assert needs and all(_flat(need.why(3).get(lang)) in _flat(out) for need in needs)
    assert ("(推导)" in out and "derived" not in out) if lang == "zh" else "(derived)" in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_show_wraps_each_node_under_its_id(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    _width(monkeypatch, 60)
    out = CliRunner().invoke(cli, ["show", "digital", "--lang", lang]).output
    assert max(cell_len(line) for line in out.splitlines()) <= 60
    fw = default_host().load_framework("digital")
    flat = _flat(out)
    for nid, node in fw.nodes.items():
        title = (node.dimension or node.indicator).title.get(lang)  # type: ignore[union-attr]
        assert _flat(f"{nid} {title}") in flat  # the id whole, its title after it
    first = next(line for line in out.splitlines() if line.lstrip().startswith("operations "))
    # its continuation lines start deeper than its children's ids (4 columns)
    following = out.splitlines()[out.splitlines().index(first) + 1]
    assert following.startswith("    ") and not following.startswith("  operations.")


def test_rich_text_never_starts_a_line_with_closing_punctuation() -> None:
    text = _rendered("management", MGMT, "zh", width=60)
    lines = Text.from_ansi(text).plain.splitlines()
    assert max(cell_len(line) for line in lines) <= 60
    assert not [line for line in lines if line.lstrip()[:1] in CLOSING]


@pytest.mark.parametrize("width", [60, 80])
def test_plain_result_fits_the_width_its_names_cut_to_make_room(width: int) -> None:
    host = default_host()
    ans = load_answers(ROOT / "plugins/tiered/examples/zjtx-01-score-route.yaml")
    fw = host.load_framework("zjtx", ans.profile)
    text = result_text(fw, fw.assess(ans), "en", width=width)
    assert max(cell_len(line) for line in text.splitlines()) <= width
    # "Certification conditions" is 24 columns: whole at 80; at 60 a name gets 60 less a
    # 10-column bar and 28 for the figures: 22
    assert ("  Certification conditions " in text) == (width == 80)


@pytest.mark.parametrize(("lang", "status", "legend"), [("zh", "推导", "不计分"),
                                                        ("en", "derived", "not scored")])
def test_the_level_has_its_status_and_the_star_its_meaning(monkeypatch: pytest.MonkeyPatch,
                                                            lang: str, status: str,
                                                            legend: str) -> None:
    monkeypatch.chdir(ROOT)
    out = CliRunner().invoke(cli, ["assess", "management", MGMT, "--lang", lang]).output
    assert out.split("\n\n")[1].endswith(f" ({status})")  # the total's line: the level's status
    if lang == "zh":
        assert "derived" not in out
    # zjtx's condition dimensions carry no points: starred, and the star explained
    out = CliRunner().invoke(cli, ["assess", "zjtx", "plugins/tiered/examples/"
                                   "zjtx-01-score-route.yaml", "--lang", lang]).output
    assert "(0.00/2.00) *" in out and f"\n  * {legend}\n" in out


def test_assess_all_names_the_size_and_statuses_in_chinese_within_80_columns(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("COLUMNS", raising=False)
    out = CliRunner().invoke(cli, ["assess-all", "plugins/tiered/examples/chain/"
                                   "stops-at-zjtx.yaml", "--lang", "zh"]).output
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    # the firm is declared medium: the core's name for that size; zjtx's level is official
    assert out.startswith("企业: 常州恒力传动有限公司 (中型企业)")
    assert "(官方)" in out and "official" not in out and "medium" not in out


def test_a_narrow_terminal_halves_the_bars_so_names_keep_room() -> None:
    # iso9001's "Baseline survey" (15 columns) has room whole at 60 columns once the bars
    # take 10 rather than 20: 60 - 10 (bar) - 6 (score) - 15 (points) - 6 (gaps) = 23
    text = Text.from_ansi(_rendered("iso9001", "plugins/iso9001/examples/02_running_four_months"
                                    ".yaml", "en", width=60)).plain
    row = next(line for line in text.splitlines() if line.startswith("Baseline survey"))
    assert row.count("█") + row.count("░") == 10 and "…" not in row


def test_a_line_break_in_a_text_starts_a_line_under_its_bullet() -> None:
    from smesdk.cli.render import wrap

    # a recommendation written over two lines (a YAML block): the second starts under the
    # text after "  - ", not at the left edge, and each part wraps within the width
    lines = wrap("  - Keep the records.\nReview them every quarter with the auditors and "
                 "the head of quality.", 40)
    assert lines[0] == "  - Keep the records."
    assert all(line.startswith("    ") and cell_len(line) <= 40 for line in lines[1:])
    assert " ".join(" ".join(lines).split()) == ("- Keep the records. Review them every "
                                                 "quarter with the auditors and the head of "
                                                 "quality.")
