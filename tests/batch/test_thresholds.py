"""A gate's bound on a node's integer score, read as one integer threshold, passes exactly the
rows the cross-multiplied comparison passes (edges, negatives and equality included)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from smesdk.batch.compiled import _over_threshold

OPS = {"ge": np.greater_equal, "gt": np.greater, "le": np.less_equal, "lt": np.less,
       None: np.equal}


@given(st.lists(st.integers(-3, 3), min_size=1, max_size=30),
       st.sampled_from(list(OPS)), st.integers(1, 10**4), st.integers(-10**9, 10**9))
def test_threshold_equals_the_product(near: list[int], op: str | None, a: int, b: int) -> None:
    # scores around the edge b / a, where floor and ceiling part
    num = np.array([b // a + k for k in near], dtype=np.int64)
    assert _over_threshold(num, op, a, b).tolist() == OPS[op](num * a, b).tolist()


def test_edges_by_hand() -> None:
    # score / 3 against 2/3 (a = 3 after scaling, b = 2): num * 3 vs 2
    num = np.array([-1, 0, 1, 2], dtype=np.int64)
    assert _over_threshold(num, "ge", 3, 2).tolist() == [False, False, True, True]  # num >= 1
    assert _over_threshold(num, "gt", 3, 2).tolist() == [False, False, True, True]  # num > 0
    assert _over_threshold(num, "le", 3, 2).tolist() == [True, True, False, False]  # num <= 0
    assert _over_threshold(num, "lt", 3, 2).tolist() == [True, True, False, False]  # num < 1
    assert not _over_threshold(num, None, 3, 2).any()  # 3 does not divide 2
    assert _over_threshold(num, None, 3, 6).tolist() == [False, False, False, True]
    # negative bounds round the other way: num * 4 >= -6 iff num >= -1 (ceil(-1.5))
    assert _over_threshold(num, "ge", 4, -6).tolist() == [True, True, True, True]
    assert _over_threshold(num, "lt", 4, -6).tolist() == [False, False, False, False]
    assert _over_threshold(np.array([-2, -1]), "le", 4, -6).tolist() == [True, False]
