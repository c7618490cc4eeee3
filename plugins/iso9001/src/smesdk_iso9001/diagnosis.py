"""The 两难、两不、两低 diagnosis (seed 004 section 二), the step-4 training plan, and the
"one firm, one plan" (一企一策) recommendations.

Which indicators bear on each problem and role is data: indicator ``tags`` in iso9001.yaml
(``problem:<id>``, ``role:<id>``, ``step:<n>``, ``iso:<clause>``). The thresholds are the
framework's ``params`` (``problem_below``, ``role_below``), both derived by smesdk.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any, Literal

from smesdk import Citation, Recommendation, Result, Text
from smesdk_iso9001 import _read

#: (problem id, group id, zh, en) in the order section 二 names them.
PROBLEMS: tuple[tuple[str, str, str, str], ...] = (
    ("standard_hard", "two_difficulties", "质量管理标准理解难",
     "The quality management standard is hard to understand"),
    ("tools_hard", "two_difficulties", "质量管理工具运用难",
     "Quality management tools are hard to use"),
    ("management_low", "two_shortfalls", "质量管理水平不高",
     "Quality management is at a low level"),
    ("competitiveness_weak", "two_shortfalls", "质量竞争力不强",
     "Quality competitiveness is weak"),
    ("tech_low", "two_lows", "产品技术含量低", "Products carry little technology"),
    ("brand_low", "two_lows", "企业品牌附加值低", "The brand adds little value"),
)

GROUPS: dict[str, Text] = {
    "two_difficulties": Text(zh="两难", en="Two difficulties"),
    "two_shortfalls": Text(zh="两不", en="Two shortfalls"),
    "two_lows": Text(zh="两低", en="Two lows"),
}

#: What to do about each problem, paraphrasing the guide's steps 4–7.
ADVICE: dict[str, Text] = {
    "standard_hard": Text(
        zh="通过分层培训讲解标准的基本思想和管理原则，结合优良案例帮助理解",
        en="explain the standard's basic ideas and principles in role-based training, with "
           "good-practice cases"),
    "tools_hard": Text(
        zh="结合现场问题教会管理人员和班组长使用简单的质量管理工具，并在体系运行中坚持应用",
        en="teach managers and team leaders simple quality tools on real shop-floor problems "
           "and keep using them while the system runs"),
    "management_low": Text(
        zh="梳理核心过程，建立适合自身的制度并明确职责，制度要与实际一致",
        en="map the core processes, write rules that fit the firm and assign "
           "responsibilities, keeping the rules true to practice"),
    "competitiveness_weak": Text(
        zh="以合格率、投诉等数据为切入点，从人机料法环测控制点入手实施靶向改进",
        en="start from pass-rate and complaint data and make targeted improvements at the "
           "people, machines, materials, methods, environment and measurement control points"),
    "tech_low": Text(
        zh="在流程优化中改进关键工艺、提高技术水平",
        en="improve key operations and the technical level during process optimisation"),
    "brand_low": Text(
        zh="以质量提升支撑品牌建设，可考虑通过认证提升品牌信誉",
        en="let better quality support the brand, and consider certification to add to its "
           "credibility"),
}

#: Step 4's four layers of training: (role id, clause, zh, en, topics zh, topics en).
ROLES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("all_staff", "五（二）4（1）", "企业负责人及相关人员（全员）",
     "Head of the firm and all staff",
     "质量意识", "Quality awareness"),
    ("leaders", "五（二）4（2）", "企业负责人及领导层", "Head of the firm and leadership",
     "质量管理体系标准的基本思想、核心理念、管理原则；优良案例",
     "The basic ideas, core concepts and principles of the QMS standard; good-practice cases"),
    ("builders", "五（二）4（3）", "体系建设主管部门及制度建设成员",
     "System-building department and rule writers",
     "质量管理体系标准；质量管理工具和方法；优良案例实践；内部审核；文件基本结构、编写技巧和编写工具",
     "The QMS standard; quality tools and methods; good practice; internal audit; document "
     "structure, writing techniques and writing tools"),
    ("frontline", "五（二）4（4）", "基层技术质量人员和班组长",
     "Frontline technical and quality staff and team leaders",
     "质量管理工具和方法；现场管理；优良案例",
     "Quality tools and methods; shop-floor management; good-practice cases"),
)


@functools.lru_cache(maxsize=64)
def _tagged(framework: Any, prefix: str) -> dict[str, list[str]]:
    """Tag value -> indicator ids carrying ``prefix:value``, in document order (a framework's
    tags never change: worked out once per framework; callers only read it)."""
    out: dict[str, list[str]] = {}
    for iid, ind in framework.iter_indicators():
        for tag in ind.tags:
            if tag.startswith(prefix + ":"):
                out.setdefault(tag.split(":", 2)[1], []).append(iid)
    return out


def _tag_values(ind: Any, prefix: str) -> list[str]:
    return [t.split(":", 1)[1] for t in ind.tags if t.startswith(prefix + ":")]


@functools.lru_cache(maxsize=256)
def _clauses_and_steps(framework: Any, ids: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The ISO 9001 clauses and the steps the indicators ``ids`` are tagged with, each once,
    in document order (tags never change: worked out once per framework and problem; callers
    only read the lists)."""
    clauses: list[str] = []
    step_nums: list[str] = []
    for i in ids:
        ind = framework.indicator(i)
        clauses += [c for c in _tag_values(ind, "iso") if c not in clauses]
        step_nums += [s for s in _tag_values(ind, "step") if s not in step_nums]
    return clauses, step_nums


#: A problem as the diagnosis reads it: id, group, group title, zh, en, its indicators.
_Problem = tuple[str, str, Text, str, str, list[str]]


@functools.lru_cache(maxsize=64)
def _problem_table(framework: Any) -> tuple[Decimal, tuple[_Problem, ...]]:
    """The ``problem_below`` threshold and each problem (id, group, its title, the problem's
    title, its indicators): the framework's constants, worked out once per framework."""
    below = Decimal(str(framework.spec.params.get("problem_below", "0.5")))
    tagged = _tagged(framework, "problem")
    return below, tuple((pid, group, GROUPS[group], zh, en, tagged.get(pid, []))
                        for pid, group, zh, en in PROBLEMS)


@functools.lru_cache(maxsize=64)
def _role_table(framework: Any) -> tuple[Decimal, tuple[tuple[str, list[str]], ...]]:
    """The ``role_below`` threshold and each role's indicators, once per framework."""
    below = Decimal(str(framework.spec.params.get("role_below", "0.5")))
    tagged = _tagged(framework, "role")
    return below, tuple((row[0], tagged.get(row[0], [])) for row in ROLES)


@functools.lru_cache(maxsize=64)
def _scored_ids(framework: Any) -> tuple[str, ...]:
    """Every indicator a problem or a role reads the score of, each once."""
    ids = [i for _, _, _, _, _, tagged in _problem_table(framework)[1] for i in tagged]
    ids += [i for _, tagged in _role_table(framework)[1] for i in tagged]
    return tuple(dict.fromkeys(ids))


def _scores(framework: Any, result: Result) -> dict[str, Decimal | None]:
    """The scores (as fractions) the diagnosis, the training plan and the advice read."""
    return _read.reader(result).scores(_scored_ids(framework))


@functools.lru_cache(maxsize=4096)
def _judged(below: Decimal, scores: tuple[Decimal, ...]) -> tuple[float | None, bool | None]:
    """A problem's rounded mean score and whether it is below ``below``: scores take a few
    values, so the same few tuples recur (equal values give equal means and figures,
    whatever their exponents, so they may share an entry)."""
    if not scores:
        return None, None
    mean = sum(scores, Decimal(0)) / len(scores)
    return float(round(mean, 4)), mean < below


@functools.lru_cache(maxsize=256)
def _summary(found: tuple[str, ...]) -> tuple[str, str]:
    """The diagnosis summary of the problems found (ids, in order): the same few recur."""
    titles = [(zh, en) for pid, _, zh, en in PROBLEMS if pid in found]
    return ("、".join(zh for zh, _ in titles) or "未发现突出问题",
            "; ".join(en for _, en in titles) or "no pressing problem found")


def diagnose(framework: Any, result: Result) -> dict[str, Any]:
    """Each problem of section 二 with whether the answers show it."""
    below, table = _problem_table(framework)
    units = _scores(framework, result)
    problems: list[dict[str, Any]] = []
    found: list[str] = []
    for pid, group, group_title, zh, en, ids in table:
        figure, shown = _judged(below, tuple([s for i in ids if (s := units[i]) is not None]))
        problems.append({
            "id": pid,
            "group": group,
            "group_title": {"zh": group_title.zh, "en": group_title.en},
            "title": {"zh": zh, "en": en},
            "indicators": list(ids),  # the table's list is shared: each result gets its own
            "score": figure,
            "found": shown,
        })
        if shown:
            found.append(pid)
    summary_zh, summary_en = _summary(tuple(found))
    return {"problems": problems, "found": found,
            "summary": {"zh": summary_zh, "en": summary_en}}


def training_plan(framework: Any, result: Result) -> list[dict[str, Any]]:
    """Step 4's layered training: which roles need it, on what, and why (the gaps)."""
    below, table = _role_table(framework)
    units = _scores(framework, result)
    done = _read.reader(result).answer("engagement.training.roles_trained") or []
    plan = []
    for (rid, clause, zh, en, tzh, ten), (_, ids) in zip(ROLES, table, strict=True):
        reasons = [i for i in ids if (s := units[i]) is not None and s < below]
        plan.append({
            "role": rid,
            "title": {"zh": zh, "en": en},
            "source": {"doc": "004", "clause": clause},
            "topics": {"zh": tzh, "en": ten},
            "needed": bool(reasons),
            "because": reasons,
            "already_trained": rid in done,
        })
    return plan


_SECTION_2 = Citation(doc="004", clause="二")


@functools.lru_cache(maxsize=256)
def _problem_text(framework: Any, pid: str) -> Text:
    """A problem's advice with the ISO 9001 clauses and steps of its indicators: the
    framework's constants alone (made once per framework and problem, and immutable)."""
    _, group, zh, en = next(p for p in PROBLEMS if p[0] == pid)
    group_title = GROUPS[group]
    ids = next(row[5] for row in _problem_table(framework)[1] if row[0] == pid)
    clauses, step_nums = _clauses_and_steps(framework, tuple(ids))
    advice = ADVICE[pid]
    iso_zh = "、".join(clauses) or "-"
    steps_zh = "、".join(step_nums) or "-"
    return Text(
        zh=f"【{group_title.zh}·{zh}】{advice.zh}（ISO 9001 第{iso_zh}条；实施步骤{steps_zh}）。",
        en=f"[{group_title.en}: {en}] {advice.en} "
           f"(ISO 9001 clause {', '.join(clauses) or '-'}; "
           f"step {', '.join(step_nums) or '-'}).",
    )


def recommendations(framework: Any, result: Result, gate_checks: list[dict[str, Any]],
                    notices: list[dict[str, Any]] | None = None, *,
                    diagnosis: dict[str, Any] | None = None) -> list[Recommendation]:
    """一企一策: one recommendation per problem found, per unmet gate and per warning.

    A problem's impact is the total points its indicators' gaps would add (the core's
    ``Gap.impact``); gates carry no points, so they follow, in the guide's order, and the
    warnings (advice the guide gives without making it a gate) come last. ``diagnosis`` is
    :func:`diagnose` of this result when the caller has it already.
    """
    diag = diagnosis if diagnosis is not None else diagnose(framework, result)
    out: list[tuple[Decimal, int, Recommendation]] = []
    if diag["found"]:
        gap_impact = {g.indicator: g.impact for g in result.gaps}
        units = _scores(framework, result)
        for order, problem in enumerate(diag["problems"]):
            if not problem["found"]:
                continue
            ids = problem["indicators"]
            impact = _ZERO
            worst = low = None
            for i in ids:
                impact += gap_impact.get(i, _ZERO)  # as sum(): zeros too (they set exponents)
                if (s := units[i]) is not None and (low is None or s < low):
                    worst, low = i, s  # the lowest score, the first of equals
            if worst is None and ids:
                worst = ids[0]
            out.append((impact, order, _problem_advice(framework, problem["id"], worst,
                                                       impact, str(impact))))
    for order, check in enumerate(gate_checks, start=len(PROBLEMS)):
        if check["state"] not in ("fail", "pending"):
            continue
        msg = check["message"]
        out.append((_ZERO, order, _advice("【阶段关口】", "[Stage gate] ", msg["zh"], msg["en"],
                                          check["source"]["clause"], "prerequisite")))
    start = len(PROBLEMS) + len(gate_checks)
    for order, notice in enumerate(notices or [], start=start):
        if notice["state"] != "warning":
            continue
        msg = notice["message"]
        out.append((_ZERO, order, _advice("【提示】", "[Warning] ", msg["zh"], msg["en"],
                                          notice["source"]["clause"], None)))
    out.sort(key=lambda t: (-t[0], t[1]))
    return [r for _, _, r in out]


_ZERO = Decimal(0)


@functools.lru_cache(maxsize=4096)
def _problem_advice(framework: Any, pid: str, worst: str | None, impact: Decimal,
                    impact_text: str) -> Recommendation:
    """A problem's advice: immutable, and the same few recur across firms, so each is made
    once. ``impact_text`` keys it too: 1 and 1.0 are equal keys but are written apart."""
    del impact_text
    return Recommendation(text=_problem_text(framework, pid), source=_SECTION_2,
                          indicator=worst, impact=impact, origin="iso9001")


@functools.lru_cache(maxsize=4096)
def _advice(tag_zh: str, tag_en: str, zh: str, en: str, clause: str,
            kind: Literal["prerequisite"] | None) -> Recommendation:
    """A stage gate's or a warning's advice: the same message recurs across firms, and the
    advice is immutable, so each is made once."""
    return Recommendation(text=Text(zh=tag_zh + zh, en=tag_en + en),
                          source=Citation(doc="004", clause=clause), indicator=None,
                          impact=_ZERO, origin="iso9001", kind=kind)
