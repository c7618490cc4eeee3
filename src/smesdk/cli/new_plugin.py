"""``smesdk new-plugin NAME``: a framework plugin package that installs and passes its tests."""

from __future__ import annotations

import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import click

from smesdk import __version__

NAME = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
MODULE_DIR = "__module__"
TEMPLATE_SUFFIX = ".tmpl"


def check_name(name: str) -> str:
    """The framework id a plugin NAME gives, or a UsageError saying what a valid name is."""
    if len(name) > 40 or not NAME.match(name):
        raise click.BadParameter(
            f"{name!r} is not a valid plugin name: use lower-case letters and digits, "
            "separated by single '-' or '_', starting with a letter (e.g. 'zj-innovation')",
            param_hint="NAME")
    return name


def _names(name: str) -> dict[str, str]:
    bare = name.removeprefix("smesdk-").removeprefix("smesdk_") or name
    module = "smesdk_" + bare.replace("-", "_")
    release = re.match(r"\d+\.\d+", __version__)
    return {"name": bare, "fid": bare, "module": module, "dist": "smesdk-" + bare.replace("_", "-"),
            "smesdk_version": release.group(0) if release else "0.1"}


def _fill(text: str, names: dict[str, str]) -> str:
    for key, value in names.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def _walk(node: Traversable, rel: Path) -> list[tuple[Path, Traversable]]:
    out = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.name == "__pycache__":
            continue
        if child.is_dir():
            out += _walk(child, rel / child.name)
        else:
            out.append((rel / child.name, child))
    return out


def render_plugin(name: str, target: Path) -> list[Path]:
    """Write the plugin package for ``name`` into ``target`` (which must be empty or new)."""
    names = _names(check_name(name))
    if target.exists() and any(target.iterdir()):
        raise click.UsageError(f"{target} exists and is not empty; choose another -o DIR")
    written = []
    root = resources.files("smesdk.templates") / "plugin"
    for rel, source in _walk(root, Path()):
        parts = [names["module"] if p == MODULE_DIR else p for p in rel.parts]
        path = target.joinpath(*parts)
        if path.name == "framework.yaml":
            path = path.with_name(f"{names['fid']}.yaml")
        path = path.with_name(path.name.removesuffix(TEMPLATE_SUFFIX))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_fill(source.read_text(encoding="utf-8"), names), encoding="utf-8")
        written.append(path)
    return written


@click.command("new-plugin")
@click.argument("name")
@click.option("--output", "-o", "output", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder to create (default: ./smesdk-NAME).")
def new_plugin(name: str, output: Path | None) -> None:
    """Create a framework plugin package: pyproject, framework YAML, example, tests, README."""
    names = _names(check_name(name))
    target = output or Path(names["dist"])
    written = render_plugin(name, target)
    click.echo(f"created {names['dist']} in {target} ({len(written)} files); next:")
    click.echo(f"  cd {target} && pip install -e '.[testing]' && python -m pytest")
    click.echo("  (in this environment smesdk is installed already; in a fresh one, install "
               "smesdk from its clone or a wheelhouse in the same pip run: it is not on PyPI)")
