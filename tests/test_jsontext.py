"""smesdk.jsontext writes what json.dumps(..., ensure_ascii=False, indent=n) writes, byte for
byte, for any JSON-like value (and hands anything else to json.dumps)."""

from __future__ import annotations

import enum
import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smesdk.jsontext import dumps_indented


class Colour(enum.StrEnum):
    RED = "红"


class Rank(enum.IntEnum):
    TOP = 1


class Ratio(float):
    pass


class Mapping(dict):  # type: ignore[type-arg]
    pass


leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([Colour.RED, Rank.TOP, Ratio(0.5), -0.0, 1e16, 1e-7, 10**40]),
)
keys = st.one_of(st.text(), st.sampled_from([1, 2.5, True, None, Colour.RED]))
values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(keys, inner, max_size=4),
        st.dictionaries(st.text(), inner, max_size=3).map(Mapping),
    ),
    max_leaves=30,
)


@given(values, st.sampled_from([0, 1, 2, 4]))
def test_the_text_is_json_dumps_text(value, indent) -> None:  # type: ignore[no-untyped-def]
    assert dumps_indented(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)


def test_what_json_refuses_is_refused_the_same_way() -> None:
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps_indented({"a": loop}, 2)
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps_indented({"a": {1, 2}}, 2)
    assert dumps_indented([math.inf, -math.inf, math.nan], 2) == "[\n  Infinity,\n  -Infinity,\n  NaN\n]"
