"""The scoring engine: answers -> indicator points -> dimension scores -> total -> level.

All arithmetic is exact (Fractions); numbers are rounded once, when the Result is built.
"""

from __future__ import annotations

import difflib
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from smesdk.aggregations import Child
from smesdk.answers import Answer, AnswerSet, Enterprise
from smesdk.convert import unstructure
from smesdk.errors import AnswerError, Problem
from smesdk.gates import ScoreView
from smesdk.levels import LevelOutcome
from smesdk.numbers import decimal_to_json, fmt, frac, round_out
from smesdk.result import (
    DimensionResult,
    Gap,
    IndicatorResult,
    Provenance,
    Recommendation,
    Result,
    Warning,
)
from smesdk.spec import Applicability
from smesdk.text import Text
from smesdk.tree import ROOT

if TYPE_CHECKING:
    from smesdk.framework import Framework

_HUNDRED = Fraction(100)
_LEFT_OUT = {"na", "not_applicable", "unscored"}
_ABSENT = {"na", "not_applicable", "unanswered", "prerequisite_unmet"}


@attrs.define
class _Scored:
    """Working state of one indicator while scoring."""

    status: str
    value: Any = None
    points: Fraction = Fraction(0)
    answer: Answer | None = None
    note: str | None = None


def _present(item: _Scored) -> bool:
    """Whether the indicator has an answer to show (unscored ones may have none)."""
    return item.status not in _ABSENT and item.value is not None


def _applies(rule: Applicability | None, ent: Enterprise) -> bool:
    if rule is None:
        return True
    if rule.sizes and ent.size not in rule.sizes:
        return False
    return not (rule.industries and (ent.industry or "") not in rule.industries)


def _satisfied(fw: Framework, dep: str, state: dict[str, _Scored]) -> bool:
    item = state.get(dep)
    if item is None:  # the prerequisite's own answer has a problem, reported on its own
        return True
    if item.status in _ABSENT:
        return False
    if fw.scored[dep]:
        return item.points > 0
    return bool(item.value)


def _score_indicators(
    fw: Framework, answers: AnswerSet
) -> tuple[dict[str, _Scored], list[Problem], list[Warning]]:
    problems: list[Problem] = []
    warnings: list[Warning] = []
    for key in answers.answers:
        if key not in fw.kinds:
            close = difflib.get_close_matches(key, fw.indicator_ids, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem(f"answers.{key}", f"unknown indicator id{hint}"))
    if answers.profile is not None and answers.profile != fw.profile:
        warnings.append(Warning("profile_mismatch", Text(
            zh=f"答卷按配置 {answers.profile!r} 填写，但评分使用 {fw.profile!r}",
            en=f"the answers were made for profile {answers.profile!r} but are scored with "
               f"{fw.profile!r}")))
    state: dict[str, _Scored] = {}
    on = answers.date
    for iid in fw.order:
        ind = fw.nodes[iid].indicator
        assert ind is not None
        kind = fw.kinds[iid]
        where = f"answers.{iid}"
        ans = answers.answers.get(iid)
        if ans is None and ind.fact is not None and ind.fact in answers.facts:
            ans = answers.facts[ind.fact]
            where = f"facts.{ind.fact}"
        scored = fw.scored[iid]
        if not _applies(ind.applies_to, answers.enterprise):
            state[iid] = _Scored("not_applicable", answer=ans)
            continue
        unmet = [d for d in ind.depends_on if not _satisfied(fw, d, state)]
        if unmet:
            state[iid] = _Scored("prerequisite_unmet" if scored else "unscored", answer=ans,
                                 note="prerequisite not met: " + ", ".join(unmet))
            continue
        if ans is None:
            if ind.required:
                alt = f" (or give fact {ind.fact!r})" if ind.fact else ""
                problems.append(Problem(where, f"required answer missing{alt}"))
            else:
                state[iid] = _Scored("unanswered" if scored else "unscored")
                if scored:
                    warnings.append(Warning("unanswered", Text(zh="未作答，按 0 分计",
                                                               en="not answered: scored 0"), iid))
            continue
        if ans.na:
            if not ind.na_allowed:
                problems.append(Problem(where, "N/A is not allowed for this indicator"))
            elif not (ans.reason or "").strip():
                problems.append(Problem(where, "N/A needs a reason"))
            else:
                state[iid] = _Scored("na", answer=ans, note=ans.reason)
                warnings.append(Warning("na", Text(zh=f"不适用：{ans.reason}",
                                                   en=f"not applicable: {ans.reason}"), iid))
            continue
        try:
            value = kind.parse(ind, ans.value)
        except ValueError as exc:
            problems.append(Problem(where, str(exc)))
            continue
        status = "scored" if scored else "unscored"
        note = None
        expires = ans.evidence.expires if ans.evidence else None
        expired = expires is not None and expires < on
        if expired:
            assert expires is not None
            # Voided evidence counts as the worst answer (0 points for kinds with no order).
            ladder = kind.ladder(ind)
            if ladder:
                value = kind.parse(ind, ladder[0])
            status = "expired" if scored else "unscored"
            note = f"evidence expired on {expires.isoformat()}"
            warnings.append(Warning("expired", Text(
                zh=f"证据已于 {expires.isoformat()} 过期，按最低答案计",
                en=f"evidence expired on {expires.isoformat()}: scored as the lowest answer"), iid))
        if not scored or (expired and not kind.ladder(ind)):
            points = Fraction(0)
        else:
            points = kind.points(ind, value, on)
        state[iid] = _Scored(status, value=value, points=points, answer=ans, note=note)
    return state, problems, warnings


def answer_problems(fw: Framework, answers: AnswerSet) -> list[Problem]:
    state, problems, _ = _score_indicators(fw, answers)
    if not problems:
        problems = _na_cap_problems(fw, state)
    return problems


def _na_cap_problems(fw: Framework, state: dict[str, _Scored]) -> list[Problem]:
    problems = []
    for did in fw.dimension_ids:
        dim = fw.nodes[did].dimension
        assert dim is not None
        cap = dim.na_cap if dim.na_cap is not None else _inherited_cap(fw, did)
        if cap is None:
            continue
        ids = [i for i in _subtree_indicators(fw, did) if state[i].status not in
               ("not_applicable", "unscored")]
        na = [i for i in ids if state[i].status == "na"]
        if ids and Fraction(len(na), len(ids)) > frac(cap):
            problems.append(Problem(
                f"dimensions.{did}",
                f"{len(na)} of {len(ids)} indicators answered N/A, over the cap of "
                f"{fmt(round_out(frac(cap) * 100))} %"))
    return problems


def _inherited_cap(fw: Framework, did: str) -> Any:
    parent = fw.nodes[did].parent
    while parent:
        dim = fw.nodes[parent].dimension
        if dim is not None and dim.na_cap is not None:
            return dim.na_cap
        parent = fw.nodes[parent].parent
    return fw.spec.na_cap


def _subtree_indicators(fw: Framework, nid: str) -> list[str]:
    out = []
    for child in fw.children[nid]:
        if fw.nodes[child].indicator is not None:
            out.append(child)
        else:
            out.extend(_subtree_indicators(fw, child))
    return out


@attrs.define
class _Tree:
    """Scores of every node (fractions of 1; None when left out) and nominal shares."""

    score: dict[str, Fraction | None]
    max_points: dict[str, Fraction]
    share: dict[str, Fraction]
    linear: dict[str, bool]


def _aggregate(fw: Framework, state: dict[str, _Scored]) -> _Tree:
    score: dict[str, Fraction | None] = {}
    max_points: dict[str, Fraction] = {}
    for iid, item in state.items():
        if item.status in _LEFT_OUT:
            score[iid] = None
            max_points[iid] = Fraction(0)
        else:
            mx = fw.max_points[iid]
            score[iid] = item.points / mx if mx else Fraction(0)
            max_points[iid] = mx
    included: dict[str, list[Child]] = {}
    for did in reversed(fw.dimension_ids):
        dim = fw.nodes[did].dimension
        assert dim is not None
        kids = _included_children(fw, did, score, max_points)
        included[did] = kids
        agg = fw.registry.aggregations.get(dim.aggregation)
        assert agg is not None
        score[did] = agg.combine(kids, dim.params) if kids else None
        max_points[did] = sum((c.max_points for c in kids), Fraction(0))
    root_kids = _included_children(fw, ROOT, score, max_points)
    included[ROOT] = root_kids
    root_agg = fw.registry.aggregations.get(fw.spec.aggregation)
    assert root_agg is not None
    score[ROOT] = root_agg.combine(root_kids, fw.spec.params) if root_kids else Fraction(0)
    max_points[ROOT] = sum((c.max_points for c in root_kids), Fraction(0))

    share: dict[str, Fraction] = {ROOT: _HUNDRED}
    linear: dict[str, bool] = {ROOT: True}
    for nid in [ROOT, *fw.dimension_ids]:
        kids = included.get(nid, [])
        if nid not in share or not kids:
            continue
        agg_name = fw.spec.aggregation if nid == ROOT else fw.nodes[nid].dimension.aggregation  # type: ignore[union-attr]
        agg = fw.registry.aggregations.get(agg_name)
        assert agg is not None
        key = (nid, tuple(c.id for c in kids))
        cached = fw.share_cache.get(key)
        if cached is None:
            parts = agg.shares(kids)
            own_linear = parts is not None
            if parts is None:  # nominal shares by weight, used to rank gaps
                total_w = sum((c.weight for c in kids), Fraction(0))
                parts = [c.weight / total_w if total_w else Fraction(0) for c in kids]
            cached = fw.share_cache[key] = (parts, own_linear)
        parts, own_linear = cached
        is_linear = own_linear and linear[nid]
        prefix = f"{nid}." if nid else ""
        for child, part in zip(kids, parts, strict=True):
            cid = prefix + child.id
            share[cid] = share[nid] * part
            linear[cid] = is_linear
    return _Tree(score, max_points, share, linear)


def _included_children(fw: Framework, nid: str, score: dict[str, Fraction | None],
                       max_points: dict[str, Fraction]) -> list[Child]:
    out = []
    for cid in fw.children[nid]:
        node = fw.nodes[cid]
        item = node.indicator or node.dimension
        assert item is not None
        s = score.get(cid)
        if s is None or not item.scored:
            continue
        tier = node.indicator.tier if node.indicator is not None else None
        out.append(Child(node.local_id, s, fw.weights[cid], max_points[cid], tier))
    return out


def _view(fw: Framework, answers: AnswerSet, state: dict[str, _Scored], tree: _Tree) -> ScoreView:
    facts: dict[str, Any] = {k: v.value for k, v in answers.facts.items() if not v.na}
    ind_answer: dict[str, Any] = {}
    ind_level: dict[str, Fraction | None] = {}
    ind_score: dict[str, Fraction | None] = {}
    ind_points: dict[str, Fraction] = {}
    for iid, item in state.items():
        ind = fw.nodes[iid].indicator
        assert ind is not None
        kind = fw.kinds[iid]
        present = _present(item)
        ind_answer[iid] = kind.to_json(item.value) if present else None
        ind_level[iid] = kind.level(ind, item.value) if present else None
        s = tree.score[iid]
        ind_score[iid] = s * _HUNDRED if s is not None else None
        ind_points[iid] = item.points
        if ind.fact and present:
            facts[ind.fact] = ind_answer[iid]
    dim_score = {d: (s * _HUNDRED if (s := tree.score[d]) is not None else None)
                 for d in fw.dimension_ids}
    dim_points = {d: (tree.score[d] or Fraction(0)) * tree.max_points[d] for d in fw.dimension_ids}
    total = (tree.score[ROOT] or Fraction(0)) * _HUNDRED
    return ScoreView(total, dim_score, dim_points, ind_score, ind_points, ind_level, ind_answer,
                     facts, fw.spec.sets, fw.names)


def _exports(fw: Framework, view: ScoreView, outcome: LevelOutcome) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, expr in sorted(fw.spec.exports.items()):
        value: Any
        if expr == "total":
            value = decimal_to_json(round_out(view.total))
        elif expr == "level":
            value = outcome.level.id if outcome.level else None
        elif expr == "level_rank":
            value = outcome.level.rank if outcome.level else 0
        else:
            scope, nid, measure = expr.split(":")
            if scope == "dim":
                raw = view.dim_score[nid] if measure == "score" else view.dim_points[nid]
            elif measure == "answer":
                raw = view.ind_answer[nid]
            elif measure == "score":
                raw = view.ind_score[nid]
            elif measure == "points":
                raw = view.ind_points[nid]
            else:
                raw = view.ind_level[nid]
            value = decimal_to_json(round_out(raw)) if isinstance(raw, Fraction) else raw
        out[key] = value
    return out


def _opt(value: Fraction | None) -> Any:
    return round_out(value) if value is not None else None


def score(fw: Framework, answers: AnswerSet) -> Result:
    """Score ``answers`` against ``fw``; raise AnswerError listing every problem."""
    state, problems, warnings = _score_indicators(fw, answers)
    if not problems:
        problems = _na_cap_problems(fw, state)
    if problems:
        raise AnswerError(problems, title=f"the answers do not fit framework {fw.id!r}:")
    tree = _aggregate(fw, state)
    view = _view(fw, answers, state, tree)
    rule = fw.registry.level_rules.get(fw.spec.level_rule)
    assert rule is not None
    outcome = rule.decide(fw.spec, view) if fw.spec.levels else LevelOutcome(None, None, [])

    indicators = []
    gaps: list[tuple[Fraction, str, Fraction, Fraction]] = []
    for iid in fw.indicator_ids:
        ind = fw.nodes[iid].indicator
        assert ind is not None
        item = state[iid]
        kind = fw.kinds[iid]
        s = tree.score[iid]
        s100 = view.ind_score[iid]
        share = tree.share.get(iid)
        present = _present(item)
        rule_text = kind.explain(ind, item.value) if present else _absent_rule(item)
        evidence = item.answer.evidence if item.answer is not None else None
        indicators.append(IndicatorResult(
            id=iid, status=item.status,  # type: ignore[arg-type]
            answer=view.ind_answer[iid], rule=rule_text,
            points=round_out(item.points), max_points=round_out(fw.max_points[iid]),
            score=_opt(s100),
            weight=round_out(fw.weights[iid]),
            share=_opt(share) if s is not None else None,
            contribution=_opt(s * share) if s is not None and share is not None and
            tree.linear.get(iid) else None,
            source=ind.source,
            evidence=unstructure(evidence) if evidence is not None else None,
            note=item.note,
        ))
        if s is not None and fw.scored[iid]:
            target = frac(ind.target) if ind.target is not None else Fraction(1)
            if s < target:
                gaps.append(((target - s) * (share or Fraction(0)), iid, s, target))
    gaps.sort(key=lambda g: (-g[0], g[1]))

    dimensions = []
    for did in fw.dimension_ids:
        dim = fw.nodes[did].dimension
        assert dim is not None
        s = tree.score[did]
        share = tree.share.get(did)
        dimensions.append(DimensionResult(
            id=did, title=dim.title, score=_opt(s * _HUNDRED if s is not None else None),
            points=round_out((s or Fraction(0)) * tree.max_points[did]),
            max_points=round_out(tree.max_points[did]), weight=round_out(fw.weights[did]),
            share=_opt(share) if s is not None else None,
            contribution=_opt(s * share) if s is not None and share is not None and
            tree.linear.get(did) else None,
            aggregation=dim.aggregation, scored=dim.scored,
        ))

    return Result(
        provenance=Provenance(fw.id, fw.version, fw.content_hash, fw.profile, _smesdk_version()),
        enterprise=answers.enterprise,
        assessed_on=answers.date,
        assessor=answers.assessor,
        total=round_out(view.total),
        level=outcome.level,
        next_level=outcome.next_level,
        caps=outcome.caps,
        dimensions=dimensions,
        indicators=indicators,
        gaps=[Gap(iid, round_out(s * _HUNDRED), round_out(t * _HUNDRED), round_out(impact))
              for impact, iid, s, t in gaps],
        recommendations=_recommendations(fw, gaps),
        warnings=warnings,
        facts=_exports(fw, view, outcome),
    )


def _absent_rule(item: _Scored) -> Text:
    return {
        "na": Text(zh=f"不适用（{item.note}），不计入分母", en=f"N/A ({item.note}): left out"),
        "not_applicable": Text(zh="不适用于该企业类型，不计入", en="does not apply to this firm"),
        "unanswered": Text(zh="未作答，按 0 分计", en="not answered: 0 points"),
        "prerequisite_unmet": Text(zh=f"前提未满足（{item.note}），按 0 分计",
                                   en=f"{item.note}: 0 points"),
        "unscored": Text(zh="不计分", en="not scored"),
    }.get(item.status, Text(zh="", en=""))


def _recommendations(fw: Framework, gaps: list[tuple[Fraction, str, Fraction, Fraction]]
                     ) -> list[Recommendation]:
    out = []
    for impact, iid, _, _ in gaps:
        ind = fw.nodes[iid].indicator
        assert ind is not None
        text = ind.recommendation
        parent = fw.nodes[iid].parent
        while text is None and parent:
            text = fw.nodes[parent].dimension.recommendation  # type: ignore[union-attr]
            parent = fw.nodes[parent].parent
        if text is not None:
            out.append(Recommendation(text=text, source=ind.source, indicator=iid,
                                      impact=round_out(impact)))
    return out


def _smesdk_version() -> str:
    from smesdk import __version__

    return __version__
