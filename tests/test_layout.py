"""A layout built from the framework's first layout equals one built from scratch.

Layouts (smesdk.layout) are built incrementally: only dimensions above an indicator whose
inclusion changed are worked out again. Every field must be what a full build gives, for any
set of left-out indicators, in every installed framework.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smesdk
from smesdk.layout import Layout

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
