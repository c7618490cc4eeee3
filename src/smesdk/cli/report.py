"""``smesdk report``: an HTML, Markdown or PDF report of an assessment, for people to read."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from smesdk.cli.options import assess_file, framework_lang, lang_option, profile_option, score_file
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
              help="An earlier answer set, drawn against this one on the radar.")
@click.option("--target", default=None, metavar="LEVEL",
              help="A level to draw as the target on the radar (with --compare too).")
def report(framework: str, answers: Path, output: Path | None, fmt: str | None, lang: str | None,
           profile: str | None, compare: Path | None, target: str | None) -> None:
    """Write a report of an assessment: self-contained HTML (charts, no network), Markdown, or
    an A4 PDF whose CJK font travels inside smesdk."""
    from smesdk.report import render_html, render_markdown  # Jinja2 only when needed

    fw, result = assess_file(framework, answers, profile)
    lang = framework_lang(fw, lang)
    earlier = score_file(fw, compare) if compare is not None else None
    if fmt is None:
        suffix = output.suffix.lower() if output is not None else ""
        fmt = {".md": "md", ".markdown": "md", ".pdf": "pdf"}.get(suffix, "html")
    if fmt == "pdf":
        from smesdk.report import render_pdf

        data = render_pdf(result, fw, lang=lang, compare=earlier, target=target)
    elif fmt == "md":
        data = render_markdown(result, fw, lang=lang, compare=earlier, target=target).encode("utf-8")
    else:
        data = render_html(result, fw, lang=lang, compare=earlier, target=target).encode("utf-8")
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
