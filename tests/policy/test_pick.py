"""`pick`, the rules' choice between two figures per row, against `np.where`: bit for bit, NaN and -0.0 too."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bangfu.policy.rules.base import pick

FIGURES = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, float("nan")])


@given(a=FIGURES, b=FIGURES, mask=st.lists(st.booleans(), max_size=70))
def test_two_figures_picked_bit_for_bit_as_np_where(a: float, b: float, mask: list[bool]) -> None:
    held = np.array(mask, bool)
    got = np.asarray(pick(held, a, b), np.float64)
    want = np.where(held, a, b)
    if a == b:  # one figure for every row (0.0 for -0.0 too)
        assert np.array_equal(np.broadcast_to(got, want.shape), want)
    else:
        assert got.view(np.int64).tolist() == want.view(np.int64).tolist()


def test_two_figures_picked_over_a_strided_mask() -> None:
    held = np.array([True, False, False, True, True, False])[::2]
    assert pick(held, 1.25, 1000.0).tolist() == [1.25, 1000.0, 1.25]
