"""The ``smesdk`` command line: a thin layer over the library.

Library errors (SmesdkError) become one-line-per-problem messages and exit code 1, as do
operating-system errors on the files and folders named (missing, read-only, full); misuse of
the command line exits 2 (click's usage errors); anything unexpected keeps its traceback.
"""

from __future__ import annotations

from typing import Any

import click

from smesdk import __version__, default_host
from smesdk.cli.assess import assess, validate
from smesdk.cli.assess_all import assess_all_command
from smesdk.cli.batch import batch, stats
from smesdk.cli.catalog import frameworks, plugins, show
from smesdk.cli.diff import diff
from smesdk.cli.docs import docs
from smesdk.cli.match import match
from smesdk.cli.new_plugin import new_plugin
from smesdk.cli.plan import plan
from smesdk.cli.questionnaire import questionnaire
from smesdk.cli.report import report
from smesdk.cli.serve import serve
from smesdk.cli.store import export, history, import_, record
from smesdk.cli.versions import framework_diff, migrate
from smesdk.errors import SmesdkError


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SmesdkError as exc:
            raise click.ClickException(exc.render()) from None
        except OSError as exc:  # a missing, read-only or full folder named on the command line
            where = f" @ {exc.filename}" if exc.filename else ""
            raise click.ClickException(f"cannot write or read: {exc.strerror or exc}{where}"
                                       ) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="smesdk")
def cli() -> None:
    """Score SMEs against China's official management, digital, quality and QMS frameworks."""


for command in (plugins, frameworks, show, validate, assess, assess_all_command, questionnaire,
                report, batch, stats, docs, new_plugin, record, history, export, import_, diff,
                framework_diff, migrate, plan, match, serve):
    cli.add_command(command)


def main() -> None:
    """Console entry point: add plugin commands, then run."""
    default_host().add_commands(cli)
    cli(prog_name="smesdk")
