"""Running the ``smesdk`` command in tests, with every installed plugin's commands."""

from __future__ import annotations


def invoke(*args: str, input: str | None = None) -> tuple[int, str]:
    """Run ``smesdk ARGS...`` in-process; return (exit code, output).

    Plugin commands (the ``smesdk_register_commands`` hook) are added first, as the console
    entry point does, so a plugin's own commands can be tested the same way.
    """
    from click.testing import CliRunner

    from smesdk import default_host
    from smesdk.cli import cli

    default_host().add_commands(cli)
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.output
