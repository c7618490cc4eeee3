"""Commands of the assessment store: record, history, export, import (needs smesdk[store])."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from smesdk.cli.options import framework_lang, json_option, lang_option, output_lang, profile_option
from smesdk.cli.render import label as terminal_label
from smesdk.cli.render import screen_width, wrapped
from smesdk.errors import SmesdkError
from smesdk.numbers import fmt
from smesdk.report.content import profile_title
from smesdk.text import Labels

if TYPE_CHECKING:
    from smesdk.store import Store

F = TypeVar("F", bound=Callable[..., Any])
_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
label = Labels({"recorded": ("已保存 {uid}", "recorded {uid}")})


def store_option(func: F) -> F:
    return click.option(
        "--store", "store_target", default=None, metavar="URL|FILE",
        help="The store: a postgresql:// URL or a SQLite file "
             "(default: $SMESDK_STORE, else smesdk-store.sqlite here).")(func)


def open_cli_store(target: str | None) -> Store:
    try:
        from smesdk.store import open_store
    except ModuleNotFoundError as exc:
        raise SmesdkError([f"the store needs {exc.name}: pip install 'smesdk[store]'"]) from None
    return open_store(target)


@click.command()
@click.argument("framework")
@click.argument("answers", type=_FILE)
@profile_option
@store_option
@json_option
@lang_option
def record(framework: str, answers: Path, profile: str | None, store_target: str | None,
           as_json: bool, lang: str | None) -> None:
    """Assess an answer set and save answers, result and framework spec in the store."""
    from smesdk.cli.assess import load_framework_and_answers
    from smesdk.errors import AnswerError

    fw, answer_set = load_framework_and_answers(framework, answers, profile)
    try:
        result = fw.assess(answer_set)
    except AnswerError as exc:
        raise AnswerError([p if p.file else type(p)(p.path, p.message, str(answers))
                           for p in exc.problems], title=exc.title) from None
    saved = open_cli_store(store_target).record(fw, answer_set, result=result, source=answers.name)
    if as_json:
        click.echo(json.dumps({"uid": saved.uid, "recorded_at": saved.recorded_at},
                              ensure_ascii=False))
        return
    lang = framework_lang(fw, lang)
    level = result.level.title.get(lang) if result.level else "—"
    click.echo("\n".join(wrapped([
        f"{label('recorded', lang, uid=saved.uid[:12])}: {answer_set.enterprise.name}, "
        f"{fw.spec.title.get(lang)} {fw.version}, {result.assessed_on}, "
        f"{terminal_label('total', lang)} {fmt(result.total, 2)}, {level}"], screen_width())))


@click.command()
@click.argument("enterprise")
@click.option("--framework", "-f", default=None, help="Only assessments against this framework.")
@store_option
@json_option
@lang_option
def history(enterprise: str, framework: str | None, store_target: str | None, as_json: bool,
            lang: str | None) -> None:
    """List an enterprise's stored assessments (by credit code or name), oldest first."""
    store = open_cli_store(store_target)
    entries = store.history(enterprise, framework)
    if as_json:
        from smesdk.convert import dumps_json

        click.echo(dumps_json(entries), nl=False)
        return
    if not entries:
        raise SmesdkError([f"store: no assessment of {enterprise!r}"
                           + (f" against {framework!r}" if framework else "")])
    lang = output_lang(lang)
    lines = [entries[0].enterprise]
    titles: dict[str, str] = {}
    for entry in entries:
        if entry.content_hash not in titles:
            fw = store.framework(entry.content_hash)  # the snapshot: its profile by name
            profile = f" ({profile_title(fw).get(lang)})" if fw.profile else ""
            titles[entry.content_hash] = f"{fw.spec.title.get(lang)} {entry.version}{profile}"
        result = store.assessment(entry.uid).result
        level = result.level.title.get(lang) if result.level else "—"
        # the figures on a line of their own, the framework (often long) under them
        lines += [f"  {entry.assessed_on}  {terminal_label('total', lang)} "
                  f"{fmt(result.total, 2)}  {level}  [{entry.uid[:12]}]",
                  f"    {titles[entry.content_hash]}"]
    click.echo("\n".join(wrapped(lines, screen_width())))


@click.command(name="export")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
@store_option
def export(output: Path | None, store_target: str | None) -> None:
    """Write the whole store as JSON Lines: spec snapshots, then assessments."""
    store = open_cli_store(store_target)
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for line in store.export_lines():
            out.write(line + "\n")
    finally:
        if output:
            out.close()


@click.command(name="import")
@click.argument("file", type=_FILE)
@store_option
def import_(file: Path, store_target: str | None) -> None:
    """Read a JSON Lines export into the store, all or nothing; known assessments are skipped."""
    store = open_cli_store(store_target)
    with file.open(encoding="utf-8") as lines:
        added, skipped = store.import_lines(lines, file=str(file))
    click.echo(f"imported {added} assessments ({skipped} already in the store)")

