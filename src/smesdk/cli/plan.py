"""smesdk plan: the smallest set of answer changes that reaches a target level."""

from __future__ import annotations

from pathlib import Path

import click

from smesdk.citations import role_prefix
from smesdk.cli.options import framework_lang, json_option, lang_option, profile_option
from smesdk.errors import SmesdkError
from smesdk.framework import Framework
from smesdk.spec import Citation, Citations
from smesdk.text import Lang
from smesdk.uplift import UpliftPlan, plan_to_level

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_METHOD = {
    "exact": ("精确：没有更少改动的方案能达到目标", "exact: no plan with fewer changes reaches the target"),
    "heuristic": ("启发式：搜索空间过大，未必最少；少于 {n} 项改动的方案均不存在",
                  "heuristic: the search space is too large to be sure it is the smallest; "
                  "no plan with fewer than {n} changes exists"),
    "already there": ("已达到目标等级", "the target level is already reached"),
    "unreachable": ("即使全部答案最优也达不到目标等级",
                    "not even the best answer everywhere reaches the target"),
}


def _cite(fw: Framework, cites: Citations, lang: Lang) -> str:
    docs = {fw.spec.source.id: fw.spec.source, **{r.id: r for r in fw.spec.references}}

    def one(cite: Citation) -> str:
        doc = docs.get(cite.doc)
        return f"{role_prefix(cite, lang)}{doc.title.get(lang) if doc else cite.doc} {cite.clause}"

    return "; ".join(one(c) for c in cites)


def plan_text(fw: Framework, plan: UpliftPlan, lang: Lang) -> str:
    zh = lang == "zh"
    now = plan.total_before
    lines = [f"{fw.spec.title.get(lang)} {fw.version}: {now} → "
             f"{'目标' if zh else 'target'} {plan.target.title.get(lang)}"]
    word = _METHOD[plan.method][0 if zh else 1].format(n=plan.lower_bound)
    count = f"{len(plan.steps)} 项改动" if zh else f"{len(plan.steps)} change(s)"
    lines.append(f"{count} ({word})")
    for phase in sorted({s.phase for s in plan.steps}):
        title = {1: ("第一阶段：速赢（上一级）", "phase 1: quick wins (one rung up)"),
                 2: ("第二阶段：较大改进", "phase 2: larger changes")}[phase]
        lines.append(title[0 if zh else 1])
        for n, step in enumerate((s for s in plan.steps if s.phase == phase), 1):
            effort = f", {'工作量' if zh else 'effort'} {step.effort}" if step.effort is not None else ""
            lines.append(f"  {n}. {step.title.get(lang)}: {step.before.get(lang)} → "
                         f"{step.after.get(lang)}  {step.points:+}{effort}")
            lines.append(f"     {'依据' if zh else 'source'}: {_cite(fw, step.source, lang)} "
                         f"({step.status})")
            if step.recommendation is not None:
                lines.append(f"     {step.recommendation.get(lang)}")
    if plan.steps:
        level = plan.level_after.title.get(lang) if plan.level_after else "—"
        lines.append(f"{'改进后' if zh else 'after the plan'}: {plan.total_after} {level}")
    if plan.blockers:
        lines.append("仍然阻碍：" if zh else "still in the way:")
        lines += [f"  {b.message.get(lang)}" for b in plan.blockers]
    if plan.not_planned:
        names = ", ".join(fw.names[i].get(lang) for i in plan.not_planned)
        lines.append(("未纳入计划（无答案阶梯，如日期、文字）：" if zh
                      else "not planned (no answer ladder, e.g. dates and text): ") + names)
    return "\n".join(lines)


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
    click.echo(plan_text(fw, found, framework_lang(fw, lang)))
