"""How a plan is worded, once, for the terminal (``smesdk plan``) and the report."""

from __future__ import annotations

from smesdk.citations import role_prefix
from smesdk.framework import Framework
from smesdk.spec import Citation, Citations
from smesdk.text import Text
from smesdk.uplift import UpliftPlan

_METHOD = {
    "exact": Text(zh="精确：没有更少改动的方案能达到目标",
                  en="exact: no plan with fewer changes reaches the target"),
    "heuristic": Text(zh="启发式：搜索空间过大，未必最少；少于 {n} 项改动的方案均不存在",
                      en="heuristic: the search space is too large to be sure it is the "
                         "smallest; no plan with fewer than {n} changes exists"),
    "already there": Text(zh="已达到目标等级", en="the target level is already reached"),
    "unreachable": Text(zh="即使全部答案最优也达不到目标等级",
                        en="not even the best answer everywhere reaches the target"),
}
_PHASES = {1: Text(zh="第一阶段：速赢（上一级）", en="phase 1: quick wins (one rung up)"),
           2: Text(zh="第二阶段：较大改进", en="phase 2: larger changes")}


def method_text(plan: UpliftPlan) -> Text:
    """How sure the plan is that no smaller one exists."""
    words = _METHOD[plan.method]
    return Text(zh=words.zh.format(n=plan.lower_bound), en=words.en.format(n=plan.lower_bound))


def phase_text(phase: int) -> Text:
    return _PHASES[phase]


def cite_text(fw: Framework, cites: Citations) -> Text:
    """A step's citations: each document by title, then the clause, led by its role when the
    indicator cites several."""
    docs = {fw.spec.source.id: fw.spec.source, **{r.id: r for r in fw.spec.references}}

    def one(cite: Citation, lang: str) -> str:
        doc = docs.get(cite.doc)
        title = doc.title.get(lang) if doc else cite.doc
        return f"{role_prefix(cite, lang)}{title} {cite.clause}"

    return Text(zh="; ".join(one(c, "zh") for c in cites),
                en="; ".join(one(c, "en") for c in cites))


def held_text(fw: Framework, plan: UpliftPlan) -> Text:
    """Why answer changes alone cannot reach the target: the figures it depends on."""
    zh = "、".join(fw.names[i].zh for i in plan.held)
    en = ", ".join(fw.names[i].en for i in plan.held)
    return Text(zh=f"仅靠改进答案无法达到：目标条件取决于{zh}，这些是企业的客观数据而非管理实践，"
                   "计划不会改动它们。",
                en=f"answer changes alone cannot reach it: the target's conditions depend on "
                   f"{en}, figures about the firm rather than practices, which a plan does not "
                   "change.")
