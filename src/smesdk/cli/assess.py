"""Commands that read answers: validate and assess."""

from __future__ import annotations

from pathlib import Path

import click

from smesdk import default_host
from smesdk.answer_checks import consistency_problems, require_consistent
from smesdk.answers import AnswerSet
from smesdk.cli.options import framework_lang, json_option, lang_option, profile_option
from smesdk.cli.progress import progress
from smesdk.cli.render import result_text, screen_width
from smesdk.cli.table import print_result, use_rich
from smesdk.convert import read_file
from smesdk.errors import AnswerError, SmesdkError, SpecError
from smesdk.facts import disagreements
from smesdk.framework import Framework
from smesdk.loading import answers_from_data, document_kind, load_answers, spec_from_data
from smesdk.questionnaire import is_questionnaire
from smesdk.text import Lang

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def load_framework_and_answers(framework: str, answers: Path, profile: str | None = None,
                               lang: Lang | None = None) -> tuple[Framework, AnswerSet]:
    """The framework (with ``profile``, else the one the answers were made for) and the answers.

    One loader for every command that reads answers: an answer file (YAML/JSON/TOML) or an
    Excel questionnaire (.xlsx), which is read against the framework it was written for.
    """
    host = default_host()
    if is_questionnaire(answers):
        from smesdk.questionnaire import form_info, read_questionnaire

        info = form_info(answers)
        # The form's profile is its own framework's: another framework may not have it, and
        # the reader then says whose form this is.
        own = info.profile if info.framework == framework else None
        fw = host.load_framework(framework, profile if profile is not None else own)
        with progress(len(fw.children[""]) + 1, "reading questionnaire") as advance:
            return fw, read_questionnaire(answers, fw, lang=framework_lang(fw, lang),
                                          progress=advance)
    answer_set = load_answers(answers)
    return framework_for(framework, answer_set, profile, str(answers)), answer_set


def framework_for(framework: str, answers: AnswerSet, profile: str | None = None,
                  file: str | None = None) -> Framework:
    """The framework to score ``answers`` with (``profile``, else the one they were made for),
    after checking they do not contradict it (problems name ``file``)."""
    fw = default_host().load_framework(framework, profile or answers.profile)
    require_consistent(fw, answers, file)
    return fw


@click.command()
@click.argument("file", type=_FILE)
@click.option("--framework", "-f", default=None,
              help="Framework to check an answer set against (default: its `framework` field).")
@profile_option
def validate(file: Path, framework: str | None, profile: str | None) -> None:
    """Check a framework spec or an answer set, listing every problem with its path."""
    host = default_host()
    if is_questionnaire(file):
        from smesdk.questionnaire import form_info

        fw, answers = load_framework_and_answers(framework or form_info(file).framework, file, profile)
        click.echo(f"ok: {len(answers.answers)} answers for {answers.enterprise.name} fit "
                   f"{fw.id} {fw.version}")
        return
    data, fmt = read_file(file)
    kind = document_kind(data)
    if kind == "framework":
        spec = spec_from_data(data, fmt, file=str(file))
        fw = Framework.from_spec(spec, registry=host.registry, profile=profile, file=str(file))
        clashes = disagreements(fw, (host.load_framework(f) for f in host.framework_ids()))
        if clashes:
            raise SpecError([type(p)(p.path, p.message, str(file)) for p in clashes],
                            title=f"{fw.id} cannot share these facts with the installed "
                                  "frameworks:")
        click.echo(f"ok: framework {fw.id} {fw.version}, {len(fw.indicator_ids)} indicators, "
                   f"{len(fw.profiles)} profiles")
        return
    if kind != "answers":
        raise SmesdkError([f"{file}: neither a framework spec (no 'dimensions') nor an answer set "
                           "(no 'enterprise')"])
    answers = answers_from_data(data, fmt, file=str(file))
    name = framework or answers.framework
    if name is None:
        click.echo(f"ok: answer set for {answers.enterprise.name} (structure only; give "
                   "--framework to check the answers against a framework)")
        return
    fw = host.load_framework(name, profile or answers.profile)
    problems = fw.validate_answers(answers) + consistency_problems(fw, answers)
    if problems:
        raise AnswerError([p if p.file else type(p)(p.path, p.message, str(file))
                           for p in problems])
    click.echo(f"ok: {len(answers.answers) + len(answers.facts)} answers fit {fw.id} {fw.version}")


@click.command()
@click.argument("framework")
@click.argument("answers", type=_FILE)
@profile_option
@json_option
@click.option("--explain", "explain_id", default=None, metavar="ID",
              help="Print the trace of one dimension or indicator ('all' for everything).")
@lang_option
def assess(framework: str, answers: Path, profile: str | None, as_json: bool,
           explain_id: str | None, lang: str | None) -> None:
    """Score an answer set (YAML/JSON/TOML, or a filled-in .xlsx questionnaire)."""
    fw, answer_set = load_framework_and_answers(framework, answers, profile, lang)
    lang = framework_lang(fw, lang)
    try:
        result = fw.assess(answer_set)
    except AnswerError as exc:
        raise AnswerError([p if p.file else type(p)(p.path, p.message, str(answers))
                           for p in exc.problems], title=exc.title) from None
    if as_json:
        click.echo(result.to_json(), nl=False)
        return
    if explain_id is not None:
        try:
            click.echo(result.explain(None if explain_id == "all" else explain_id, lang))
        except KeyError as exc:
            raise SpecError([str(exc.args[0])]) from None
        return
    if use_rich():
        print_result(fw, result, lang)
        return
    click.echo(result_text(fw, result, lang, width=screen_width()))
