"""Completeness: each recipe of CONTRIBUTING.md ("Add a gate test", "Add an answer kind",
"Add an aggregation") fails here when one of its steps is skipped.

The semantic objects are the one source of truth; these tests check that every object in
each table carries what every consumer needs, and that the tables and the spec model, the
schema and the docs agree, so a new entry cannot be half added.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import smesdk
from smesdk.aggregations import Aggregation, Child
from smesdk.columnar import NotVectorisable
from smesdk.gates import GATE_TESTS, GateTest
from smesdk.kinds import AnswerKind
from smesdk.shapes import ScoringTable, Shape
from smesdk.spec import Gate

ROOT = Path(__file__).resolve().parents[1]
FORMAT_DOC = (ROOT / "docs" / "framework-format.md").read_text(encoding="utf-8")


def _overrides(obj: object, base: type, method: str) -> bool:
    return getattr(type(obj), method) is not getattr(base, method)


# -- gate tests ------------------------------------------------------------------------------

def gate_test_gaps(tests: dict[str, GateTest]) -> list[str]:
    """What a gate test table is missing for some consumer."""
    gaps: list[str] = []
    fields = {f.name for f in attrs.fields(Gate)} - {"label"}
    for field in sorted(fields - set(tests)):
        gaps.append(f"Gate.{field} has no GateTest in GATE_TESTS")
    for field, test in tests.items():
        if field not in fields:
            gaps.append(f"GATE_TESTS[{field!r}] is declared by no Gate field (add it to spec.Gate)")
        if test.field != field:
            gaps.append(f"GATE_TESTS[{field!r}] says its field is {test.field!r}")
        for method in ("holds", "describe", "outline"):  # per record, blockers, docs
            if not _overrides(test, GateTest, method):
                gaps.append(f"gate test {field!r} does not define {method}()")
        if not _overrides(test, GateTest, "holds_columns"):
            gaps.append(f"gate test {field!r} has no holds_columns(): say NotVectorisable "
                        "explicitly if it cannot be done on arrays")
        key = field.rstrip("_")
        if not re.search(rf"`{key}: ", FORMAT_DOC):
            gaps.append(f"docs/framework-format.md does not document the gate `{key}:`")
    return gaps


def test_every_gate_test_is_complete() -> None:
    assert gate_test_gaps(GATE_TESTS) == []


def test_a_toy_gate_test_with_steps_skipped_is_reported() -> None:
    class Toy(GateTest):
        field = "toy"

        def holds(self, arg: object, view: object) -> bool:
            return True

    gaps = gate_test_gaps({**GATE_TESTS, "toy": Toy()})
    assert "GATE_TESTS['toy'] is declared by no Gate field (add it to spec.Gate)" in gaps
    assert "gate test 'toy' does not define describe()" in gaps
    assert "gate test 'toy' does not define outline()" in gaps
    assert any("'toy' has no holds_columns()" in g for g in gaps)
    assert "docs/framework-format.md does not document the gate `toy:`" in gaps


def test_an_unknown_gate_test_is_never_a_silent_pass_in_batch() -> None:
    class Toy(GateTest):
        field = "total"

    with pytest.raises(NotVectorisable):
        Toy().holds_columns(None, None)  # type: ignore[arg-type]


# -- answer kinds ----------------------------------------------------------------------------

def kind_gaps(kind: AnswerKind) -> list[str]:
    gaps = []
    if not isinstance(kind.shape, Shape):
        gaps.append(f"kind {kind.name!r} declares no shape")
    if kind.shape in (Shape.OPTIONS, Shape.SUBSET) and not _overrides(kind, AnswerKind, "choices"):
        gaps.append(f"kind {kind.name!r} of shape {kind.shape} does not list its choices()")
    if kind.shape is Shape.BANDS and not _overrides(kind, AnswerKind, "number_range"):
        gaps.append(f"kind {kind.name!r} of shape bands does not give its number_range()")
    if kind.shape is Shape.GRID and not _overrides(kind, AnswerKind, "grid"):
        gaps.append(f"kind {kind.name!r} of shape grid does not give its grid()")
    needed = ("parse", "explain", *(("points", "max_points") if kind.scored else ()))
    for method in needed:
        if not _overrides(kind, AnswerKind, method):
            gaps.append(f"kind {kind.name!r} does not define {method}()")
    return gaps


def _all_kinds() -> list[AnswerKind]:
    return [smesdk.default_host().registry.kinds.get(n)  # type: ignore[misc]
            for n in smesdk.default_host().registry.kinds.names()]


@pytest.mark.parametrize("kind", _all_kinds(), ids=lambda k: k.name)
def test_every_installed_kind_is_complete(kind: AnswerKind) -> None:
    assert kind_gaps(kind) == []


def test_every_used_kind_describes_its_scoring_and_shapes_its_column() -> None:
    from smesdk.batch.columns import grid_cell_column, input_schema

    host = smesdk.default_host()
    for fid in host.framework_ids():
        fw = host.load_framework(fid)
        schema = input_schema(fw)
        for iid, ind in fw.iter_indicators():
            kind = fw.kinds[iid]
            assert isinstance(kind.scoring(ind), ScoringTable), (fid, iid)
            if kind.shape in (Shape.OPTIONS, Shape.SUBSET):
                assert kind.choices(ind), (fid, iid)
                for choice in kind.choices(ind):
                    kind.parse(ind, choice.value)  # every item is an answer the kind accepts
            form = kind.grid(ind)
            if kind.shape is Shape.GRID:  # one column per cell
                assert form is not None and form.cells, (fid, iid)
                for r in form.rows:
                    for c in form.columns:
                        assert schema.field(grid_cell_column(iid, r.value, c.value)) is not None
            else:
                assert schema.field(iid) is not None


def test_a_kind_with_steps_skipped_is_reported() -> None:
    class Half(AnswerKind):
        name = "half"
        shape = Shape.OPTIONS

    gaps = kind_gaps(Half())
    assert "kind 'half' of shape options does not list its choices()" in gaps
    assert "kind 'half' does not define parse()" in gaps


def test_a_kind_without_a_shape_is_refused_at_registration() -> None:
    class Shapeless(AnswerKind):
        name = "shapeless"

    host = smesdk.PluginHost(entry_points=False)
    with pytest.raises(smesdk.PluginError, match="declares no answer shape"):
        host.registry.kinds.add(Shapeless(), "toy")


# -- aggregations ----------------------------------------------------------------------------

def aggregation_gaps(agg: Aggregation) -> list[str]:
    gaps = []
    if not agg.description.zh or not agg.description.en:
        gaps.append(f"aggregation {agg.name!r} has no description in both languages")
    if agg.linear and not _overrides(agg, Aggregation, "shares"):
        gaps.append(f"linear aggregation {agg.name!r} does not give its shares()")
    if not _overrides(agg, Aggregation, "combine"):
        gaps.append(f"aggregation {agg.name!r} does not define combine()")
    return gaps


def _all_aggregations() -> list[Aggregation]:
    reg = smesdk.default_host().registry.aggregations
    return [reg.get(n) for n in reg.names()]  # type: ignore[misc]


@pytest.mark.parametrize("agg", [a for a in _all_aggregations() if a.name != "root_mean_square"],
                         ids=lambda a: a.name)
def test_every_installed_aggregation_is_complete(agg: Aggregation) -> None:
    assert aggregation_gaps(agg) == []


children = st.lists(st.tuples(st.fractions(0, 1, max_denominator=40),
                              st.fractions(0, 5, max_denominator=8).filter(bool),
                              st.fractions(1, 10, max_denominator=4)), min_size=1, max_size=6)


@pytest.mark.parametrize("agg", [a for a in _all_aggregations() if a.linear], ids=lambda a: a.name)
@given(kids=children)
def test_a_linear_aggregation_is_the_share_weighted_sum(agg: Aggregation,
                                                        kids: list[tuple[Fraction, ...]]) -> None:
    # Every path scores a linear aggregation as sum(share * score) without calling combine:
    # that is only right if combine says the same.
    view = [Child(f"c{i}", s, w, m) for i, (s, w, m) in enumerate(kids)]
    shares = agg.shares(view)
    assert shares is not None
    assert agg.combine(view, {}) == sum((p * c.score for p, c in zip(shares, view, strict=True)),
                                        Fraction(0))


def test_the_date_kind_is_the_only_built_in_whose_points_depend_on_the_date() -> None:
    from smesdk.kinds import BUILTIN_KINDS

    # A kind that is not 'dated' has its answers remembered across assessment dates.
    assert [k.name for k in BUILTIN_KINDS if k.dated] == ["date"]


def test_a_grid_kind_without_its_form_is_reported() -> None:
    class Flat(AnswerKind):
        name = "flat"
        shape = Shape.GRID

    assert "kind 'flat' of shape grid does not give its grid()" in kind_gaps(Flat())


def _module(path: Path) -> Any:
    """A test module loaded from its file (its folder is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"_completeness_{path.parent.name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- report sections -------------------------------------------------------------------------

def section_gaps(types: tuple[type, ...]) -> list[str]:
    """What a report section type is missing: a renderer per format, docs, a rendered sample."""
    from smesdk.report import section_html, section_md, section_text

    _every_shape = _module(ROOT / "tests" / "report" / "test_sections.py")._every_shape
    hooks_doc = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    reports_doc = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    sampled = {type(s) for s in _every_shape()}
    gaps = []
    for cls in types:
        for output, module in (("HTML", section_html), ("Markdown", section_md),
                               ("terminal", section_text)):
            if cls not in module._BODIES:
                gaps.append(f"section {cls.__name__} has no {output} renderer")
        if f"`{cls.__name__}`" not in hooks_doc:
            gaps.append(f"section {cls.__name__} is not named in docs/hooks.md")
        if f"| `{cls.__name__}` |" not in reports_doc:
            gaps.append(f"section {cls.__name__} has no row in the table of docs/reports.md")
        if cls not in sampled:
            gaps.append(f"section {cls.__name__} has no sample in tests/report/test_sections.py")
    return gaps


def test_every_report_section_type_is_complete() -> None:
    from smesdk.report.sections import SECTION_TYPES

    assert section_gaps(SECTION_TYPES) == []


def test_a_section_type_with_steps_skipped_is_reported_and_never_drawn_empty() -> None:
    from smesdk.report.section_text import section_lines
    from smesdk.report.sections import SectionError, _Base

    @attrs.frozen(kw_only=True)
    class Gauge(_Base):
        value: int

    gaps = section_gaps((Gauge,))
    assert "section Gauge has no HTML renderer" in gaps
    assert "section Gauge is not named in docs/hooks.md" in gaps
    assert "section Gauge has no sample in tests/report/test_sections.py" in gaps
    with pytest.raises(SectionError, match="Gauge has no terminal renderer"):
        section_lines(Gauge(id="g", title=smesdk.Text(zh="表", en="Gauge"), value=3), "en")


# -- batch file formats ----------------------------------------------------------------------

def format_gaps(formats: dict[str, Any]) -> list[str]:
    """What a batch file format is missing: its readers or writers, docs, CLI help, test data."""
    from click.testing import CliRunner

    from smesdk.cli import cli

    INPUT_WRITERS = _module(ROOT / "tests" / "batch" / "conftest.py").INPUT_WRITERS
    batch_doc = (ROOT / "docs" / "batch.md").read_text(encoding="utf-8")
    helps = {cmd: CliRunner().invoke(cli, [cmd, "--help"], terminal_width=200).output
             for cmd in ("batch", "stats")}
    gaps = []
    for name, fmt in formats.items():
        if f"- **{fmt.title}**" not in batch_doc:
            gaps.append(f"format {name} has no bullet '- **{fmt.title}**' in docs/batch.md")
        if fmt.source is None and not fmt.output:
            gaps.append(f"format {name} neither reads inputs nor writes outputs")
        if fmt.source is not None and name not in INPUT_WRITERS:
            gaps.append(f"input format {name} has no test writer in tests/batch/conftest.py")
        if fmt.output:
            if fmt.results is None:
                gaps.append(f"output format {name} cannot be read back (results)")
            for cmd, text in helps.items():
                if fmt.suffixes[0] not in text:
                    gaps.append(f"output format {name} is not offered in 'smesdk {cmd} --help'")
    return gaps


def test_every_batch_file_format_is_complete() -> None:
    pytest.importorskip("pyarrow")
    from smesdk.batch.formats import FORMATS

    assert format_gaps(FORMATS) == []


def test_a_file_format_with_steps_skipped_is_reported() -> None:
    pytest.importorskip("pyarrow")
    from smesdk.batch.formats import FileFormat

    half = FileFormat("feather", "Feather", (".feather",), writer=lambda *a: None)
    gaps = format_gaps({"feather": half})
    assert "format feather has no bullet '- **Feather**' in docs/batch.md" in gaps
    assert "output format feather cannot be read back (results)" in gaps
    assert "output format feather is not offered in 'smesdk batch --help'" in gaps
