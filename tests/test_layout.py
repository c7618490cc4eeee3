"""A layout built from the framework's first layout equals one built from scratch, and its
integer plan sums what the plan says.

Layouts (smesdk.layout) are built incrementally: only dimensions above an indicator whose
inclusion changed are worked out again. Every field must be what a full build gives, for any
set of left-out indicators, in every installed framework.

The per-record engine adds up each linear node's integer from its children's
(:meth:`smesdk.layout.Layout.fill_units`): by a loop at first, and by generated code
(:func:`smesdk.layout.straight_line`) once a layout is used often. Both must give every node
the sum of its children times their coefficients, skip a node with a child missing (and the
nodes above it), and say whether any was skipped.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smesdk
from smesdk.layout import COMPILE_AFTER, Layout, straight_line

FIELDS = ("included", "max_points", "max_points_r", "dot", "parts", "own_linear", "share",
          "linear", "share_r", "share_key", "plan", "den", "unit", "off_plan")


def _frameworks() -> list[smesdk.Framework]:
    host = smesdk.default_host()
    return [host.load_framework(fid) for fid in host.framework_ids()]


@pytest.mark.parametrize("fw", _frameworks(), ids=lambda fw: fw.id)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_an_incremental_layout_equals_a_full_build(fw: smesdk.Framework, data: st.DataObject
                                                   ) -> None:
    ids = list(fw.indicator_ids)
    base_out = frozenset(data.draw(st.lists(st.sampled_from(ids), max_size=3), label="base"))
    left_out = frozenset(data.draw(st.lists(st.sampled_from(ids), max_size=12), label="out"))
    base = Layout(fw, base_out)
    built = Layout(fw, left_out, base)
    full = Layout(fw, left_out)
    for field in FIELDS:
        assert getattr(built, field) == getattr(full, field), field


def test_a_whole_dimension_left_out_drops_its_shares() -> None:
    fw = smesdk.load_framework("example")
    first = next(d for d in fw.children[""] if fw.nodes[d].dimension is not None)
    under = frozenset(i for i in fw.indicator_ids if i.startswith(first + "."))
    built = Layout(fw, under, Layout(fw, frozenset()))
    assert first not in built.share and all(i not in built.share for i in under)
    assert built.max_points[first] == 0 and first not in built.included[""]


Plan = list[tuple[str, list[tuple[str, int]]]]


def _by_definition(plan: Plan, units: dict[str, int]) -> tuple[dict[str, int], bool]:
    """The plan's meaning, written out: a node is the sum of coef x child over its children,
    when every child has an integer; otherwise it has none."""
    out = dict(units)
    complete = True
    for nid, terms in plan:
        if all(child in out for child, _ in terms):
            out[nid] = sum(coef * out[child] for child, coef in terms)
        else:
            complete = False
    return out, complete


@pytest.mark.parametrize("fw", _frameworks(), ids=lambda fw: fw.id)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_both_ways_sum_what_the_plan_says(fw: smesdk.Framework, data: st.DataObject) -> None:
    ids = list(fw.indicator_ids)
    left_out = frozenset(data.draw(st.lists(st.sampled_from(ids), max_size=6), label="out"))
    layout = Layout(fw, left_out)
    # Integers for the indicators the plan reads; a few missing (answers off their scale).
    leaves = sorted({child for _, terms in layout.plan for child, _ in terms}
                    - {nid for nid, _ in layout.plan})
    units = {iid: data.draw(st.integers(-10**6, 10**12), label=iid) for iid in leaves}
    for iid in data.draw(st.lists(st.sampled_from(leaves), max_size=2) if leaves
                         else st.just([]), label="missing"):
        units.pop(iid, None)
    expected, complete = _by_definition(layout.plan, units)

    by_loop = dict(units)
    assert layout.fill is None
    assert layout.fill_units(by_loop) is complete
    layout.fill = straight_line(layout.plan)
    by_code = dict(units)
    assert layout.fill_units(by_code) is complete
    assert by_loop == expected
    assert by_code == expected


def test_odd_ids_stay_literal_text() -> None:
    """Ids come from third-party specs: quotes, backslashes and line breaks in them are text
    in the generated code, never code."""
    odd = ["a']\nimport os\nunits['b", 'c"] = 1 #', "d\\", "e'''", "f\"\"\"", "g\r\n"]
    plan: Plan = [(odd[3], [(odd[0], 2), (odd[1], 1)]),
                  (odd[4], [(odd[3], -3), (odd[2], 5)]),
                  (odd[5], [(odd[4], 1)])]
    units = {odd[0]: 7, odd[1]: 11, odd[2]: 13}
    got = dict(units)
    fill = straight_line(plan)
    fill(got)
    assert got == _by_definition(plan, units)[0]
    assert got[odd[5]] == -3 * (2 * 7 + 11) + 5 * 13
    assert "os" not in fill.__globals__


def test_a_missing_child_falls_back_to_the_loop_with_the_same_sums() -> None:
    plan: Plan = [("p", [("x", 1), ("y", 2)]), ("q", [("z", 3)]), ("r", [("p", 1), ("q", 1)])]
    layout = Layout.__new__(Layout)
    layout.plan, layout.fill, layout.uses = plan, straight_line(plan), COMPILE_AFTER
    units = {"x": 1, "z": 4}  # y is off its scale: p and r take the exact path
    assert layout.fill_units(units) is False
    assert units == {"x": 1, "z": 4, "q": 12}


def test_a_layout_is_compiled_once_it_has_been_used_often() -> None:
    fw = smesdk.default_host().load_framework("management")
    layout = Layout(fw, frozenset())
    leaves = {child for _, terms in layout.plan for child, _ in terms} - dict(layout.plan).keys()
    units = dict.fromkeys(leaves, 1)
    for _ in range(COMPILE_AFTER - 1):
        layout.fill_units(dict(units))
    assert layout.fill is None
    layout.fill_units(dict(units))
    assert layout.fill is not None
    assert layout.fill_units(got := dict(units)) is True
    assert got == _by_definition(layout.plan, units)[0]
