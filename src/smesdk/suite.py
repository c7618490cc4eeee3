"""One answer set, every framework: :func:`assess_all`.

The answer set is keyed by shared facts (and, where a framework asks something no fact
covers, by indicator id — ``framework:indicator`` when several frameworks have that id). Frameworks are scored
in dependency order: a framework that exports a fact (``digital.level``) is scored before the
frameworks that read it, and its exports join the facts the later ones see. The result holds
each framework's :class:`~smesdk.result.Result`, the answers still missing (each once, with
every framework that needs it) and, when tier frameworks were scored, the tier ladder: the
tier reached, by which route, and what blocks the next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from smesdk.answers import Answer, AnswerSet, Enterprise
from smesdk.errors import AnswerError, Problem, SmesdkError, SpecError
from smesdk.facts import vocabulary
from smesdk.framework import Framework
from smesdk.host import PluginHost
from smesdk.result import Result
from smesdk.spec import Status
from smesdk.text import Text

#: The engine's wording for a required answer nobody gave (see smesdk.engine).
_MISSING = "required answer missing"
#: The result section a tier framework adds (see plugins/tiered).
TIER_SECTION = "tier"


@attrs.frozen
class Missing:
    """An answer no framework could be scored without: a fact key, or ``framework:indicator``."""

    key: str
    title: Text
    frameworks: list[str]


@attrs.frozen
class Fed:
    """A fact one framework exported and the frameworks after it read."""

    key: str
    value: Any
    framework: str
    replaced: Any = None  # the value the answer set declared, when the export differs


@attrs.frozen
class Rung:
    """One tier of the ladder, from that framework's result."""

    framework: str
    tier: int
    title: Text
    qualified: bool
    status: Status
    route: Text | None
    blockers: list[Text]


@attrs.frozen
class Ladder:
    """The highest tier reached, its route, and what blocks the next tier."""

    reached: int
    title: Text | None
    route: Text | None
    next_framework: str | None
    next_title: Text | None
    blockers: list[Text]
    rungs: list[Rung]


@attrs.frozen
class SuiteResult:
    """Every framework's result for one answer set, the missing answers and the tier ladder."""

    enterprise: Enterprise
    assessed_on: dt.date
    order: list[str]
    titles: dict[str, Text]
    results: dict[str, Result]
    missing: list[Missing]
    fed: list[Fed]
    unused: list[str]
    ladder: Ladder | None

    def to_json(self, *, indent: int | None = 2) -> str:
        """Canonical JSON; :meth:`from_json` reads it back to an equal object."""
        from smesdk.convert import dumps_json

        return dumps_json(self, indent=indent)

    @classmethod
    def from_json(cls, text: str) -> SuiteResult:
        from smesdk.convert import parse_text, structure

        return structure(parse_text(text, "json"), cls, "json")


def dependency_order(frameworks: Sequence[Framework]) -> list[str]:
    """Framework ids, each after every framework exporting a fact it reads (ties by id)."""
    facts, _ = vocabulary(frameworks)
    ids = sorted(fw.id for fw in frameworks)
    after: dict[str, set[str]] = {fid: set() for fid in ids}
    for fact in facts:
        for reader, _iid in fact.read_by:
            after[reader] |= {e for e in fact.exported_by if e != reader}
    order: list[str] = []
    while len(order) < len(ids):
        ready = [f for f in ids if f not in order and after[f] <= set(order)]
        if not ready:
            stuck = [f for f in ids if f not in order]
            raise SpecError([f"frameworks {', '.join(stuck)} read each other's exported facts: "
                             "no order can feed them"])
        order.append(ready[0])
    return order


def _route(answers: AnswerSet, frameworks: Sequence[Framework]
           ) -> tuple[dict[str, dict[str, Answer]], list[str], list[Problem]]:
    """Each framework's own answers, the keys no framework asks, and ambiguous keys.

    ``framework:indicator`` goes to that framework. A bare indicator id goes to the answer
    set's own ``framework`` when that one asks it, else to the one chosen framework that asks
    it; an id several chosen frameworks share is refused (their questions differ: innovative
    and 专精特新 both have ``fast_track.award``), never sent to all of them."""
    routed: dict[str, dict[str, Answer]] = {fw.id: {} for fw in frameworks}
    ids = {fw.id: set(fw.indicator_ids) for fw in frameworks}
    unused: list[str] = []
    problems: list[Problem] = []
    for key, answer in answers.answers.items():
        fid, sep, iid = key.partition(":")
        if sep:
            targets = [fid] if fid in ids and iid in ids[fid] else []
        else:
            iid = key
            targets = [f for f in routed if iid in ids[f]]
            if answers.framework in targets:
                targets = [answers.framework]
        if len(targets) > 1:
            problems.append(Problem(f"answers.{key}", f"an indicator of {', '.join(targets)}: "
                                    f"write {targets[0]}:{key} (or the fact it reads)"))
        elif targets:
            routed[targets[0]][iid] = answer
        else:
            unused.append(key)
    return routed, unused, problems


def _missing_key(fw: Framework, problem: Problem) -> tuple[str, Text] | None:
    if not problem.message.startswith(_MISSING) or not problem.path.startswith("answers."):
        return None
    iid = problem.path.removeprefix("answers.")
    ind = fw.indicator(iid)
    return (ind.fact or f"{fw.id}:{iid}"), ind.title


def _ladder(frameworks: dict[str, Framework], results: dict[str, Result],
            missing: list[Missing]) -> Ladder | None:
    rungs: list[Rung] = []
    for fid, result in results.items():
        section = result.extensions.get(TIER_SECTION)
        if not section:
            continue
        rungs.append(Rung(
            framework=fid, tier=section["tier"], title=Text(**section["title"]),
            qualified=section["qualified"], status=section["status"],
            route=Text(**section["route"]) if section["route"] else None,
            blockers=[Text(**b) for b in section["blockers"]]))
    tiers = {fid: fw.spec.params["tier"]["rank"] for fid, fw in frameworks.items()
             if isinstance(fw.spec.params.get("tier"), dict)}
    if not rungs and not tiers:
        return None
    rungs.sort(key=lambda r: r.tier)
    top = max((r for r in rungs if r.qualified), key=lambda r: r.tier, default=None)
    reached = top.tier if top is not None else 0
    nxt = next((fid for fid, rank in sorted(tiers.items(), key=lambda t: t[1])
                if rank == reached + 1), None)
    blockers: list[Text] = []
    next_title = frameworks[nxt].spec.title if nxt is not None else None
    rung = next((r for r in rungs if r.framework == nxt), None)
    if rung is not None:
        blockers = rung.blockers
    elif nxt is not None:  # the next tier could not be scored: its missing answers block it
        blockers = [Text(zh=f"缺少答案：{m.title.zh}（{m.key}）",
                         en=f"answer missing: {m.title.en} ({m.key})")
                    for m in missing if nxt in m.frameworks]
    return Ladder(reached=reached, title=top.title if top else None,
                  route=top.route if top else None, next_framework=nxt, next_title=next_title,
                  blockers=blockers, rungs=rungs)


def choose(names: Iterable[str], host: PluginHost) -> list[Framework]:
    """The frameworks named (``id`` or ``id:profile``), loaded and in dependency order.

    Refuses unknown ids, and frameworks that disagree on a shared fact's type or unit."""
    chosen = dict(name.partition(":")[::2] for name in names)
    unknown = [n for n in chosen if n not in host.framework_ids()]
    if unknown:
        raise SmesdkError([f"no framework {n!r} (installed: {', '.join(host.framework_ids())})"
                           for n in unknown])
    loaded = {n: host.load_framework(n, profile or None) for n, profile in chosen.items()}
    _, clashes = vocabulary(loaded.values())
    if clashes:
        raise SpecError(clashes, title="these frameworks cannot share an answer set:")
    return [loaded[fid] for fid in dependency_order(list(loaded.values()))]


def assess_all(answers: AnswerSet | str | Path, frameworks: Iterable[str] | None = None, *,
               host: PluginHost | None = None) -> SuiteResult:
    """Score one answer set against every installed framework (or the ones named, each as
    ``id`` or ``id:profile``)."""
    from smesdk import default_host
    from smesdk.docs.generate import documented_frameworks
    from smesdk.loading import load_answers

    host = host or default_host()
    if not isinstance(answers, AnswerSet):
        answers = load_answers(answers)
    if frameworks is None:
        frameworks = documented_frameworks(host)
    loaded = {fw.id: fw for fw in choose(frameworks, host)}
    order = list(loaded)
    routed, unused, ambiguous = _route(answers, list(loaded.values()))
    if ambiguous:
        raise AnswerError(ambiguous, title="the answers do not fit these frameworks:")

    facts = dict(answers.facts)
    results: dict[str, Result] = {}
    fed: list[Fed] = []
    missing: dict[str, Missing] = {}
    problems: list[Problem] = []
    for fid in order:
        fw = loaded[fid]
        own = attrs.evolve(answers, answers=routed[fid], facts=dict(facts), framework=fid,
                           profile=None)
        try:
            result = fw.assess(own)
        except AnswerError as exc:
            for problem in exc.problems:
                found = _missing_key(fw, problem)
                if found is None:
                    problems.append(Problem(f"{fid}: {problem.path}", problem.message))
                    continue
                key, title = found
                entry = missing.setdefault(key, Missing(key, title, []))
                entry.frameworks.append(fid)
            continue
        results[fid] = result
        for key, value in result.facts.items():
            declared = answers.facts.get(key)
            replaced = declared.value if declared is not None and declared.value != value \
                else None
            fed.append(Fed(key, value, fid, replaced))
            facts[key] = Answer(value=value)
    if problems:
        raise AnswerError(problems, title="the answers do not fit these frameworks:")
    missing_list = list(missing.values())
    return SuiteResult(
        enterprise=answers.enterprise, assessed_on=answers.date, order=order,
        titles={fid: loaded[fid].spec.title for fid in order}, results=results,
        missing=missing_list, fed=fed, unused=unused,
        ladder=_ladder(loaded, results, missing_list))
