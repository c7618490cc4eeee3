"""Commands that describe what is installed: plugins, frameworks, show."""

from __future__ import annotations

import json
from typing import Any

import click

from smesdk import default_host
from smesdk.cli.options import framework_lang, json_option, lang_option, output_lang, profile_option
from smesdk.cli.render import framework_document, framework_summary, show_tree
from smesdk.text import Text


def _dump(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.command()
@json_option
def plugins(as_json: bool) -> None:
    """List installed plugins, their hooks, frameworks and failures."""
    info = default_host().plugins_info()
    if as_json:
        _dump(info)
        return
    if not info:
        click.echo("no plugins installed")
    for item in info:
        version = f" {item['version']}" if item["version"] else ""
        line = f"{item['name']}{version} [{item['status']}]"
        if item["frameworks"]:
            line += f" frameworks: {', '.join(item['frameworks'])}"
        click.echo(line)
        for error in item["errors"]:
            click.echo(f"  error: {error}")


@click.command()
@json_option
@lang_option
def frameworks(as_json: bool, lang: str | None) -> None:
    """List the frameworks installed plugins provide."""
    host = default_host()
    rows = [framework_summary(fid, *host.catalog()[fid][:2]) for fid in host.framework_ids()]
    if as_json:
        _dump(rows)
        return
    lang = output_lang(lang)
    if not rows:
        click.echo("no frameworks installed")
    for row in rows:
        click.echo(f"{row['id']} {row['version']}  {Text(row['title']).get(lang)}  "
                   f"({row['indicators']} indicators; profiles: "
                   f"{', '.join(row['profiles']) or '-'}) [{row['plugin']}]")


@click.command()
@click.argument("framework")
@profile_option
@json_option
@lang_option
def show(framework: str, profile: str | None, as_json: bool, lang: str | None) -> None:
    """Show a framework's tree of dimensions and indicators with their citations."""
    fw = default_host().load_framework(framework, profile)
    if as_json:
        _dump(framework_document(fw))
        return
    click.echo(show_tree(fw, framework_lang(fw, lang)))
