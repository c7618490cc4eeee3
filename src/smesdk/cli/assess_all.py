"""``smesdk assess-all``: one answer set against every framework, with the tier ladder."""

from __future__ import annotations

from pathlib import Path

import click

from smesdk import default_host
from smesdk.answers import AnswerSet
from smesdk.cli.options import json_option, lang_option, output_lang
from smesdk.cli.render import screen_width, wrapped
from smesdk.enterprise import size_name
from smesdk.errors import Problem, SmesdkError
from smesdk.questionnaire import is_questionnaire
from smesdk.report.labels import label
from smesdk.suite import SuiteResult, assess_all
from smesdk.text import Lang, Text


def _t(text: Text | None, lang: Lang) -> str:
    return "" if text is None else text.get(lang)


def suite_text(suite: SuiteResult, lang: Lang) -> str:
    """The terminal view: each framework's verdict, the ladder, facts passed on, what is missing."""
    zh = lang == "zh"
    lines = [f"{'企业' if zh else 'Enterprise'}: {suite.enterprise.name} "
             f"({size_name(suite.enterprise.size).get(lang)}) — "
             f"{suite.assessed_on.isoformat()}", ""]
    lines.append("各评价体系（按依赖顺序）：" if zh else "Frameworks (in dependency order):")
    short = {m.key: m for m in suite.missing}
    for fid in suite.order:
        title = _t(suite.titles[fid], lang)
        result = suite.results.get(fid)
        if result is None:
            count = sum(fid in m.frameworks for m in short.values())
            verdict = f"未评分：缺少 {count} 项答案" if zh else f"not scored: {count} answers missing"
        else:
            level = (f"{_t(result.level.title, lang)} ({label(result.level.status, lang)})"
                     if result.level
                     else ("未达等级" if zh else "no level"))
            verdict = f"{'总分' if zh else 'total'} {result.total:.2f} · {level}"
        lines.append(f"  {title} [{fid}]: {verdict}")
    ladder = suite.ladder
    if ladder is not None:
        lines += ["", "梯度培育：" if zh else "Tier ladder:"]
        if ladder.reached:
            status = next(r.status for r in ladder.rungs if r.tier == ladder.reached)
            lines.append(f"  {'已达到' if zh else 'reached'}: {'第' if zh else 'tier '}"
                         f"{ladder.reached}{'级' if zh else ''} {_t(ladder.title, lang)} "
                         f"({label(status, lang)})")
            lines.append(f"  {'途径' if zh else 'route'}: {_t(ladder.route, lang)}")
        else:
            lines.append("  尚未达到任何一级" if zh else "  no tier reached yet")
        if ladder.next_title is not None:
            lines.append(f"  {'距下一级' if zh else 'blocking'} {_t(ladder.next_title, lang)}:")
            lines += [f"    - {_t(b, lang)}" for b in ladder.blockers]
    if suite.fed:
        lines += ["", "传递给后续评价的事实：" if zh else "Facts passed on:"]
        for fed in suite.fed:
            note = ""
            if fed.replaced is not None:
                note = (f"（取代答卷中的 {fed.replaced}）" if zh
                        else f" (replaces the declared {fed.replaced})")
            lines.append(f"  {fed.key} = {fed.value} ← {fed.framework}{note}")
    if suite.missing:
        lines += ["", "缺少的答案（每项一次，及需要它的评价体系）：" if zh
                  else "Missing answers (each once, with the frameworks that need it):"]
        for m in suite.missing:
            lines.append(f"  - {_t(m.title, lang)} ({m.key}): {', '.join(m.frameworks)}")
    if suite.unused:
        lines += ["", "未被任何所选评价体系使用的答案：" if zh
                  else "Answers no chosen framework asks:"]
        lines += [f"  - {key}" for key in suite.unused]
    return "\n".join(lines) + "\n"


def combined_markdown(suite: SuiteResult, lang: Lang) -> str:
    """The summary above, then each scored framework's own Markdown report, in order."""
    from smesdk.report import render_markdown  # Jinja2 only when needed

    host = default_host()
    title = "合并评价报告" if lang == "zh" else "Combined assessment"
    parts = [f"# {title}: {suite.enterprise.name}\n\n```text\n{suite_text(suite, lang)}```\n"]
    for fid in suite.order:
        result = suite.results.get(fid)
        if result is not None:
            fw = host.load_framework(fid, result.provenance.profile)
            parts.append(render_markdown(result, fw, lang=lang))
    return "\n".join(parts)


def suite_input(answers: Path, chosen: list[str] | None
                ) -> tuple[AnswerSet | Path, list[str] | None]:
    """What :func:`assess_all` takes for an answer file or a combined questionnaire (whose
    frameworks are the default choice)."""
    if not is_questionnaire(answers):
        return answers, chosen
    from smesdk.combined import SUITE_ID, read_combined
    from smesdk.questionnaire import form_info

    if form_info(answers).framework != SUITE_ID:
        raise SmesdkError([f"{answers}: a questionnaire for one framework; read it with "
                           "`smesdk assess`"])
    names, answer_set = read_combined(str(answers), default_host())
    return answer_set, chosen or names


@click.command("assess-all")
@click.argument("answers", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--frameworks", "-F", default=None, metavar="A,B,…",
              help="Only these frameworks, each ID or ID:PROFILE (default: every installed one).")
@json_option
@click.option("--markdown", "markdown", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Also write a combined Markdown report: this summary, then "
                                 "each scored framework's report.")
@lang_option
def assess_all_command(answers: Path, frameworks: str | None, as_json: bool,
                       markdown: Path | None, lang: str | None) -> None:
    """Score one fact-keyed answer set (or a combined questionnaire) against every framework,
    exports feeding later ones."""
    chosen = [f.strip() for f in frameworks.split(",") if f.strip()] if frameworks else None
    suite = assess_all(*suite_input(answers, chosen))
    lang = output_lang(lang)
    if markdown is not None:
        text = combined_markdown(suite, lang)
        try:
            markdown.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise SmesdkError([Problem(str(markdown), f"cannot write the report: {exc.strerror}")
                               ]) from None
        click.echo(f"wrote {markdown} (md, {len(text.encode('utf-8'))} bytes)", err=True)
    if as_json:
        click.echo(suite.to_json(), nl=False)
        return
    click.echo("\n".join(wrapped(suite_text(suite, lang).split("\n"), screen_width())), nl=False)
