"""The test kit's fidelity checks fail when a label claims too much or a clause is not asked.

The frameworks here are the example plugin's spec with one field changed at a time, so every
failure below is planted on purpose.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest

import smesdk
from smesdk.framework import Framework
from smesdk.spec import Citation, Dimension, FrameworkSpec, Level
from smesdk.testing import check_statuses, clause_coverage, load_references, status_audit
from smesdk.testing.audit import ReferenceError
from smesdk.text import Text

NOTE = Text(zh="示例框架的分值为推导口径。", en="The example's points are derived.")

# One row per figure the (imaginary) source publishes for the example's strategy.plan.
TABLE = """\
framework: example
documents:
  "000": {zh: 示例依据, en: the example's source}
rows:
  - id: plan
    doc: "000"
    clause: 二（一）
    published: options
    what: {zh: 规划三档0/1/2, en: "A plan: three options 0/1/2"}
    figures:
      options: {"no": 0, partly: 1, fully: 2}
    confidence: %s
    quote: 制定发展规划
    covers: [strategy.plan]
"""


def _patch(dims: list[Dimension], iid: str, changes: dict[str, Any], parent: str = "") -> list[Dimension]:
    out = []
    for dim in dims:
        fid = f"{parent}{dim.id}"
        inds = [attrs.evolve(i, **changes) if f"{fid}.{i.id}" == iid else i
                for i in dim.indicators]
        out.append(attrs.evolve(dim, indicators=inds,
                                dimensions=_patch(dim.dimensions, iid, changes, f"{fid}.")))
    return out


def _example(**by_id: dict[str, Any]) -> Framework:
    """The example framework with every status explained, then ``by_id`` patches applied."""
    spec: FrameworkSpec = smesdk.load_framework("example").base
    for iid, _ in smesdk.load_framework("example").iter_indicators():
        spec = attrs.evolve(spec, dimensions=_patch(spec.dimensions, iid, {"status_note": NOTE}))
    levels = [attrs.evolve(lv, source=Citation(doc="000", clause="二", note=NOTE))
              for lv in spec.levels]
    spec = attrs.evolve(spec, levels=levels, profiles=[], default_profile=None)
    for iid, changes in by_id.items():
        spec = attrs.evolve(spec, dimensions=_patch(spec.dimensions, iid, changes))
    return Framework.from_spec(spec)


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "references.yaml"
    path.write_text(TABLE % "high", encoding="utf-8")
    return path


def test_a_derived_framework_with_reasons_passes(table: Path) -> None:
    audit = status_audit(_example(), table)
    assert audit.problems == []
    assert audit.official() == []


def test_an_official_label_backed_by_a_matching_high_row_passes(table: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    audit = check_statuses(_example(**{"strategy.plan": {"status": "official"}}), table)
    assert [e.element for e in audit.official()] == ["strategy.plan"]
    printed = capsys.readouterr().out
    assert "strategy.plan" in printed and "制定发展规划" in printed and "official 1" in printed


def test_a_planted_false_official_fails(table: Path) -> None:
    fw = _example(**{"hr.insurance": {"status": "official"}})
    with pytest.raises(AssertionError, match=r"hr\.insurance: official but no reference row"):
        check_statuses(fw, table)


def test_official_with_figures_other_than_published_fails(table: Path) -> None:
    fw = _example(**{"strategy.plan": {"status": "official"}})
    spec = fw.spec
    plan = fw.indicator("strategy.plan")
    options = [attrs.evolve(o, points=o.points * 2) for o in plan.options]
    spec = attrs.evolve(spec, dimensions=_patch(spec.dimensions, "strategy.plan",
                                                {"options": options}))
    problems = status_audit(Framework.from_spec(spec), table).problems
    assert len(problems) == 1 and "publishes" in problems[0] and "the spec has" in problems[0]


def test_official_from_a_medium_confidence_row_fails(tmp_path: Path) -> None:
    path = tmp_path / "references.yaml"
    path.write_text(TABLE % "medium", encoding="utf-8")
    problems = status_audit(_example(**{"strategy.plan": {"status": "official"}}), path).problems
    assert problems == ["strategy.plan: official but row plan is medium confidence"]


def test_official_citing_another_clause_than_the_row_fails(table: Path) -> None:
    fw = _example(**{"strategy.plan": {"status": "official",
                                       "source": Citation(doc="000", clause="二（二）")}})
    problems = status_audit(fw, table).problems
    assert problems == ["strategy.plan: official but row plan is 000 二（一）, the element cites "
                        "000 二（二）"]


def test_derived_without_a_reason_fails(table: Path) -> None:
    fw = _example(**{"hr.insurance": {"status_note": None}})
    problems = status_audit(fw, table).problems
    assert problems == ["hr.insurance: derived but no status_note says why (write it in each "
                        "of the framework's languages)"]


def test_a_level_without_a_reason_fails(table: Path) -> None:
    fw = _example()
    levels = [attrs.evolve(fw.spec.levels[0], source=None), *fw.spec.levels[1:]]
    problems = status_audit(Framework.from_spec(attrs.evolve(fw.spec, levels=levels)),
                            table).problems
    assert problems == ["level:basic: derived but no source.note says why (write it in each "
                        "of the framework's languages)"]


def test_an_official_level_needs_its_bands_published(table: Path) -> None:
    fw = _example()
    official = Level(id="basic", title=Text(zh="基础", en="Basic"), min=fw.spec.levels[0].min,
                     max=fw.spec.levels[0].max, status="official",
                     source=Citation(doc="000", clause="二"))
    spec = attrs.evolve(fw.spec, levels=[official, *fw.spec.levels[1:]])
    problems = status_audit(Framework.from_spec(spec), table).problems
    assert problems == ["level:basic: official but no reference row covers it"]


def test_a_row_covering_nothing_and_an_undeclared_document_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "references.yaml"
    path.write_text((TABLE % "high").replace("covers: [strategy.plan]", "covers: [strategy.gone]"),
                    encoding="utf-8")
    problems = status_audit(_example(), path).problems
    assert problems == ["row plan: covers 'strategy.gone', which no profile has"]
    path.write_text((TABLE % "high").replace('"000": {zh', '"999": {zh'), encoding="utf-8")
    with pytest.raises(ReferenceError, match=r"rows\[0\] \(plan\): document '000' is not declared"):
        load_references(path)


def test_a_bad_table_lists_every_problem_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "references.yaml"
    path.write_text((TABLE % "sure").replace("published: options", "published: vibes")
                    .replace('{"no": 0', '{no: 0')
                    .replace("    quote: 制定发展规划\n", "    quote: 制定发展规划\n    colour: red\n"),
                    encoding="utf-8")
    with pytest.raises(ReferenceError) as err:
        load_references(path)
    assert [p.split(": ", 1)[1] for p in err.value.problems] == [
        "rows[0] (plan): unknown field 'colour'",
        "rows[0] (plan): published must be one of points, options, bands, scale, threshold, "
        "levels, rule, list, wording, requirement",
        "rows[0] (plan): confidence must be high, medium or low",
        "rows[0] (plan): figures: a key reads as true/false; quote it (YAML turns no, yes, on, "
        "off into booleans)",
    ]


CLAUSES = {"000 二（一）": "战略规划", "000 三（四）": "社会保险", "000 十（一）": "公共关系"}


def test_coverage_lists_who_asks_each_clause_and_fails_on_a_silent_gap() -> None:
    cov = clause_coverage("example", CLAUSES)
    assert [(r.clause, r.indicators) for r in cov.rows] == [
        ("000 二（一）", ["strategy.mission", "strategy.plan"]),
        ("000 三（四）", ["hr.insurance"]),
        ("000 十（一）", []),
    ]
    assert cov.problems == ["000 十（一） (公共关系): no indicator asks it and no reason is given"]


def test_coverage_accepts_a_written_reason_and_rejects_a_stale_one() -> None:
    cov = clause_coverage("example", CLAUSES, unasked={"000 十（一）": "not in the example"})
    assert cov.problems == []
    assert "not asked: not in the example" in cov.table()
    stale = clause_coverage("example", CLAUSES, unasked={"000 十（一）": "x", "000 三（四）": "y"})
    assert stale.problems == ["000 三（四） (社会保险): asked by hr.insurance but also listed as "
                              "unasked; drop the stale reason"]
