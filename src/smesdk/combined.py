"""One questionnaire for several frameworks, asking each shared fact once.

The combined form is an ordinary framework built from the chosen ones: one top dimension per
framework (one sheet each, in dependency order), holding that framework's questions, except
those whose fact an earlier sheet already asks or an earlier framework exports. Its id is
``suite`` and its version names the frameworks (``zjtx@1.0.0+little-giant@1.0.0``), so a
filled-in form says what it was written for; :func:`answers_from_combined` turns what it
read back into one fact-keyed answer set for :func:`smesdk.suite.assess_all`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from smesdk.answers import Answer, AnswerSet
from smesdk.errors import AnswerError, Problem
from smesdk.facts import vocabulary
from smesdk.framework import Framework
from smesdk.host import PluginHost
from smesdk.spec import Dimension, FrameworkSpec, Indicator, SourceDocument
from smesdk.suite import choose
from smesdk.text import Text

SUITE_ID = "suite"


@attrs.frozen
class Combined:
    """The combined framework and where each of its questions comes from."""

    framework: Framework
    origin: dict[str, tuple[str, str]]  # combined indicator id -> (framework id, indicator id)


def _node_id(fid: str) -> str:
    return fid.replace("-", "_")


def _copy(dims: Sequence[Dimension], prefix: str, top: str, keep: set[str]) -> list[Dimension]:
    """The dimensions with only the kept indicators, ids of prerequisites re-rooted."""
    out = []
    for dim in dims:
        path = f"{prefix}{dim.id}"
        indicators = [attrs.evolve(ind, depends_on=[f"{top}.{d}" for d in ind.depends_on
                                                    if d in keep])
                      for ind in dim.indicators if f"{path}.{ind.id}" in keep]
        children = _copy(dim.dimensions, f"{path}.", top, keep)
        if indicators or children:
            # Declared totals no longer hold once shared questions moved to an earlier sheet.
            out.append(attrs.evolve(dim, indicators=indicators, dimensions=children,
                                    points=None, weight_total=None))
    return out


def _walk(dims: Sequence[Dimension], prefix: str = "") -> Iterable[tuple[str, Indicator]]:
    for dim in dims:
        for ind in dim.indicators:
            yield f"{prefix}{dim.id}.{ind.id}", ind
        yield from _walk(dim.dimensions, f"{prefix}{dim.id}.")


def combine(frameworks: Sequence[Framework]) -> Combined:
    """The combined framework for these (already ordered) frameworks."""
    facts, _ = vocabulary(frameworks)
    exported_before: dict[str, set[str]] = {}
    for fact in facts:
        for exporter in fact.exported_by:
            exported_before.setdefault(exporter, set()).add(fact.key)
    asked: set[str] = set()
    exported: set[str] = set()
    dims: list[Dimension] = []
    docs: dict[str, SourceDocument] = {}
    origin: dict[str, tuple[str, str]] = {}
    for fw in frameworks:
        top = _node_id(fw.id)
        keep: set[str] = set()
        for iid, ind in _walk(fw.spec.dimensions):
            if ind.fact is not None and (ind.fact in asked or ind.fact in exported):
                continue
            keep.add(iid)
            origin[f"{top}.{iid}"] = (fw.id, iid)
            if ind.fact is not None:
                asked.add(ind.fact)
        exported |= exported_before.get(fw.id, set())
        for doc in [fw.spec.source, *fw.spec.references]:
            docs.setdefault(doc.id, doc)
        children = _copy(fw.spec.dimensions, "", top, keep)
        if children:
            dims.append(Dimension(id=top, title=fw.spec.title, dimensions=children,
                                  source=None, scored=False))
    names = [f"{fw.id}{':' + fw.profile if fw.profile else ''}@{fw.version}" for fw in frameworks]
    first = next(iter(docs.values()))
    spec = FrameworkSpec(
        id=SUITE_ID, version="+".join(names),
        title=Text(zh="合并问卷：" + "、".join(fw.spec.title.zh for fw in frameworks),
                   en="Combined questionnaire: " + "; ".join(fw.spec.title.en for fw in frameworks)),
        description=Text(zh="每个共享事实只问一次；由 smesdk assess-all 读回。",
                         en="Each shared fact is asked once; read back by smesdk assess-all."),
        source=first, references=[d for d in docs.values() if d is not first], dimensions=dims)
    registry = frameworks[0].registry
    return Combined(Framework.from_spec(spec, registry=registry), origin)


def combined_for(version: str, host: PluginHost) -> Combined:
    """Rebuild the combined framework a form's version names (``id:profile@version+…``)."""
    names, problems = [], []
    for part in version.split("+"):
        name, _, wanted = part.rpartition("@")
        names.append(name)
        fid = name.partition(":")[0]
        if fid in host.framework_ids() and host.load_framework(fid).version != wanted:
            problems.append(Problem("", f"the form was written for {fid} {wanted}; "
                                        f"{host.load_framework(fid).version} is installed"))
    if problems:
        raise AnswerError(problems)
    return combine(choose(names, host))


def answers_from_combined(combined: Combined, answers: AnswerSet) -> AnswerSet:
    """A form's answers as one answer set: by fact where a question reads one, else by
    ``framework:indicator``."""
    facts: dict[str, Answer] = {}
    own: dict[str, Answer] = {}
    for cid, answer in answers.answers.items():
        fid, iid = combined.origin[cid]
        fact = combined.framework.indicator(cid).fact
        if fact is not None:
            facts[fact] = answer
        else:
            own[f"{fid}:{iid}"] = answer
    return attrs.evolve(answers, answers=own, facts={**answers.facts, **facts},
                        framework=None, profile=None)


def answers_to_combined(combined: Combined, answers: AnswerSet) -> AnswerSet:
    """An answer set (fact-keyed, or by ``framework:indicator``) re-keyed for the combined
    form, to prefill it; facts fill the questions that read them."""
    where = {f"{fid}:{iid}": cid for cid, (fid, iid) in combined.origin.items()}
    own = {where[key]: answer for key, answer in answers.answers.items() if key in where}
    return attrs.evolve(answers, answers=own, framework=SUITE_ID, profile=None)


def read_combined(path: str, host: PluginHost) -> tuple[list[str], AnswerSet]:
    """A filled-in combined form: the frameworks it was written for and its answers."""
    from smesdk.questionnaire import form_info, read_questionnaire

    info = form_info(path)
    combined = combined_for(info.version, host)
    answers = read_questionnaire(path, combined.framework)
    names = [part.rpartition("@")[0] for part in info.version.split("+")]
    return names, answers_from_combined(combined, answers)
