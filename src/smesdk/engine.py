"""The scoring engine: answers -> indicator points -> dimension scores -> total -> level.

All arithmetic is exact (Fractions); numbers are rounded once, when the Result is built.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from math import gcd
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from smesdk.answer_checks import fact_conflict
from smesdk.answers import Answer, AnswerSet
from smesdk.cells import ATOMS, EXACT_TEXT, Cell, cell_for, value_key
from smesdk.convert import unstructure
from smesdk.enterprise import applies, enterprise_problems
from smesdk.errors import AnswerError, Problem
from smesdk.gates import ScoreView
from smesdk.layout import Layout, layout_for
from smesdk.levels import LevelOutcome
from smesdk.numbers import fmt, frac, json_number, round_out, round_ratio
from smesdk.result import (
    DimensionResult,
    Gap,
    IndicatorResult,
    Provenance,
    Recommendation,
    Result,
    Warning,
)
from smesdk.statuses import (
    ABSENT,
    LEFT_OUT,
    PREREQUISITE_NOTE,
    SHIFTING,
    IndicatorStatus,
    absent_rule,
)
from smesdk.text import Text
from smesdk.tree import ROOT

if TYPE_CHECKING:
    from smesdk.framework import Framework

#: Result pieces remembered per layout before the memo starts afresh.
MAX_MEMO = 100_000
_ZERO = Fraction(0)
_ONE = Fraction(1)
_HUNDRED = Fraction(100)
#: "Not worked out yet" in the lazy per-view tables (None is a value there).
_UNREAD: Any = object()
_LEFT_OUT = LEFT_OUT
_SHIFTING = SHIFTING
_ABSENT = ABSENT
S = IndicatorStatus
#: Statuses that do not count towards a dimension's N/A cap.
_FIXED_OUT = frozenset({S.NOT_APPLICABLE, S.UNSCORED})


class _Scored:
    """Working state of one indicator while scoring (a plain remembered answer is represented
    by its :class:`~smesdk.cells.Cell` itself, which has the same attributes)."""

    __slots__ = ("cell", "given", "note", "piece", "points", "status", "value")

    def __init__(self, status: IndicatorStatus, value: Any = None, points: Fraction = _ZERO,
                 given: Answer | None = None, note: str | None = None,
                 cell: Cell | None = None) -> None:
        self.status = status
        self.value = value
        self.points = points
        self.given = given
        self.note = note
        self.cell = cell  # set when the answer was scored the ordinary way
        #: Only a remembered cell's trace piece is remembered (per layout); this state is made
        #: for one assessment (N/A, not applicable, evidence, a note), so its piece is not.
        self.piece = False


#: One indicator's working state: a remembered cell, or a _Scored made for this assessment.
_Item = _Scored | Cell


def _present(item: _Item) -> bool:
    """Whether the indicator has an answer to show (unscored ones may have none)."""
    return item.status not in _ABSENT and item.value is not None


def _satisfied(fw: Framework, dep: str, state: dict[str, _Item]) -> bool:
    item = state.get(dep)
    if item is None:  # the prerequisite's own answer has a problem, reported on its own
        return True
    if item.status in _ABSENT:
        return False
    if fw.scored[dep]:
        return item.points > 0
    return bool(item.value)


#: Answer types whose memo key is (type, value) itself (see smesdk.cells.value_key).
_UNANSWERED = Text(zh="未作答，按 0 分计", en="not answered: scored 0")


def _unknown_ids(fw: Framework, answers: AnswerSet) -> list[Problem]:
    problems = []
    for key in answers.answers:
        if key not in fw.kinds:
            close = difflib.get_close_matches(key, fw.indicator_ids, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem(f"answers.{key}", f"unknown indicator id{hint}"))
    return problems


def _score_indicators(
    fw: Framework, answers: AnswerSet
) -> tuple[dict[str, _Item], list[Problem], list[Warning], frozenset[str]]:
    """Each indicator's working state, the problems and warnings, and the indicators left
    out in this answer set only (N/A, not applicable: they choose the layout)."""
    problems: list[Problem] = []
    warnings: list[Warning] = []
    if not answers.answers.keys() <= fw.kinds.keys():  # one check in C for the usual case
        problems += _unknown_ids(fw, answers)
    problems += enterprise_problems(fw.spec, answers.enterprise)
    if answers.profile is not None and answers.profile != fw.profile:
        warnings.append(Warning("profile_mismatch", Text(
            zh=f"答卷按配置 {answers.profile!r} 填写，但评分使用 {fw.profile!r}",
            en=f"the answers were made for profile {answers.profile!r} but are scored with "
               f"{fw.profile!r}")))
    state: dict[str, _Item] = {}
    slow: list[str] = []  # the indicators not settled by a remembered cell at once
    on = answers.date
    given = answers.answers
    facts = answers.facts
    ent = answers.enterprise
    cells = fw.cells
    for iid, ind, kind, scored, maxp, scale, plain, dated in (
            fw.steps if facts else fw.steps_without_facts):
        ans = given.get(iid)
        if plain and ans is not None and ans.evidence is None and not ans.na:
            raw = ans.value
            t = type(raw)
            # The key smesdk.cells.value_key gives, by its own type sets, inline (a call per
            # indicator cost more than the look-up).
            vk = (t, raw) if t in ATOMS else (t, repr(raw)) if t in EXACT_TEXT else \
                value_key(raw) if t is list else None
            if vk is not None:
                cell = cells.get((iid, vk))
                if cell is not None:
                    state[iid] = cell
                    continue
        slow.append(iid)
        where = None
        if ind.fact is not None and ind.fact in facts:
            if ans is None:
                ans = facts[ind.fact]
                where = f"facts.{ind.fact}"
            else:  # both given: they must agree, or the answer would silently win
                conflict = fact_conflict(fw, iid, ans, facts[ind.fact])
                if conflict is not None:
                    problems.append(conflict)
                    continue
        if ind.applies_to is not None and not applies(ind.applies_to, ent, fw.spec):
            state[iid] = _Scored(S.NOT_APPLICABLE, given=ans)
            continue
        if ind.depends_on:
            unmet = [d for d in ind.depends_on if not _satisfied(fw, d, state)]
            if unmet:
                state[iid] = _Scored(S.PREREQUISITE_UNMET if scored else S.UNSCORED, given=ans,
                                     note=PREREQUISITE_NOTE + ", ".join(unmet))
                continue
        if ans is None:
            if ind.required:
                alt = f" (or give fact {ind.fact!r})" if ind.fact else ""
                problems.append(Problem(f"answers.{iid}", f"required answer missing{alt}"))
            else:
                state[iid] = _Scored(S.UNANSWERED if scored else S.UNSCORED)
                if scored:
                    warnings.append(Warning("unanswered", _UNANSWERED, iid))
            continue
        if ans.na:
            where = where or f"answers.{iid}"
            if not ind.na_allowed:
                problems.append(Problem(where, "N/A is not allowed for this indicator"))
            elif not (ans.reason or "").strip():
                problems.append(Problem(where, "N/A needs a reason"))
            else:
                state[iid] = _Scored(S.NA, given=ans, note=ans.reason)
                warnings.append(Warning("na", Text(zh=f"不适用：{ans.reason}",
                                                   en=f"not applicable: {ans.reason}"), iid))
            continue
        raw = ans.value
        t = type(raw)
        # The common case inline: a plain value of a pure kind, remembered already.
        memo_key = ((iid, (t, raw)) if not dated else (iid, (t, raw), on)) \
            if t in ATOMS and kind.cacheable else None
        cell = cells.get(memo_key) if memo_key is not None else None
        if cell is None:
            try:
                cell, memo_key = cell_for(cells, iid, kind, ind, raw, on, maxp, scored, scale,
                                          dated=dated)
            except ValueError as exc:
                # A kind may name the parts of the answer at fault (a grid's cells).
                base = where or f"answers.{iid}"
                parts = getattr(exc, "parts", None) or [("", str(exc))]
                problems += [Problem(base + part, message) for part, message in parts]
                continue
        evidence = ans.evidence
        expires = evidence.expires if evidence is not None else None
        if evidence is None:
            state[iid] = cell  # the same as the fast path above (the cell knows its memo key)
            continue
        if expires is None or expires >= on:
            state[iid] = _Scored(S.SCORED if scored else S.UNSCORED, cell.value, cell.points, ans,
                                 cell=cell)
            continue
        # Voided evidence counts as the worst answer (0 points for kinds with no order).
        value = cell.value
        ladder = kind.ladder(ind)
        if ladder:
            value = kind.parse(ind, ladder[0])
        warnings.append(Warning("expired", Text(
            zh=f"证据已于 {expires.isoformat()} 过期，按最低答案计",
            en=f"evidence expired on {expires.isoformat()}: scored as the lowest answer"), iid))
        points = kind.points(ind, value, on) if scored and ladder else _ZERO
        state[iid] = _Scored(S.EXPIRED if scored else S.UNSCORED, value=value, points=points,
                             given=ans, note=f"evidence expired on {expires.isoformat()}")
    # A remembered cell is scored, never left out: only the few indicators settled the long
    # way are looked at (a pass over all 87 of management's took 3-4 us).
    left_out = frozenset([iid for iid in slow if iid in state and state[iid].status in _SHIFTING])
    return state, problems, warnings, left_out


def answer_problems(fw: Framework, answers: AnswerSet) -> list[Problem]:
    state, problems, _, _ = _score_indicators(fw, answers)
    if not problems:
        problems = _na_cap_problems(fw, state)
    return problems


def _na_cap_problems(fw: Framework, state: dict[str, _Item]) -> list[Problem]:
    problems = []
    for did, ids, cap in fw.na_caps:
        considered = [i for i in ids if state[i].status not in _FIXED_OUT]
        na = sum(1 for i in considered if state[i].status is S.NA)
        if considered and Fraction(na, len(considered)) > cap:
            problems.append(Problem(
                f"dimensions.{did}",
                f"{na} of {len(considered)} indicators answered N/A, over the cap of "
                f"{fmt(round_out(cap * 100))} %"))
    return problems


def _dot(parts: list[Fraction], scores: list[Fraction]) -> Fraction:
    """sum(part * score), exactly, with integer arithmetic and a single normalisation."""
    num, den = 0, 1
    for p, s in zip(parts, scores, strict=True):
        n = p.numerator * s.numerator
        if not n:
            continue
        d = p.denominator * s.denominator
        if d == den:
            num += n
        else:
            g = gcd(den, d)
            num = num * (d // g) + n * (den // g)
            den = den // g * d
    return Fraction(num, den)


class _Nodes:
    """Every node's score as a fraction of 1 (None when left out).

    Nodes on the layout's integer plan keep an integer at the layout's fixed scale
    (``units``); their Fraction is made only when something asks for it.
    """

    __slots__ = ("den", "score", "units")

    def __init__(self, den: dict[str, int]) -> None:
        self.score: dict[str, Fraction | None] = {}
        self.units: dict[str, int] = {}
        self.den = den

    def __getitem__(self, nid: str) -> Fraction | None:
        s: Fraction | None = self.score.get(nid, _UNREAD)
        if s is _UNREAD:  # a node on the integer plan, asked for the first time
            s = self.score[nid] = Fraction(self.units[nid], self.den[nid])
        return s


def _aggregate(fw: Framework, state: dict[str, _Item], layout: Layout) -> _Nodes:
    nodes = _Nodes(layout.den)
    score = nodes.score
    units = nodes.units
    max_points = layout.max_points
    scales = fw.scales
    for iid, item in state.items():
        if item.status in _LEFT_OUT:
            score[iid] = None
            continue
        cell = item.cell
        if cell is not None:
            score[iid] = cell.score
            if cell.units is not None:
                units[iid] = cell.units
            continue
        mx = max_points[iid]
        score[iid] = item.points / mx if mx else _ZERO
        scale = scales[iid]
        if scale is not None:
            u = item.points * scale
            if u.denominator == 1:
                units[iid] = u.numerator
    # Linear nodes at fixed scales: integer sums, no Fractions.
    for nid in layout.off_plan if layout.fill_units(units) else fw.bottom_up:
        if nid in units:  # summed on the plan above
            continue
        kids = layout.included[nid]
        if not kids:
            score[nid] = None if nid else _ZERO
        elif layout.dot[nid]:
            score[nid] = _dot(layout.parts[nid], [nodes[c] for c in kids])  # type: ignore[misc]
        else:
            dim = fw.nodes[nid].dimension if nid else None
            params = dim.params if dim is not None else fw.spec.params
            children = [fw.child_view(c, nodes[c], max_points[c]) for c in kids]  # type: ignore[arg-type]
            score[nid] = layout.agg[nid].combine(children, params)
    return nodes


class _Lazy(Mapping[str, Any]):
    """One measure of every indicator (answer, level, score, points), computed when read."""

    __slots__ = ("_cache", "_get", "_keys")

    def __init__(self, keys: dict[str, Any], get: Any) -> None:
        self._keys = keys
        self._get = get
        self._cache: dict[str, Any] = {}

    # Most reads are a view's first of that indicator: a sentinel, not a caught KeyError
    # (raising costs more than the whole read).
    def __getitem__(self, key: str) -> Any:
        value = self._cache.get(key, _UNREAD)
        if value is _UNREAD:
            if key not in self._keys:
                raise KeyError(key)
            value = self._cache[key] = self._get(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        value = self._cache.get(key, _UNREAD)
        if value is _UNREAD:
            if key not in self._keys:
                return default
            value = self._cache[key] = self._get(key)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys


def _view(fw: Framework, answers: AnswerSet, state: dict[str, _Item], nodes: _Nodes,
          dims: list[tuple[Fraction | None, Fraction, DimensionResult]]) -> ScoreView:
    def answer(iid: str) -> Any:
        item = state[iid]
        if not _present(item):
            return None
        return item.cell.answer if item.cell is not None else fw.kinds[iid].to_json(item.value)

    def level(iid: str) -> Fraction | None:
        item = state[iid]
        if not _present(item):
            return None
        if item.cell is not None:
            return item.cell.level
        ind = fw.nodes[iid].indicator
        assert ind is not None
        return fw.kinds[iid].level(ind, item.value)

    def score100(iid: str) -> Fraction | None:
        item, s = state[iid], nodes[iid]
        if s is None:
            return None
        return item.cell.score100 if item.cell is not None else s * _HUNDRED

    def points(iid: str) -> Fraction:
        return state[iid].points

    ind_answer = _Lazy(fw.scored, answer)
    facts: dict[str, Any] = {k: v.value for k, v in answers.facts.items() if not v.na}
    for iid, fact in fw.fact_steps:
        if _present(state[iid]):
            facts[fact] = ind_answer[iid]
    # Read when asked: a level rule reads a few dimensions, if any (two mappings of all 39 of
    # management's took 3 us a record).
    at = _places(fw.dimension_ids)
    dim_score = _Lazy(at, lambda did: dims[at[did]][0])
    dim_points = _Lazy(at, lambda did: dims[at[did]][1])
    root = nodes.units.get(ROOT)  # on the integer plan: one Fraction, not two and a product
    total = Fraction(root * 100, nodes.den[ROOT]) if root is not None else \
        (nodes[ROOT] or _ZERO) * _HUNDRED
    return ScoreView(total, dim_score, dim_points, _Lazy(fw.scored, score100),
                     _Lazy(fw.scored, points), _Lazy(fw.scored, level), ind_answer,
                     facts, fw.spec.sets, fw.names, fw.spec.set_titles)


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> None:
    if len(memo) >= MAX_MEMO:  # bounded: numeric answers can take endless values
        memo.clear()
    memo[key] = value


def _dimension(fw: Framework, did: str, nodes: _Nodes, layout: Layout
               ) -> tuple[Fraction | None, Fraction, DimensionResult]:
    """A dimension's score (0-100), points and trace; the same score in the same layout is
    remembered, as small dimensions take the same few scores across many answer sets.
    Nodes on the integer plan are keyed by their integer, so no Fraction is made on a hit."""
    u = nodes.units.get(did)
    key = (did, u) if u is not None else (did, "exact", nodes[did])
    done: tuple[Fraction | None, Fraction, DimensionResult] | None = layout.memo.get(key)
    if done is not None:
        return done
    dim = fw.nodes[did].dimension
    assert dim is not None
    share = layout.share.get(did)
    linear = share is not None and layout.linear.get(did)
    if u is not None:
        # On the integer plan the score is u / den: each figure is rounded from its integer
        # ratio, and only the two the view may read become Fractions (a new score of a
        # large dimension is met about once a fresh management record).
        den, top = nodes.den[did], layout.max_points[did]
        score100: Fraction | None = Fraction(100 * u, den)
        points = Fraction(u * top.numerator, den * top.denominator)
        score_r: Decimal | None = round_ratio(100 * u, den)
        contribution = round_ratio(u * share.numerator, den * share.denominator) \
            if share is not None and linear else None
    else:
        s = nodes[did]
        score100 = s * _HUNDRED if s is not None else None
        points = (s or _ZERO) * layout.max_points[did]
        score_r = _opt(score100)
        contribution = _opt(s * share) if s is not None and share is not None and linear \
            else None
    trace = DimensionResult(
        id=did, title=dim.title, score=score_r, points=round_out(points),
        max_points=layout.max_points_r[did], weight=fw.weights_r[did],
        share=layout.share_r.get(did) if score100 is not None else None,
        contribution=contribution, aggregation=dim.aggregation, scored=dim.scored,
    )
    done = (score100, points, trace)
    _remember(layout.memo, key, done)
    return done


def _exports(fw: Framework, view: ScoreView, outcome: LevelOutcome) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, expr in sorted(fw.spec.exports.items()):
        value: Any
        if expr == "total":
            value = json_number(view.total)
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
            value = json_number(raw) if isinstance(raw, Fraction) else raw
        out[key] = value
    return out


def _opt(value: Fraction | None) -> Any:
    return round_out(value) if value is not None else None


#: One indicator's part of a result: its trace, and its gap if any: (impact, id, gap, advice,
#: impact as a float, the float sort key (its negative), the id's place among the
#: framework's ids sorted).
_GapEntry = tuple[Fraction, str, Gap, "Recommendation | None", float, float, int]
_Piece = tuple[IndicatorResult, "_GapEntry | None"]
#: Tags the layout memo's keys of pieces without an answer (other keys are cells and ids).
_ABSENT_PIECE = object()
_FLOAT = itemgetter(4)
_LARGEST_FIRST = itemgetter(5)
_BY_ID = itemgetter(6)
_GAP = itemgetter(2)
_ADVICE = itemgetter(3)


class _Floats:
    """Which impact floats stand for more than one exact impact, over every gap entry made
    in this process, so that :func:`_rank` can trust a sort on floats without comparing the
    exact impacts on each assessment. Entries are made when a gap is first met (then
    remembered with the framework's pieces), not per assessment."""

    #: Floats remembered before the table stops growing (numeric answers are endless).
    LIMIT = 100_000

    def __init__(self) -> None:
        self.exact: dict[float, tuple[int, int]] = {}
        self.shared: set[float] = set()  # floats seen for two different exact impacts
        #: The table stopped growing: a float met after that may stand for two exacts unseen.
        self.unsure = False

    def note(self, as_float: float, ratio: tuple[int, int]) -> None:
        if len(self.exact) >= self.LIMIT and as_float not in self.exact:
            self.unsure = True
            return
        if self.exact.setdefault(as_float, ratio) != ratio:
            self.shared.add(as_float)

    def may_tie(self, gaps: list[_GapEntry]) -> bool:
        """Whether two different exact impacts among ``gaps`` may share a float."""
        return self.unsure or (bool(self.shared) and not self.shared.isdisjoint(map(_FLOAT, gaps)))


_FLOATS = _Floats()


def _rank(gaps: list[_GapEntry]) -> None:
    """Largest impact first, ties by id. Two sorts on plain ints and floats, which Python
    compares without the generic machinery (the second keeps the first's order among ties);
    only when two different exact impacts may share a float (:class:`_Floats`) is the exact
    order taken instead. This runs on every assessment: for management's 68 gaps, 4.3 us
    against 13.7 for one sort on (float, id) pairs and a set of exact ratios per run."""
    gaps.sort(key=_BY_ID)
    gaps.sort(key=_LARGEST_FIRST)
    if _FLOATS.may_tie(gaps):
        gaps.sort(key=lambda g: (-g[0], g[1]))


def _scored(fw: Framework, answers: AnswerSet
            ) -> tuple[dict[str, _Item], list[Warning], Layout, _Nodes, ScoreView,
                       list[DimensionResult]]:
    state, problems, warnings, left_out = _score_indicators(fw, answers)
    if not problems:
        problems = _na_cap_problems(fw, state)
    if problems:
        raise AnswerError(problems, title=f"the answers do not fit framework {fw.id!r}:")
    layout = layout_for(fw, left_out)
    scores = _aggregate(fw, state, layout)
    # A dimension on the integer plan is looked up by its integer inline (most are, and most
    # are remembered: a call per dimension cost more than the look-up).
    units, memo = scores.units, layout.memo
    dims = [memo.get((did, u)) or _dimension(fw, did, scores, layout)
            if (u := units.get(did)) is not None else _dimension(fw, did, scores, layout)
            for did in fw.dimension_ids]
    return (state, warnings, layout, scores, _view(fw, answers, state, scores, dims),
            [d[2] for d in dims])


def score_view(fw: Framework, answers: AnswerSet) -> ScoreView:
    """What gates and level rules see of ``answers`` (raises AnswerError like :func:`score`)."""
    return _scored(fw, answers)[4]


def score(fw: Framework, answers: AnswerSet) -> Result:
    """Score ``answers`` against ``fw``; raise AnswerError listing every problem."""
    state, warnings, layout, scores, view, dimensions = _scored(fw, answers)
    rule = fw.registry.level_rules.get(fw.spec.level_rule)
    assert rule is not None
    outcome = rule.decide(fw.spec, view) if fw.spec.levels else LevelOutcome(None, None, [])

    indicators = []
    gaps = []
    memo = layout.memo
    for iid in fw.indicator_ids:
        item = state[iid]
        # A piece depends on the answer and the layout only, unless evidence or a note is
        # attached to it: then it is built for this answer set alone. Only a remembered cell
        # has ``piece`` set, and it stands for one indicator, answer and status: the cell
        # itself is the key (hashed by identity, cheaper than its value).
        if item.piece:
            piece = memo.get(item)
            if piece is None:
                # A new layout mostly keeps each indicator's share: a piece built for the same
                # answer and share in another layout is the same piece.
                wide = (item, layout.share_key[iid])
                piece = fw.pieces.get(wide)
                if piece is None:
                    piece = _piece(fw, iid, item, scores[iid], view, layout)
                    _remember(fw.pieces, wide, piece)
                _remember(memo, item, piece)
        elif not _present(item) and (item.given is None or item.given.evidence is None):
            # No answer to show (N/A, not applicable, unanswered, unmet, unscored): the piece
            # is the status, its note and the score in this layout, the same for many firms.
            s = scores[iid]
            key = (_ABSENT_PIECE, iid, item.status, item.note, item.points, s)
            piece = memo.get(key)
            if piece is None:
                piece = _piece(fw, iid, item, s, view, layout)
                _remember(memo, key, piece)
        else:
            piece = _piece(fw, iid, item, scores[iid], view, layout)
        indicators.append(piece[0])
        if piece[1] is not None:
            gaps.append(piece[1])
    _rank(gaps)

    return Result(
        provenance=_provenance(fw),
        enterprise=answers.enterprise,
        assessed_on=answers.date,
        assessor=answers.assessor,
        total=round_out(view.total),
        level=outcome.level,
        next_level=outcome.next_level,
        caps=outcome.caps,
        dimensions=dimensions,
        indicators=indicators,
        gaps=list(map(_GAP, gaps)),
        recommendations=list(filter(None, map(_ADVICE, gaps))),  # a Recommendation is truthy
        warnings=warnings,
        facts=_exports(fw, view, outcome) if fw.spec.exports else {},
    )


def _piece(fw: Framework, iid: str, item: _Item, s: Fraction | None, view: ScoreView,
           layout: Layout) -> _Piece:
    ind = fw.nodes[iid].indicator
    assert ind is not None
    cell = item.cell
    if _present(item):
        rule_text = cell.rule if cell is not None else fw.kinds[iid].explain(ind, item.value)
    else:
        rule_text = absent_rule(item.status, item.note)
    evidence = item.given.evidence if item.given is not None else None
    # round_out(s × 100): a cell's rounded once, when it was made
    score_r = (cell.score_r if cell is not None else _opt(view.ind_score[iid])) \
        if s is not None else None
    if s is not None and cell is not None and cell.units is not None:
        # A new answer mostly scores what an earlier one did (numbers fall in a few bands):
        # the points at the indicator's scale and the share settle the rest of the piece.
        key = (_STANDING, iid, cell.units, layout.share_key[iid])
        standing = fw.pieces.get(key)
        if standing is None:
            standing = _standing(fw, iid, s, score_r, layout)
            _remember(fw.pieces, key, standing)
    else:
        standing = _standing(fw, iid, s, score_r, layout)
    trace = IndicatorResult(
        id=iid, status=item.status,
        answer=view.ind_answer[iid], rule=rule_text,
        points=cell.points_r if cell is not None else round_out(item.points),
        max_points=fw.max_points_r[iid],
        score=score_r,
        weight=fw.weights_r[iid],
        share=layout.share_r.get(iid) if s is not None else None,
        contribution=standing[0],
        source=ind.source,
        evidence=unstructure(evidence) if evidence is not None else None,
        note=item.note,
    )
    return trace, standing[1]


#: Tags the pieces' memo keys of _standing's parts (other keys are cells with shares).
_STANDING = object()


def _standing(fw: Framework, iid: str, s: Fraction | None, score_r: Decimal | None,
              layout: Layout) -> tuple[Decimal | None, _GapEntry | None]:
    """What an indicator's piece takes from its score ``s`` and its share alone: its
    contribution (rounded; None unless contributions add up) and its gap, if any."""
    share = layout.share.get(iid)
    contribution = s * share if s is not None and share is not None else None
    contribution_r = round_out(contribution) if contribution is not None and \
        layout.linear.get(iid) else None
    if s is None or not fw.scored[iid]:
        return contribution_r, None
    ind = fw.nodes[iid].indicator
    assert ind is not None
    target = frac(ind.target) if ind.target is not None else _ONE
    if s >= target:
        return contribution_r, None
    # (target - s) × share, from the contribution s × share already made
    impact = (target * share - contribution if target is not _ONE else share - contribution) \
        if share and contribution is not None else _ZERO
    impact_r = round_out(impact)
    assert score_r is not None  # s is not None
    # The target's rounded percentage is the same on every record.
    gap = Gap(iid, score_r, _percent(ind.target), impact_r)
    return contribution_r, _gap_entry(impact, iid, gap, _recommendation(fw, iid, impact_r),
                                      _places(fw.indicator_ids, by_id=True)[iid])


@functools.lru_cache(maxsize=1024)
def _percent(target: Decimal | None) -> Decimal:
    """An indicator's target (a share of its maximum, 1 when it sets none) on 0-100, rounded."""
    return round_out((frac(target) if target is not None else _ONE) * _HUNDRED)


def _gap_entry(impact: Fraction, iid: str, gap: Gap, advice: Recommendation | None,
               place: int = 0) -> _GapEntry:
    """A gap as :func:`_rank` sorts it; ``place`` is the id's among the framework's ids sorted
    (:func:`_places`): ties in impact go by id, and ints sort faster than text."""
    as_float = float(impact)
    _FLOATS.note(as_float, impact.as_integer_ratio())
    return impact, iid, gap, advice, as_float, -as_float, place


#: (id(ids), by_id) -> (ids, each id's place in them or among them sorted); the list is kept
#: so that its id cannot be reused meanwhile (as gates._LIMITS keeps its tests).
_PLACES: dict[tuple[int, bool], tuple[list[str], dict[str, int]]] = {}


def _places(ids: list[str], *, by_id: bool = False) -> dict[str, int]:
    """Each of a framework's ids (indicators or dimensions) by its place in ``ids``, or
    (``by_id``) among them sorted, found by the list's identity: a key of its ids cost a
    microsecond."""
    key = (id(ids), by_id)
    hit = _PLACES.get(key)
    if hit is None or hit[0] is not ids:
        if len(_PLACES) > 1024:
            _PLACES.clear()
        hit = _PLACES[key] = (ids, {iid: k for k, iid in enumerate(sorted(ids) if by_id
                                                                   else ids)})
    return hit[1]


def _recommendation(fw: Framework, iid: str, impact: Decimal) -> Recommendation | None:
    """The indicator's advice, or its nearest dimension's, for closing its gap (``impact``
    rounded)."""
    ind = fw.nodes[iid].indicator
    assert ind is not None
    text = ind.recommendation
    parent = fw.nodes[iid].parent
    while text is None and parent:
        text = fw.nodes[parent].dimension.recommendation  # type: ignore[union-attr]
        parent = fw.nodes[parent].parent
    if text is None:
        return None
    return Recommendation(text=text, source=ind.source, indicator=iid, impact=impact)


#: Tags the framework's provenance among its remembered pieces.
_PROVENANCE = object()


def _provenance(fw: Framework) -> Provenance:
    """The framework's provenance stamp: immutable and the same on each of its results, so
    made once (kept with its pieces) rather than per assessment (1 us)."""
    found: Provenance | None = fw.pieces.get(_PROVENANCE)
    if found is None:
        found = Provenance(fw.id, fw.version, fw.content_hash, fw.profile, _smesdk_version())
        _remember(fw.pieces, _PROVENANCE, found)
    return found


@functools.cache
def _smesdk_version() -> str:
    from smesdk import __version__

    return __version__
