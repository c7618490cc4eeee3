"""A loaded framework: a validated, profile-resolved spec compiled for scoring."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Protocol

from smesdk.aggregations import Aggregation, Child
from smesdk.cells import Cell
from smesdk.convert import unstructure
from smesdk.errors import Problem, SpecError
from smesdk.kinds import AnswerKind
from smesdk.numbers import frac, round_out
from smesdk.profiles import resolve
from smesdk.registry import Registry
from smesdk.result import remember_origin
from smesdk.spec import Dimension, FrameworkSpec, Indicator
from smesdk.text import Text
from smesdk.tree import ROOT, Node, walk
from smesdk.validate import check_spec

if TYPE_CHECKING:
    from smesdk.answers import AnswerSet
    from smesdk.layout import Layout
    from smesdk.result import Result


class ResultHooks(Protocol):
    """What the plugin host adds to a result after scoring (see hookspecs)."""

    def after_scoring(self, framework: Framework, answers: AnswerSet, result: Result) -> Result: ...


class Framework:
    """A framework ready to score answer sets. Build it with :meth:`from_spec`."""

    def __init__(
        self,
        spec: FrameworkSpec,
        *,
        registry: Registry,
        base: FrameworkSpec | None = None,
        profile: str | None = None,
        origins: dict[str, str] | None = None,
        plugin: str | None = None,
        hooks: ResultHooks | None = None,
    ) -> None:
        self.spec = spec
        self.base = base if base is not None else spec
        self.profile = profile
        self.origins = origins or {}
        self.registry = registry
        self.plugin = plugin
        self.hooks = hooks
        self.nodes: dict[str, Node] = {}
        self.children: dict[str, list[str]] = {ROOT: []}
        self.names: dict[str, Text] = {}
        self.kinds: dict[str, AnswerKind] = {}
        self.max_points: dict[str, Fraction] = {}
        self.scored: dict[str, bool] = {}
        #: Each indicator's fixed points scale (see AnswerKind.points_scale), None if it has none.
        self.scales: dict[str, int | None] = {}
        # Memos that make repeated scoring cheap (see smesdk.cells and smesdk.layout).
        self.cells: dict[Any, Cell] = {}
        self.layouts: dict[frozenset[str], Layout] = {}
        #: Trace pieces by (status, answer, share), shared by layouts that give the same share.
        self.pieces: dict[Any, Any] = {}
        self.node_scored: dict[str, bool] = {}
        self.weights: dict[str, Fraction] = {}
        self.fact_users: dict[str, list[str]] = {}
        for node in walk(spec):
            self.nodes[node.id] = node
            self.children.setdefault(node.parent, []).append(node.id)
            self.children.setdefault(node.id, [])
            item = node.indicator or node.dimension
            assert item is not None
            self.names[node.id] = item.title
            self.weights[node.id] = frac(item.weight)
            self.node_scored[node.id] = item.scored
            if node.indicator is not None:
                kind = registry.kinds.get(node.indicator.kind)
                assert kind is not None
                self.kinds[node.id] = kind
                self.max_points[node.id] = kind.max_points(node.indicator)
                self.scored[node.id] = kind.is_scored(node.indicator)
                self.scales[node.id] = kind.points_scale(node.indicator)
                if node.indicator.fact:
                    self.fact_users.setdefault(node.indicator.fact, []).append(node.id)
        self.indicator_ids = [nid for nid, n in self.nodes.items() if n.indicator is not None]
        self.dimension_ids = [nid for nid, n in self.nodes.items() if n.dimension is not None]
        self.order = _dependency_order(self)
        #: Indicators whose answers are remembered per assessment date: their points may
        #: change with it (an unscored indicator has none to change).
        self.dated = {iid: self.scored[iid] and self.kinds[iid].depends_on_date(ind)
                      for iid, ind in self.iter_indicators()}
        #: What the engine needs of each indicator, in dependency order, looked up once.
        self.steps = self._steps(facts_given=True)
        #: The same for an answer set that gives no facts: an indicator's fact cannot stand in
        #: for its answer then, so indicators with a fact take the fast path as well.
        self.steps_without_facts = self._steps(facts_given=False)
        self.bottom_up = [*reversed(self.dimension_ids), ROOT]
        self.fact_of = {iid: ind.fact for iid, ind in self.iter_indicators() if ind.fact}
        #: (indicator, fact) in dependency order: a later answer's fact wins, as in the engine.
        self.fact_steps = [(iid, self.fact_of[iid]) for iid in self.order if iid in self.fact_of]
        self.weights_r = {nid: round_out(w) for nid, w in self.weights.items()}
        self.max_points_r = {nid: round_out(m) for nid, m in self.max_points.items()}
        self.content_hash = _content_hash(spec, profile)
        #: (dimension, its indicators, cap) for every dimension with an N/A cap, own or inherited.
        self.na_caps: list[tuple[str, list[str], Fraction]] = []
        for did in self.dimension_ids:
            cap = self._na_cap(did)
            if cap is not None:
                self.na_caps.append((did, self.subtree_indicators(did), frac(cap)))
        self._warm()

    def _steps(self, *, facts_given: bool) -> list[tuple[str, Indicator, AnswerKind, bool,
                                                        Fraction, int | None, bool, bool]]:
        return [
            (iid, ind, self.kinds[iid], self.scored[iid], self.max_points[iid], self.scales[iid],
             # plain: applies to every firm and depends on nothing (nor on a fact given), so
             # an answer remembered for a plain value settles the indicator at once (the
             # engine's fast path)
             ind.applies_to is None and not ind.depends_on
             and (ind.fact is None or not facts_given)
             and self.kinds[iid].cacheable and not self.dated[iid], self.dated[iid])
            for iid in self.order
            for ind in (self.nodes[iid].indicator,) if ind is not None]

    #: Sample answer sets scored at load (see _warm): enough to meet every option of most kinds.
    WARM_ROUNDS = 8

    def _warm(self) -> None:
        """Score the kinds' own sample answers once, at load.

        Compile once: the answers (cells), the layout of a full answer set and the trace
        pieces they come to are then remembered before the first real assessment, which
        finds most of its work done. Only the ordinary scoring path runs, so nothing here
        can differ from scoring those answers later; a sample a kind rejects is skipped.
        """
        from smesdk.answers import Answer, AnswerSet, Enterprise
        from smesdk.engine import score

        samples: dict[str, list[Any]] = {}
        for iid, ind, kind, *_ in self.steps:
            try:
                samples[iid] = list(kind.samples(ind))
            except Exception:  # a plugin kind's samples are its own business
                continue
        rounds = min(self.WARM_ROUNDS, max((len(v) for v in samples.values()), default=0))
        firm = Enterprise(name="warm-up", size="small")
        today = dt.date.today()
        for j in range(rounds):
            answers = {iid: Answer(value=vals[j % len(vals)]) for iid, vals in samples.items()
                       if vals}
            try:
                score(self, AnswerSet(enterprise=firm, date=today, answers=answers))
            except Exception:  # an answer set the framework refuses warms what it reached
                continue

    @classmethod
    def from_spec(
        cls,
        spec: FrameworkSpec,
        *,
        registry: Registry | None = None,
        profile: str | None = None,
        plugin: str | None = None,
        hooks: ResultHooks | None = None,
        file: str | None = None,
    ) -> Framework:
        """Validate, resolve the profile (or the spec's default), validate again, compile."""
        registry = registry or Registry.builtin()
        problems = check_spec(spec, registry, file)
        if problems:
            raise SpecError(problems)
        chosen = profile if profile is not None else spec.default_profile
        resolved, origins = resolve(spec, chosen)
        if chosen is not None:
            problems = check_spec(resolved, registry, file)
            if problems:
                raise SpecError(problems, title=f"profile {chosen!r} leaves the framework invalid:")
        return cls(resolved, registry=registry, base=spec, profile=chosen, origins=origins,
                   plugin=plugin, hooks=hooks)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def version(self) -> str:
        return self.spec.version

    @property
    def profiles(self) -> list[str]:
        return [p.id for p in self.base.profiles]

    def with_profile(self, profile: str | None) -> Framework:
        return Framework.from_spec(self.base, registry=self.registry, profile=profile,
                                   plugin=self.plugin, hooks=self.hooks)

    def aggregation_of(self, nid: str) -> Aggregation:
        """The aggregation method of a dimension (or of the total, for the root "")."""
        dim = self.nodes[nid].dimension if nid else None
        name = dim.aggregation if dim is not None else self.spec.aggregation
        agg = self.registry.aggregations.get(name)
        assert agg is not None  # validation checked the name
        return agg

    def child_view(self, nid: str, score: Fraction, max_points: Fraction) -> Child:
        """What an aggregation sees of node ``nid`` with this score."""
        node = self.nodes[nid]
        tier = node.indicator.tier if node.indicator is not None else None
        return Child(node.local_id, score, self.weights[nid], max_points, tier)

    def _na_cap(self, did: str) -> Any:
        nid: str | None = did
        while nid:
            dim = self.nodes[nid].dimension
            if dim is not None and dim.na_cap is not None:
                return dim.na_cap
            nid = self.nodes[nid].parent
        return self.spec.na_cap

    def subtree_indicators(self, nid: str) -> list[str]:
        """The indicators under a node, in document order."""
        out = []
        for child in self.children[nid]:
            if self.nodes[child].indicator is not None:
                out.append(child)
            else:
                out.extend(self.subtree_indicators(child))
        return out

    def indicator(self, id: str) -> Indicator:
        node = self.nodes.get(id)
        if node is None or node.indicator is None:
            raise KeyError(id)
        return node.indicator

    def dimension(self, id: str) -> Dimension:
        node = self.nodes.get(id)
        if node is None or node.dimension is None:
            raise KeyError(id)
        return node.dimension

    def iter_indicators(self) -> Iterator[tuple[str, Indicator]]:
        for nid in self.indicator_ids:
            ind = self.nodes[nid].indicator
            assert ind is not None
            yield nid, ind

    def validate_answers(self, answers: AnswerSet) -> list[Problem]:
        """Every problem the answers have against this framework (empty when they fit)."""
        from smesdk.engine import answer_problems

        return answer_problems(self, answers)

    def assess(self, answers: AnswerSet) -> Result:
        """Score an answer set. Raises AnswerError listing every problem if it does not fit."""
        result = _score(self, answers)
        if self.hooks is not None:
            result = self.hooks.after_scoring(self, answers, result)
        remember_origin(result, self, answers)  # so that result.plan_to() needs no arguments
        return result


    def __repr__(self) -> str:
        prof = f" profile={self.profile!r}" if self.profile else ""
        return f"<Framework {self.id} {self.version}{prof}>"


def _first_score(framework: Framework, answers: AnswerSet) -> Result:
    """The engine's ``score``, imported on the first assessment (the engine imports this
    module); it then takes this function's place, so later ones skip the import (about 1 us)."""
    global _score
    from smesdk.engine import score

    _score = score
    return score(framework, answers)


_score: Callable[[Framework, AnswerSet], Result] = _first_score


def _dependency_order(fw: Framework) -> list[str]:
    """Indicators in document order, each after the indicators it depends on."""
    order: list[str] = []
    done: set[str] = set()

    def visit(iid: str) -> None:
        if iid in done:
            return
        done.add(iid)
        ind = fw.nodes[iid].indicator
        assert ind is not None
        for dep in ind.depends_on:
            visit(dep)
        order.append(iid)

    for iid in fw.indicator_ids:
        visit(iid)
    return order


def _content_hash(spec: FrameworkSpec, profile: str | None) -> str:
    data: Any = {"spec": unstructure(spec), "profile": profile}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
