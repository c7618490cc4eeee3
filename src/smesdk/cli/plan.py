"""smesdk plan: the smallest set of answer changes that reaches a target level."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import click

from smesdk.cli.options import framework_lang, json_option, lang_option, profile_option
from smesdk.cli.render import WIDTH, screen_width, wrapped
from smesdk.errors import SmesdkError
from smesdk.framework import Framework
from smesdk.numbers import fmt
from smesdk.plan_words import cite_text, held_text, method_text, phase_text
from smesdk.report.labels import label
from smesdk.text import Lang
from smesdk.uplift import UpliftPlan, plan_to_level

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def plan_text(fw: Framework, plan: UpliftPlan, lang: Lang, width: int = WIDTH) -> str:
    """The plan in phases, its figures to two places, within ``width`` columns."""
    zh = lang == "zh"
    now = fmt(plan.total_before, 2)
    lines = [f"{fw.spec.title.get(lang)} {fw.version}: {now} → "
             f"{'目标' if zh else 'target'} {plan.target.title.get(lang)}"]
    word = method_text(plan).get(lang)
    count = f"{len(plan.steps)} 项改动" if zh else f"{len(plan.steps)} change(s)"
    lines.append(f"{count} ({word})")
    for phase in sorted({s.phase for s in plan.steps}):
        lines.append(phase_text(phase).get(lang))
        for n, step in enumerate((s for s in plan.steps if s.phase == phase), 1):
            effort = f", {'工作量' if zh else 'effort'} {step.effort}" if step.effort is not None else ""
            lines.append(f"  {n}. {step.title.get(lang)}: {step.before.get(lang)} → "
                         f"{step.after.get(lang)}  ({_gain(step.points, lang)}{effort})")
            lines.append(f"     {'依据' if zh else 'source'}: "
                         f"{cite_text(fw, step.source).get(lang)} ({label(step.status, lang)})")
            if step.recommendation is not None:
                lines.append(f"     {step.recommendation.get(lang)}")
    if plan.steps:
        level = plan.level_after.title.get(lang) if plan.level_after else "—"
        lines.append(f"{'改进后' if zh else 'after the plan'}: {fmt(plan.total_after, 2)} {level}")
    if plan.blockers:
        lines.append("仍然阻碍：" if zh else "still in the way:")
        lines += [f"  {b.message.get(lang)}" for b in plan.blockers]
    if plan.held:
        lines.append(held_text(fw, plan).get(lang))
    if plan.not_planned:
        names = ", ".join(fw.names[i].get(lang) for i in plan.not_planned)
        lines.append(("未纳入计划（无答案阶梯，如日期、文字）：" if zh
                      else "not planned (no answer ladder, e.g. dates and text): ") + names)
    return "\n".join(wrapped(lines, width))


def _gain(points: Decimal, lang: Lang) -> str:
    """What a step adds to the total, named so ("total +3.75"), never a bare figure."""
    gain = label("gain", lang, value=fmt(points, 2))
    return gain if points >= 0 else gain.replace("+", "")


@click.command()
@click.argument("framework")
@click.argument("answers", type=_FILE)
@click.option("--target", "-t", default=None, metavar="LEVEL",
              help="The level to reach (its id; default: the next level up).")
@profile_option
@json_option
@lang_option
def plan(framework: str, answers: Path, target: str | None, profile: str | None, as_json: bool,
         lang: str | None) -> None:
    """The smallest set of answer changes that reaches a level, in phases, each with its source."""
    from smesdk.cli.assess import load_framework_and_answers

    fw, answer_set = load_framework_and_answers(framework, answers, profile)
    if target is None:
        result = fw.assess(answer_set)
        if result.next_level is None:
            raise SmesdkError([f"{answers}: already at the highest level; give --target"])
        target = result.next_level.level.id
    found = plan_to_level(fw, answer_set, target)
    if as_json:
        click.echo(found.to_json(), nl=False)
        return
    click.echo(plan_text(fw, found, framework_lang(fw, lang), screen_width()))
