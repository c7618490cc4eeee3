"""Command-line tools: the annex-2 statistics table and the annex-1 case draft."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from smesdk_iso9001.documents import assess_folder, case_draft, render_statistics, statistics_table


@click.command("iso9001-stats")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def stats_command(folder: Path, as_json: bool, lang: str) -> None:
    """Annex 2 statistics table (附2 附表) over every iso9001 answer set in FOLDER."""
    results, skipped = assess_folder(folder)
    table = statistics_table(results)
    if as_json:
        table["skipped"] = [{"file": f, "reason": r} for f, r in skipped]
        click.echo(json.dumps(table, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        click.echo(render_statistics(table, lang), nl=False)
        for name, reason in skipped:
            click.echo(f"skipped {name}: {reason.splitlines()[0]}", err=True)
    if skipped and not results:
        sys.exit(1)


@click.command("iso9001-case")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--profile", default=None, help="Profile (default: the answer set's own).")
@click.option("--json", "as_json", is_flag=True, help="Print the draft as JSON.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def case_command(file: Path, profile: str | None, as_json: bool, lang: str) -> None:
    """Annex 1 good-practice case draft (附1) for the answer set FILE."""
    from smesdk import load_answers, load_framework

    # A SmesdkError goes up to smesdk's command group, which prints it as every command's bad
    # input is printed ("Error: ..." with the place, exit 1).
    answers = load_answers(file)
    fw = load_framework("iso9001", profile=profile or answers.profile)
    result = fw.assess(answers)
    draft = case_draft(fw, result, lang)
    if as_json:
        click.echo(json.dumps(draft, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        click.echo(draft["markdown"], nl=False)
