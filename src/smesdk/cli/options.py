"""Option decorators shared by commands."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def default_lang() -> str:
    """zh when the locale says Chinese, otherwise en."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def lang_option(func: F) -> F:
    return click.option(
        "--lang", type=click.Choice(["zh", "en"]), default=default_lang,
        show_default="from the locale", help="Language of the output.",
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True,
                        help="Print JSON (the documented, stable shape).")(func)


def profile_option(func: F) -> F:
    return click.option("--profile", "-p", default=None,
                        help="Framework profile (overlay) to apply.")(func)
