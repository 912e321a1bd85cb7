"""`pick`, the rules' choice between two figures per row, against `np.where`: bit for bit (-0.0 too; NaN as NaN);
and the `Choice` it gives for two figures, read by rows, as a column and times a number."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bangfu.policy.rules.base import Choice, given_or, pick

FIGURES = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, float("nan")])
MASKS = st.lists(st.booleans(), max_size=70)


def _bits(x: object) -> list[int]:
    """Each figure's bits (-0.0 is not 0.0), every NaN as one (its payload is no figure: a null amount)."""
    x = np.asarray(x, np.float64)
    return np.where(np.isnan(x), np.nan, x).view(np.int64).tolist()


@given(a=FIGURES, b=FIGURES, mask=MASKS)
def test_two_figures_picked_bit_for_bit_as_np_where(a: float, b: float, mask: list[bool]) -> None:
    held = np.array(mask, bool)
    got = pick(held, a, b)
    want = np.where(held, a, b)
    if a == b:  # one figure for every row (0.0 for -0.0 too)
        assert np.array_equal(np.broadcast_to(got, want.shape), want)
    else:
        assert _bits(got) == _bits(want)


@given(a=FIGURES, b=FIGURES, by=FIGURES | st.integers(-1000, 1000), mask=MASKS, data=st.data())
@np.errstate(all="ignore")  # products past float64's range: inf in both
def test_a_choice_reads_as_its_column_by_rows_and_times_a_number(a, b, by, mask, data) -> None:
    held = np.array(mask, bool)
    choice = Choice(held, a, b)
    column = np.where(held, a, b)
    rows = np.array(data.draw(st.lists(st.integers(0, max(0, len(mask) - 1)), max_size=len(mask) and 10)), np.intp)
    assert _bits(choice[rows]) == _bits(column[rows])
    assert _bits(choice(rows)) == _bits(column[rows])
    assert isinstance(choice * by, Choice) and isinstance(by * choice, Choice)
    assert _bits(choice * by) == _bits(column * by) and _bits(by * choice) == _bits(by * column)
    per_row = np.arange(len(mask), dtype=np.float64)
    assert _bits(choice * per_row) == _bits(column * per_row)


def test_two_figures_picked_over_a_strided_mask() -> None:
    held = np.array([True, False, False, True, True, False])[::2]
    assert np.asarray(pick(held, 1.25, 1000.0)).tolist() == [1.25, 1000.0, 1.25]


@given(column=st.lists(FIGURES, max_size=70), figure=FIGURES, by_row=st.booleans())
def test_a_column_or_a_figure_where_none_is_given_as_np_where(column: list[float], figure: float,
                                                              by_row: bool) -> None:
    """`given_or` (a figure entered with the household, else the one held): `np.where` bit for bit, the column
    itself where the figure held is none either; a figure per row (one per region) too."""
    values = np.array(column, np.float64)
    held = np.full(len(values), figure) if by_row else figure
    got = given_or(values, held)
    assert _bits(np.broadcast_to(got, values.shape)) == _bits(np.where(~np.isnan(values), values, held))
    if not by_row and np.isnan(figure):
        assert got is values
