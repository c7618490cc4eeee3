"""`smesdk questionnaire`: write an Excel form an enterprise fills in."""

from __future__ import annotations

from pathlib import Path

import click

from smesdk import default_host
from smesdk.cli.options import framework_lang, lang_option, profile_option
from smesdk.errors import AnswerError, Problem
from smesdk.loading import load_answers


@click.command()
@click.argument("framework", required=False)
@click.option("--all", "all_frameworks", is_flag=True,
              help="One form for every installed framework, each shared fact asked once.")
@click.option("--frameworks", "-F", default=None, metavar="A,B,…",
              help="One form for these frameworks (ID or ID:PROFILE), each shared fact asked once.")
@profile_option
@lang_option
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the workbook (.xlsx).")
@click.option("--prefill", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="An answer set (YAML/JSON/TOML) whose enterprise and answers fill the form in.")
def questionnaire(framework: str | None, all_frameworks: bool, frameworks: str | None,
                  profile: str | None, lang: str | None, output: Path, prefill: Path | None) -> None:
    """Write an Excel questionnaire for a framework (read it back with `smesdk assess`), or
    one for several (`--all`, `--frameworks`; read it back with `smesdk assess-all`)."""
    if output.suffix.lower() != ".xlsx":
        raise click.BadParameter("the questionnaire is an .xlsx workbook", param_hint="-o")
    if sum((framework is not None, all_frameworks, frameworks is not None)) != 1:
        raise click.UsageError("give a FRAMEWORK, --all or --frameworks")
    from smesdk.questionnaire.write import (  # openpyxl only when needed
        left_out,
        prefill_problems,
        write_questionnaire,
    )

    answers = load_answers(prefill) if prefill is not None else None
    host = default_host()
    if framework is not None:
        if profile is None and answers is not None:
            profile = answers.profile  # the form is for the profile the answers were made for
        fw = host.load_framework(framework, profile)
        if answers is not None:
            problems = prefill_problems(fw, answers)
            if problems:
                raise AnswerError([Problem(p.path, p.message, str(prefill)) for p in problems])
    else:
        from smesdk.combined import answers_to_combined, combine
        from smesdk.docs.generate import documented_frameworks
        from smesdk.suite import choose

        names = documented_frameworks(host) if all_frameworks else \
            [f.strip() for f in (frameworks or "").split(",") if f.strip()]
        combined = combine(choose(names, host))
        fw = combined.framework
        answers = answers_to_combined(combined, answers) if answers is not None else None
    write_questionnaire(fw, output, lang=framework_lang(fw, lang), answers=answers)
    count = len(fw.indicator_ids)
    click.echo(f"wrote {output}: {fw.id} {fw.version}"
               + (f" [{fw.profile}]" if fw.profile else "") + f", {count} questions")
    dropped = left_out(fw, answers) if answers is not None else []
    if dropped:  # read back, the form would not give them: say so rather than lose them quietly
        more = f" and {len(dropped) - 5} more" if len(dropped) > 5 else ""
        click.echo(f"note: the form has no cells for {', '.join(dropped[:5])}{more}; "
                   "they are not in the form", err=True)
