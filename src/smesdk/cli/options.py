"""Option decorators shared by commands."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from smesdk.answers import AnswerSet
    from smesdk.framework import Framework
    from smesdk.result import Result
    from smesdk.text import Locale

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
        "--lang", default=None, metavar="TAG",
        help="Language of the output: any language the framework declares (zh and en for the "
             "official ones); texts lacking it follow the framework's fallback chain. Default: "
             "from the locale when the framework declares it, else English, else its first.",
    )(func)


def framework_lang(fw: Framework, lang: str | None) -> Locale:
    """``--lang`` for output about one framework: refused unless the framework declares it."""
    from smesdk.languages import user_locale

    return user_locale(fw.spec, lang)


def output_lang(lang: str | None) -> Locale:
    """``--lang`` for output not tied to one framework: any tag, falling back to English."""
    from smesdk.text import Locale

    return Locale(lang or default_lang(), ("en",))


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True,
                        help="Print JSON (the documented, stable shape).")(func)


def profile_option(func: F) -> F:
    return click.option("--profile", "-p", default=None,
                        help="Framework profile (overlay) to apply.")(func)


def score_file(fw: Framework, path: Path) -> Result:
    """Load an answer file or Excel questionnaire and score it with ``fw``; problems name the
    file."""
    from smesdk.answer_checks import require_consistent
    from smesdk.errors import AnswerError
    from smesdk.loading import load_answers
    from smesdk.questionnaire import is_questionnaire, read_questionnaire

    try:
        answers = read_questionnaire(path, fw) if is_questionnaire(path) else load_answers(path)
        require_consistent(fw, answers)
        return fw.assess(answers)
    except AnswerError as exc:
        raise AnswerError([p if p.file else type(p)(p.path, p.message, str(path))
                           for p in exc.problems], title=exc.title) from None


def assess_file(framework: str, path: Path, profile: str | None) -> tuple[Framework, Result]:
    """The framework (with ``profile``, else the answers' own) and the scored answers, read by
    the same loader as ``smesdk assess`` (answer files and Excel questionnaires)."""
    from smesdk.cli.assess import load_framework_and_answers

    fw, answers = load_framework_and_answers(framework, path, profile)
    return fw, assess_loaded(fw, answers, path)


def assess_loaded(fw: Framework, answers: AnswerSet, path: Path) -> Result:
    """``fw.assess(answers)``, its problems naming the file the answers came from."""
    from smesdk.errors import AnswerError

    try:
        return fw.assess(answers)
    except AnswerError as exc:
        raise AnswerError([p if p.file else type(p)(p.path, p.message, str(path))
                           for p in exc.problems], title=exc.title) from None
