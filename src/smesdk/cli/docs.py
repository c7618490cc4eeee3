"""``smesdk docs``: reference pages of frameworks and of the command line, as Markdown."""

from __future__ import annotations

from pathlib import Path

import click

from smesdk import default_host
from smesdk.cli.options import framework_lang, lang_option
from smesdk.docs import cli_reference, framework_page
from smesdk.docs.generate import write_all


@click.command("docs")
@click.argument("framework", required=False)
@lang_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the page to this file instead of printing it.")
@click.option("--cli", "cli_page", is_flag=True, help="The command-line reference instead of a framework.")
@click.option("--all", "all_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Rewrite every generated page (CLI, frameworks, schema tables) under this "
                   "docs folder.")
def docs(framework: str | None, lang: str | None, output: Path | None, cli_page: bool,
         all_dir: Path | None) -> None:
    """Generate a framework's reference page (dimensions, indicators, levels, profiles)."""
    if all_dir is not None:
        for path in write_all(all_dir, default_host()):
            click.echo(f"wrote {path}")
        return
    if cli_page == (framework is not None):
        raise click.UsageError("give either a FRAMEWORK id or --cli (or --all DIR)")
    if cli_page:
        text = cli_reference()
    else:
        assert framework is not None
        fw = default_host().load_framework(framework)
        text = framework_page(fw, framework_lang(fw, lang))
    if output is None:
        click.echo(text, nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    click.echo(f"wrote {output}")
