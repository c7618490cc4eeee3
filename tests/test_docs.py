"""The documentation keeps its promises: examples run, generated pages are current.

* Every ```python block of README.md and docs/**/*.md runs: one fresh namespace per page, the
  page's blocks in order, working directory the repository root (a mirror made of symlinks,
  so a file an example writes does not land in the checkout). A block preceded by the line
  ``<!-- docs-test: skip -->`` is not run; use it only for code that cannot run here (say why
  next to it). A block preceded by ``<!-- excerpt: PATH -->`` is a fragment of a checked-in
  file: instead of running it, the test checks its lines are in that file (which has its own
  tests).
* Every ```console block's ``$ smesdk ...`` commands run through click's CliRunner; the lines
  shown after a command must appear in its output in that order (a ``...`` line stands for
  any lines), and the command must exit 0, or N when the command ends in ``# exit N``.
  ```sh blocks are shell instructions (installs, tox) and are not run.
* docs/cli.md, docs/frameworks/*.md and the field tables of docs/schemas.md equal what
  ``smesdk docs --all docs`` writes.

The page list is a glob, so pages other branches add are covered without changing this file.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from smesdk.cli import cli
from smesdk.docs import cli_reference, framework_page
from smesdk.docs.generate import documented_frameworks
from smesdk.docs.schema_tables import missing_meanings, update_schema_tables
from smesdk.host import PluginHost

ROOT = Path(__file__).parents[1]
SKIP = "<!-- docs-test: skip -->"
_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", re.S | re.M)


def _pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def _blocks(text: str, lang: str) -> list[tuple[int, str, bool]]:
    """(line number, code, skipped) of each fenced block in ``lang``."""
    out = []
    for match in _FENCE.finditer(text):
        if match.group(1) != lang:
            continue
        before = text[:match.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
        skipped = before == SKIP or before.startswith("<!-- excerpt:")
        out.append((text.count("\n", 0, match.start()) + 2, match.group(2), skipped))
    return out


def _ids(pages: list[Path]) -> list[str]:
    return [p.relative_to(ROOT).as_posix() for p in pages]


PY_PAGES = [p for p in _pages() if _blocks(p.read_text(encoding="utf-8"), "python")]
CONSOLE_PAGES = [p for p in _pages() if _blocks(p.read_text(encoding="utf-8"), "console")]


@pytest.fixture
def repo_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory that looks like the repository root (its entries are symlinks),
    so examples read the repository's files but a file an example writes at the top level
    lands in a temporary folder, not in the checkout."""
    for entry in ROOT.iterdir():
        if entry.name not in (".git", ".tox"):
            (tmp_path / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("page", PY_PAGES, ids=_ids(PY_PAGES))
def test_python_examples_run(page: Path, repo_cwd: Path) -> None:
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for line, code, skipped in _blocks(page.read_text(encoding="utf-8"), "python"):
        if skipped:
            continue
        name = f"{page.relative_to(ROOT)}:{line}"
        exec(compile(code, name, "exec"), namespace)


def console_problems(text: str, name: str = "page") -> list[str]:
    """Commands of the page's console blocks whose exit code or output differ from the page."""
    problems = []
    for line, block, skipped in _blocks(text, "console"):
        if skipped:
            continue
        commands: list[tuple[str, list[str]]] = []
        for row in block.splitlines():
            if row.startswith("$ "):
                commands.append((row[2:], []))
            elif commands:
                commands[-1][1].append(row.rstrip())
        for command, expected in commands:
            where = f"{name}:{line}: {command}"
            code, _, exit_note = command.partition("# exit ")
            args = shlex.split(code)
            if not args or args[0] != "smesdk":
                problems.append(f"{where}: console blocks may only run smesdk (use ```sh)")
                continue
            run = CliRunner().invoke(cli, args[1:], prog_name="smesdk")
            want = int(exit_note) if exit_note.strip() else 0
            if run.exit_code != want:
                problems.append(f"{where}: exit {run.exit_code}, the page says {want}\n{run.output}")
            got = [r.rstrip() for r in run.output.splitlines()]
            at = 0
            for exp in expected:
                if exp.strip() in ("...", "…", ""):
                    continue
                while at < len(got) and got[at] != exp:
                    at += 1
                if at == len(got):
                    problems.append(f"{where}: output lacks (in order) {exp!r}\n{run.output}")
                    break
                at += 1
    return problems


@pytest.mark.parametrize("page", CONSOLE_PAGES, ids=_ids(CONSOLE_PAGES))
def test_console_examples_match(page: Path, repo_cwd: Path) -> None:
    problems = console_problems(page.read_text(encoding="utf-8"), str(page.relative_to(ROOT)))
    assert not problems, "\n".join(problems)


def test_console_checker_catches_wrong_output_and_exit_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    good = ("```console\n$ smesdk frameworks --lang en\n...\nexample 1.0.0  SME management basics "
            "self-check (example)\n    9 indicators · plugin example · --profile: quick, innovative\n"
            "```\n")
    assert console_problems(good) == []
    wrong_text = good.replace("    9 indicators", "    10 indicators")
    assert any("output lacks" in p for p in console_problems(wrong_text))
    wrong_exit = "```console\n$ smesdk assess example no-such-file.yaml\n```\n"
    assert any("exit 2" in p for p in console_problems(wrong_exit))
    assert console_problems(wrong_exit.replace(".yaml\n", ".yaml  # exit 2\n")) == []
    not_smesdk = "```console\n$ rm -rf build\n```\n"
    assert any("only run smesdk" in p for p in console_problems(not_smesdk))


def test_python_runner_reports_the_failing_page_and_line() -> None:
    text = "x\n\n```python\nvalue = 1\n```\n\n```python\nassert value == 2\n```\n"
    blocks = _blocks(text, "python")
    assert [b[0] for b in blocks] == [4, 8]
    namespace: dict[str, object] = {}
    exec(compile(blocks[0][1], "p:4", "exec"), namespace)
    with pytest.raises(AssertionError) as info:
        exec(compile(blocks[1][1], "p:8", "exec"), namespace)
    assert info.traceback[-1].frame.code.path == "p:8"
    skipped = _blocks(f"{SKIP}\n```python\nraise SystemExit\n```\n", "python")
    assert skipped[0][2] is True


def test_cli_reference_is_current() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert page == cli_reference(), "docs/cli.md is stale: run `smesdk docs --cli -o docs/cli.md`"


def test_every_framework_has_a_current_reference_page() -> None:
    host = PluginHost()
    folder = ROOT / "docs" / "frameworks"
    pages = {p.stem for p in folder.glob("*.md") if p.stem != "index"}
    assert pages == set(documented_frameworks(host)), \
        "docs/frameworks/ does not match the installed frameworks: run `smesdk docs --all docs`"
    for fid in sorted(pages):
        want = framework_page(host.load_framework(fid), "en")
        assert (folder / f"{fid}.md").read_text(encoding="utf-8") == want, \
            f"docs/frameworks/{fid}.md is stale: run `smesdk docs --all docs`"


def test_schema_field_tables_are_current_and_every_field_is_explained() -> None:
    page = (ROOT / "docs" / "schemas.md").read_text(encoding="utf-8")
    assert page.count("<!-- schema-tables:") == 3
    assert update_schema_tables(page) == page, \
        "docs/schemas.md field tables are stale: run `smesdk docs --all docs`"
    assert missing_meanings(page) == []


def test_schema_tables_flag_a_new_field_until_it_is_explained() -> None:
    page = (ROOT / "docs" / "schemas.md").read_text(encoding="utf-8")
    broken = re.sub(r"^\| `weight` \|.*$\n", "", page, count=1, flags=re.M)  # lose one row
    assert broken != page
    regenerated = update_schema_tables(broken)
    assert regenerated != broken                       # the stale check fires
    assert missing_meanings(regenerated)               # and the row comes back as TODO


EXCERPT = re.compile(r"^<!-- excerpt: (\S+) -->\n```\w*\n(.*?)^```", re.S | re.M)


def excerpt_problems(text: str) -> list[str]:
    """Blocks marked ``<!-- excerpt: PATH -->`` must be runs of lines of that file (indentation
    aside); a line ``# ...`` inside the block separates runs that may be apart in the file."""
    problems = []
    for match in EXCERPT.finditer(text):
        path = ROOT / match.group(1)
        if not path.is_file():
            problems.append(f"{match.group(1)}: no such file")
            continue
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        at = 0
        for chunk in re.split(r"^\s*# \.\.\.\s*$", match.group(2), flags=re.M):
            want = [line.strip() for line in chunk.strip("\n").splitlines()]
            if not want:
                continue
            found = next((i for i in range(at, len(lines) - len(want) + 1)
                          if lines[i:i + len(want)] == want), None)
            if found is None:
                problems.append(f"{match.group(1)}: the page shows lines the file lacks:\n"
                                + "\n".join(want[:3]))
                break
            at = found + len(want)
    return problems


def test_excerpts_match_their_files() -> None:
    problems = [p for page in _pages() for p in excerpt_problems(page.read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)
    assert excerpt_problems("<!-- excerpt: README.md -->\n```text\n# smesdk\n```\n") == []
    assert excerpt_problems("<!-- excerpt: README.md -->\n```text\n# not smesdk at all\n```\n")
