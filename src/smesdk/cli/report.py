"""``smesdk report``: an HTML, Markdown or PDF report of an assessment, for people to read."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from smesdk.cli.options import (
    assess_loaded,
    framework_lang,
    lang_option,
    profile_option,
    score_file,
)
from smesdk.errors import Problem, SmesdkError

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command()
@click.argument("framework")
@click.argument("answers", type=_FILE)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
@click.option("--format", "fmt", type=click.Choice(["html", "md", "pdf"]), default=None,
              help="Report format (default: from the output file's suffix, .md or .pdf; "
                   "else html).")
@lang_option
@profile_option
@click.option("--compare", type=_FILE, default=None, metavar="EARLIER_ANSWERS",
              help="An earlier answer set, drawn against this one on the radar, with a table "
                   "of what changed.")
@click.option("--target", default=None, metavar="LEVEL",
              help="A level to draw as the target on the radar (with --compare too).")
@click.option("--compare-framework", default=None, metavar="FRAMEWORK",
              help="The framework (installed id or spec file) that scored EARLIER_ANSWERS, when "
                   "it was another version or profile: the change table then splits practice "
                   "from model change.")
@click.option("--plan-to", "plan_to", is_flag=False, flag_value="", default=None,
              metavar="[LEVEL]",
              help="Add the plan to reach a level (its id; alone: the next level up): the "
                   "smallest set of answer changes, in phases, each with its source.")
def report(framework: str, answers: Path, output: Path | None, fmt: str | None,
           lang: str | None,
           profile: str | None, compare: Path | None, target: str | None,
           compare_framework: str | None, plan_to: str | None) -> None:
    """Write a report of an assessment: self-contained HTML (charts, no network), Markdown, or
    an A4 PDF whose CJK font travels inside smesdk."""
    from smesdk.cli.assess import load_framework_and_answers
    from smesdk.report import render_html, render_markdown  # Jinja2 only when needed

    fw, answer_set = load_framework_and_answers(framework, answers, profile)
    lang = framework_lang(fw, lang)
    result = assess_loaded(fw, answer_set, answers)
    earlier = changes = None
    if compare is not None and compare_framework is not None:
        from smesdk.deltas import compare as compare_results

        before_fw, before = load_framework_and_answers(compare_framework, compare)
        earlier = assess_loaded(before_fw, before, compare)
        changes = compare_results(earlier, result, answers=(before, answer_set),
                                  frameworks=(before_fw, fw))
    elif compare is not None:
        earlier = score_file(fw, compare)
    elif compare_framework is not None:
        raise click.UsageError("--compare-framework goes with --compare EARLIER_ANSWERS")
    plan = result.plan_to(plan_to or None) if plan_to is not None else None
    if fmt is None:
        suffix = output.suffix.lower() if output is not None else ""
        fmt = {".md": "md", ".markdown": "md", ".pdf": "pdf"}.get(suffix, "html")
    if fmt == "pdf":
        from smesdk.report import render_pdf

        data = render_pdf(result, fw, lang=lang, compare=earlier, target=target,
                          changes=changes, plan=plan)
    elif fmt == "md":
        data = render_markdown(result, fw, lang=lang, compare=earlier, target=target,
                               changes=changes, plan=plan).encode("utf-8")
    else:
        data = render_html(result, fw, lang=lang, compare=earlier, target=target,
                           changes=changes, plan=plan).encode("utf-8")
    if output is None:
        if fmt == "pdf":
            sys.stdout.buffer.write(data)
        else:
            click.echo(data.decode("utf-8"), nl=False)
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise SmesdkError([Problem(str(output), f"cannot write the report: {exc.strerror}")]) from None
    click.echo(f"wrote {output} ({fmt}, {len(data)} bytes)", err=True)
