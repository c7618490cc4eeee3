"""Commands that describe what is installed: plugins, frameworks, show."""

from __future__ import annotations

import json
from typing import Any

import click

from smesdk import default_host
from smesdk.cli.options import framework_lang, json_option, lang_option, output_lang, profile_option
from smesdk.cli.render import (
    framework_document,
    framework_summary,
    screen_width,
    show_tree,
    wrap,
)
from smesdk.text import Labels, Text

label = Labels({
    "no_frameworks": ("未安装任何评价体系", "no frameworks installed"),
    "about": ("{n}项指标 · 插件 {plugin}", "{n} indicators · plugin {plugin}"),
})


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
        click.echo(label("no_frameworks", lang))
    width = screen_width()
    for row in rows:
        click.echo("\n".join([
            *wrap(f"{row['id']} {row['version']}  {Text(row['title']).get(lang)}", width,
                  lead=len(f"{row['id']} {row['version']}  "), hang=4),
            *wrap(f"    {label('about', lang, n=row['indicators'], plugin=row['plugin'])} · "
                  f"--profile: {', '.join(row['profiles']) or '—'}", width)]))


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
    click.echo(show_tree(fw, framework_lang(fw, lang), screen_width()))
