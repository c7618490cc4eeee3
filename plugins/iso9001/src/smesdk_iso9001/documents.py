"""The documents the guide asks for.

* :func:`case_draft` — a good-practice case draft following annex 1 (附1): a title, five
  parts in their proportions (profile ~5 %, problems ~10 %, measures ~60 %, results ~20 %
  with before/after figures, lessons ~5 %), at most 2,000 characters, and the drafting
  units; everything it cannot fill from the assessment is marked 【待补充】/[TO ADD] and
  listed in ``flags``.
* :func:`statistics_table` — the statistics table of annex 2 (附2 附表) over many
  assessments: enterprises assisted, their industries by the 39 categories, training and
  the certification bodies that assisted them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from smesdk import Lang, Result
from smesdk_iso9001 import _read
from smesdk_iso9001.diagnosis import PROBLEMS, diagnose
from smesdk_iso9001.engagement import STATUS_TEXT, enterprise_steps, fmt_number, steps
from smesdk_iso9001.industries import industry_name

MAX_CHARS = 2000

#: Annex 1's five parts: (id, share of the text, zh heading, en heading).
PARTS: tuple[tuple[str, Decimal, str, str], ...] = (
    ("profile", Decimal("0.05"), "一、企业简介", "1. Company profile"),
    ("problems", Decimal("0.10"), "二、企业急需解决的质量管理问题", "2. Pressing quality problems"),
    ("measures", Decimal("0.60"), "三、提升行动主要做法", "3. What the action did"),
    ("results", Decimal("0.20"), "四、企业质量提升成效", "4. Results of the uplift"),
    ("lessons", Decimal("0.05"), "五、启示", "5. Lessons"),
)

#: PARTS as a draft writes them: (id, share as a float, character budget, zh, en), made once.
_PART_TABLE = tuple((pid, float(share), int(share * MAX_CHARS), zh, en)
                    for pid, share, zh, en in PARTS)


@functools.lru_cache(maxsize=64)
def _percent(share: float) -> int:
    """A part's share in whole percent, as its heading shows it (the few shares recur)."""
    return int(Decimal(str(share)) * 100)


@functools.lru_cache(maxsize=256)
def _part_heading(heading: str, share: float, zh: bool) -> str:
    """A part's Markdown heading with its share (the few parts recur: each made once)."""
    pct = _percent(share)
    return f"## {heading}（约{pct}%）" if zh else f"## {heading} (about {pct}%)"


SIZES = {"micro": ("微型", "micro"), "small": ("小型", "small"), "medium": ("中型", "medium")}

#: Before/after figures: (id, before indicator, after indicator, zh name, zh unit, en name,
#: en unit, True when higher is better).
FIGURES = (
    ("pass_rate", "engagement.survey.baseline_pass_rate", "survey.benefit.first_pass_yield",
     "产品一次交验合格率", "%", "First-pass acceptance rate", "%", True),
    ("complaints", "engagement.survey.baseline_complaints", "survey.benefit.complaints",
     "顾客投诉", "次", "Customer complaints", " complaints", False),
)


@functools.lru_cache(maxsize=256)  # called with the same constant texts on every draft
def _todo(lang: Lang, zh: str, en: str) -> str:
    return f"【待补充：{zh}】" if lang == "zh" else f"[TO ADD: {en}]"


#: The figures the profile keeps: (index in FIGURES, before, after).
_Figures = tuple[tuple[int, Decimal | None, Decimal | None], ...]


def _figures(read: _read.Reader) -> _Figures:
    return tuple((k, read.number(row[1]), read.number(row[2])) for k, row in enumerate(FIGURES)
                 if read.has(row[2]))  # an after figure dropped by the profile: none


def _title(figures: _Figures, lang: Lang) -> tuple[str, bool]:
    """The title after the firm's name, and whether it must be written in."""
    for k, before, after in figures:
        _, _, _, zh, uzh, en, uen, higher = FIGURES[k]
        if before is None or after is None:
            continue
        better = after > before if higher else after < before
        if better:
            if lang == "zh":
                verb = "提升至" if higher else "降至"
                return (f"：{zh}由{fmt_number(before)}{uzh}"
                        f"{verb}{fmt_number(after)}{uzh}"), False
            verb = "raised" if higher else "cut"
            return (f": {en} {verb} from {fmt_number(before)}{uen} "
                    f"to {fmt_number(after)}{uen}"), False
    if lang == "zh":
        return "质量管理体系认证提升实践" + _todo(lang, "突出亮点的标题", ""), True
    todo = _todo(lang, "", "a title naming the highlight")
    return f": QMS uplift in practice {todo}", True


def _results(figures: _Figures, lang: Lang) -> tuple[str, list[str]]:
    """Part 4: the before/after figures, each required, and the flags of those missing or
    showing no gain."""
    flags = []
    lines = []
    for k, before, after in figures:
        fid, _, _, zh, uzh, en, uen, higher = FIGURES[k]
        if before is None or after is None:
            flags.append(f"figure:{fid}")
        elif not (after > before if higher else after < before):
            flags.append(f"no_gain:{fid}")
        if lang == "zh":
            b = (f"{fmt_number(before)}{uzh}" if before is not None
                 else _todo(lang, "提升前数据", ""))
            a = (f"{fmt_number(after)}{uzh}" if after is not None
                 else _todo(lang, "提升后数据", ""))
            lines.append(f"- {zh}：提升前{b}，提升后{a}。")
        else:
            b = (f"{fmt_number(before)}{uen}" if before is not None
                 else _todo(lang, "", "figure before"))
            a = (f"{fmt_number(after)}{uen}" if after is not None
                 else _todo(lang, "", "figure after"))
            lines.append(f"- {en}: before {b}, after {a}.")
    if not figures:
        flags.append("figures")
        lines.append(_todo(lang, "提升前后的对比数据", "before/after figures"))
    return "\n".join(lines), flags


def case_draft(framework: Any, result: Result, lang: Lang = "zh", *,
               diagnosis: dict[str, Any] | None = None,
               step_list: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """An annex-1 case draft filled from *result*, with what is missing flagged.

    ``diagnosis`` and ``step_list`` are :func:`diagnose` and :func:`steps` of this result when
    the caller has them already; otherwise they are worked out.
    """
    ent = result.enterprise
    read = _read.reader(result)
    flags: list[str] = []
    figures = _figures(read)
    title_rest, title_todo = _title(figures, lang)
    if title_todo:
        flags.append("title")

    # 1. profile
    certified = read.answer("engagement.certification.certified") is True
    body = read.answer("engagement.certification.certification_body")
    profile_rest, industry_known = _profile(lang, ent.region, ent.industry, ent.size,
                                            certified, body)
    profile = ent.name + profile_rest
    if not industry_known:
        flags.append("industry")
    # annex 1 asks for these too; the assessment does not hold them
    flags += ["founded", "business_scope", "products", "sales"]

    # 2. problems
    diag = diagnosis if diagnosis is not None else diagnose(framework, result)
    problems, unwritten = _problems(lang, tuple(p["id"] for p in diag["problems"] if p["found"]))
    if unwritten:
        flags.append("problems")

    # 3. measures: the steps taken, then room for the narrative
    mine = enterprise_steps(framework)
    lines = [_step_line(lang, s["step"], s["title"]["zh" if lang == "zh" else "en"],
                        s["status"], s["completed"] if s["status"] == "done" else s["started"])
             for s in (step_list if step_list is not None else steps(framework, result))
             if s["step"] in mine and s["status"] != "not_started"]
    lines.append(_todo(lang, "结合上述问题说明采取的主要措施与做法",
                       "the main measures taken against the problems above"))
    measures = "\n".join(lines)
    flags.append("measures")

    # 4. results: before/after figures, each required
    results, result_flags = _results(figures, lang)
    flags += result_flags

    # 5. lessons
    lessons = _todo(lang, "总结本案例的亮点与经验启示", "the highlights and lessons of this case")
    flags.append("lessons")

    texts = {"profile": profile, "problems": problems, "measures": measures,
             "results": results, "lessons": lessons}
    service = read.answer("engagement.survey.service_body")
    units = [ent.name] + ([service] if service else [])
    parts: list[dict[str, Any]] = []
    for pid, share, budget, zh, en in _PART_TABLE:
        text = texts[pid]
        parts.append({"id": pid, "heading": zh if lang == "zh" else en,
                      "share": share, "budget_chars": budget,
                      "chars": len(text), "over_budget": len(text) > budget, "text": text})
    body_chars = sum(p["chars"] for p in parts)
    if body_chars > MAX_CHARS:
        flags.append("too_long")
    draft = {"title": ent.name + title_rest, "parts": parts, "drafting_units": units,
             "chars": body_chars, "max_chars": MAX_CHARS, "flags": flags, "lang": lang}
    draft["markdown"] = render_case(draft)
    return draft



@functools.lru_cache(maxsize=1024)
def _profile(lang: Lang, region: str | None, industry_code: str | None, size: str,
             certified: bool, body: str | None) -> tuple[str, bool]:
    """Part 1 after the firm's name, and whether the industry is known: the same regions,
    industries, sizes and bodies recur across firms, so each text is written once."""
    industry = industry_name(industry_code)
    size_zh, size_en = SIZES.get(size, (size, size))
    if lang == "zh":
        where = f"，位于{region}" if region else ""
        ind_text = (f"属认证行业分类第{industry_code}类“{industry.zh}”" if industry
                    else "行业分类" + _todo(lang, "认证行业分类", ""))
        cert = (f"已通过质量管理体系认证（{body}）" if certified and body else
                "已通过质量管理体系认证" if certified else "尚未取得质量管理体系认证")
        return (f"{where}，{ind_text}，为{size_zh}企业，"
                f"成立于{_todo(lang, '成立时间', '')}，经营范围为{_todo(lang, '经营范围', '')}，"
                f"主要产品为{_todo(lang, '产品种类', '')}，"
                f"市场销售情况：{_todo(lang, '市场销售情况', '')}。认证情况：{cert}。"), bool(industry)
    where = f", located in {region}" if region else ""
    ind_text = (f"in certification industry category {industry_code} ({industry.en})"
                if industry else "in industry " + _todo(lang, "", "the industry category"))
    cert = (f"certified to ISO 9001 ({body})" if certified and body else
            "certified to ISO 9001" if certified else "not yet certified to ISO 9001")
    return (f"{where}, {ind_text}, is a {size_en} enterprise founded in "
            f"{_todo(lang, '', 'year founded')}; business scope "
            f"{_todo(lang, '', 'business scope')}; products "
            f"{_todo(lang, '', 'product range')}; sales {_todo(lang, '', 'market sales')}; "
            f"it is {cert}."), bool(industry)


_PROBLEM_TITLES = {pid: (zh, en) for pid, _, zh, en in PROBLEMS}


@functools.lru_cache(maxsize=256)
def _problems(lang: Lang, found: tuple[str, ...]) -> tuple[str, bool]:
    """Part 2 for the problems found (ids), and whether it must be written in: the same few
    sets recur, so each text is written once."""
    if found and lang == "zh":
        return "摸底调研发现企业存在" + "、".join(_PROBLEM_TITLES[p][0] for p in found) + "等问题。", False
    if found:
        return ("The baseline survey found: " + "; ".join(_PROBLEM_TITLES[p][1] for p in found)
                + "."), False
    # Nothing pressing shows now: the problems the action started from must be written in.
    return ("当前评估未发现突出的“两难、两不、两低”问题；"
            + _todo(lang, "提升行动前企业急需解决的质量问题", "") if lang == "zh" else
            "The current assessment shows no pressing problem; "
            + _todo(lang, "", "the quality problems the firm faced before the action")), True


@functools.lru_cache(maxsize=4096)
def _step_line(lang: Lang, number: int, title: str, status: str, when: str | None) -> str:
    """Part 3's line for a step under way or done (steps, states and dates recur)."""
    zh_s, en_s = STATUS_TEXT.get(status, (status, status))
    if lang == "zh":
        name = title.split(" ", 1)[-1]
        dated = f"（{when}）" if when else ""
        return f"- 步骤{number} {name}：{zh_s}{dated}。"
    name = title.split(": ", 1)[-1]
    return f"- Step {number} {name}: {en_s}" + (f" ({when})" if when else "") + "."


def render_case(draft: dict[str, Any]) -> str:
    zh = draft["lang"] == "zh"
    out = [f"# {draft['title']}", ""]
    for part in draft["parts"]:
        out += [_part_heading(part["heading"], part["share"], zh), "", part["text"], ""]
    out += ["## 主要起草单位" if zh else "## Drafting units", ""]
    out.append(("；" if zh else "; ").join(draft["drafting_units"]))
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ statistics table


def statistics_table(results: Iterable[Result]) -> dict[str, Any]:
    """Annex 2's statistics table (rows 2–4) aggregated over assessments of many firms.

    Row 1 (policies and subsidies) is regional data no answer set holds: it is left None.
    """
    from smesdk_iso9001.industries import INDUSTRIES

    n = 0
    by_industry: dict[str, int] = {}
    unclassified = 0
    persons = Decimal(0)
    trained_firms = 0
    certified = 0
    bodies: dict[str, dict[str, Any]] = {}
    for result in results:
        n += 1
        code = result.enterprise.industry
        name = industry_name(code)
        if name is None:
            unclassified += 1
        else:
            key = str(int(code.strip()))  # type: ignore[union-attr]
            by_industry[key] = by_industry.get(key, 0) + 1
        count = _read.number(result, "engagement.training.persons_trained")
        if count is not None and count > 0:
            persons += count
            trained_firms += 1
        if _read.answer(result, "engagement.certification.certified") is True:
            certified += 1
        body = (_read.answer(result, "engagement.survey.service_body") or "").strip()
        if body:
            entry = bodies.setdefault(body, {"name": body, "approval": None, "enterprises": 0})
            entry["enterprises"] += 1
            approval = (_read.answer(result, "engagement.survey.service_body_approval")
                        or "").strip()
            if approval and entry["approval"] is None:
                entry["approval"] = approval
    industries = [
        {"code": code, "zh": INDUSTRIES[code].zh, "en": INDUSTRIES[code].en,
         "enterprises": by_industry[code]}
        for code in sorted(by_industry, key=int)
    ]
    return {
        "policies": None,
        "subsidies_10k_yuan": None,
        "training": {"persons": int(persons) if persons == persons.to_integral_value()
                     else float(persons), "enterprises": trained_firms},
        "enterprises_assisted": n,
        "industries": {"count": len(industries), "items": industries,
                       "unclassified": unclassified},
        "certification_bodies": {"count": len(bodies),
                                 "items": [bodies[k] for k in sorted(bodies)]},
        "enterprises_certified": certified,
    }


def render_statistics(table: dict[str, Any], lang: Lang = "zh") -> str:
    """The table as text, in the rows of annex 2's 附表."""
    t = table
    if lang == "zh":
        inds = "；".join(f"{i['code']} {i['zh']}（{i['enterprises']}家）"
                        for i in t["industries"]["items"]) or "-"
        bodies = "；".join(f"{b['name']}（{b['approval'] or '批准号待补充'}）"
                          for b in t["certification_bodies"]["items"]) or "-"
        lines = [
            "小微企业质量管理体系认证提升行动统计表",
            "1 政策措施：（由地方局填写）项；财政补贴金额：（由地方局填写）万元",
            f"2 培训人员数量：{t['training']['persons']}人次；"
            f"培训企业数量：{t['training']['enterprises']}家",
            f"3 帮扶企业数量：{t['enterprises_assisted']}家；"
            f"帮扶企业所属行业：{t['industries']['count']}个 —— {inds}",
            f"4 帮扶企业的认证机构：{t['certification_bodies']['count']}家 —— {bodies}",
        ]
        if t["industries"]["unclassified"]:
            lines.append(f"注：{t['industries']['unclassified']}家企业未填写有效的行业分类编号。")
    else:
        inds = "; ".join(f"{i['code']} {i['en']} ({i['enterprises']})"
                         for i in t["industries"]["items"]) or "-"
        bodies = "; ".join(f"{b['name']} ({b['approval'] or 'approval number missing'})"
                           for b in t["certification_bodies"]["items"]) or "-"
        lines = [
            "QMS Certification Uplift Action: statistics table",
            "1 Policy measures: (filled in by the local bureau); subsidies: (filled in by the "
            "local bureau) 10k yuan",
            f"2 Person-times trained: {t['training']['persons']}; "
            f"enterprises trained: {t['training']['enterprises']}",
            f"3 Enterprises assisted: {t['enterprises_assisted']}; "
            f"industries: {t['industries']['count']} — {inds}",
            f"4 Certification bodies assisting: {t['certification_bodies']['count']} — {bodies}",
        ]
        if t["industries"]["unclassified"]:
            lines.append(f"Note: {t['industries']['unclassified']} enterprises have no valid "
                         "industry category.")
    return "\n".join(lines) + "\n"


def assess_folder(folder: Path) -> tuple[list[Result], list[tuple[str, str]]]:
    """Assess every answer set for iso9001 in *folder* (each with its own profile).

    Returns the results and the files skipped, with why (other framework, or errors).
    """
    from smesdk import SmesdkError, load_answers, load_framework

    results: list[Result] = []
    skipped: list[tuple[str, str]] = []
    files = sorted(p for p in Path(folder).iterdir()
                   if p.suffix in (".yaml", ".yml", ".json", ".toml") and p.is_file())
    for path in files:
        try:
            answers = load_answers(path)
            if answers.framework not in (None, "iso9001"):
                skipped.append((path.name, f"answers are for framework {answers.framework!r}"))
                continue
            fw = load_framework("iso9001", profile=answers.profile)
            results.append(fw.assess(answers))
        except SmesdkError as exc:
            skipped.append((path.name, str(exc)))
    return results, skipped
