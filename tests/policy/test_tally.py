"""The bulk totals' counting shortcuts against plain counting: masks packed eight to a byte and counted by
city in one histogram, and an amount of two figures summed from two counts."""

from __future__ import annotations

import numpy as np
import pytest

from bangfu.policy.tally import cents, count_by_city, fen_by_city, two_figures

N_CITIES = 13


def _masks(rng: np.random.Generator, rows: int, k: int) -> list[np.ndarray]:
    densities = [0.0, 1.0, 0.001, 0.03, 0.3, 0.5, 0.7, 0.97]
    return [rng.random(rows) < densities[i % len(densities)] for i in range(k)]


@pytest.mark.parametrize("k", [0, 1, 7, 8, 9, 10, 17])
@pytest.mark.parametrize("rows", [0, 1, 7, 1000, 1003])
def test_masks_counted_by_city_as_one_by_one(k: int, rows: int) -> None:
    rng = np.random.default_rng(k * 1000 + rows)
    city = rng.integers(0, N_CITIES, rows).astype(np.intp)
    masks = _masks(rng, rows, k)
    counted = count_by_city(masks, city, N_CITIES)
    assert counted.shape == (k, N_CITIES)
    for i, mask in enumerate(masks):
        assert counted[i].tolist() == np.bincount(city[mask], minlength=N_CITIES).tolist()
    # The members' keys (city × 256) gathered from their households' and no city: the same counts.
    assert (count_by_city(masks, None, N_CITIES, key=city * 256) == counted).all()


@pytest.mark.parametrize("k", [0, 1, 9, 16])
@pytest.mark.parametrize("rows", [0, 1, 1003])
def test_every_row_counted_as_the_rows_of_each_city(k: int, rows: int) -> None:
    """None stands for every row (the household gate, a rule of no condition), wherever it is among the masks."""
    rng = np.random.default_rng(k * 1000 + rows + 7)
    city = rng.integers(0, N_CITIES, rows).astype(np.intp)
    masks = [None, *_masks(rng, rows, k), None]
    counted = count_by_city(masks, city, N_CITIES)
    assert (count_by_city(masks, None, N_CITIES, key=city * 256) == counted).all()
    every = np.bincount(city, minlength=N_CITIES).tolist()
    assert counted[0].tolist() == every and counted[-1].tolist() == every
    for i, mask in enumerate(masks[1:-1], start=1):
        assert counted[i].tolist() == np.bincount(city[mask], minlength=N_CITIES).tolist()


@pytest.mark.parametrize("by_key", [False, True])
def test_sparse_masks_left_over_counted_at_their_rows(by_key: bool) -> None:
    """One or two sparse masks after the groups of eight are counted at their rows (by the members' keys
    where no city is given): the counts of the rows they hold."""
    rng = np.random.default_rng(11)
    rows = 5000
    city = rng.integers(0, N_CITIES, rows).astype(np.intp)
    masks = [rng.random(rows) < d for d in (0.5,) * 8 + (0.02, 0.01)]
    counted = (count_by_city(masks, None, N_CITIES, key=city * 256) if by_key
               else count_by_city(masks, city, N_CITIES))
    for i, mask in enumerate(masks):
        assert counted[i].tolist() == np.bincount(city[mask], minlength=N_CITIES).tolist()


def _bytwo_figures(amount: np.ndarray, held: np.ndarray, city: np.ndarray) -> np.ndarray | None:
    figures = two_figures(amount)
    if figures is None:
        return None
    first, second, at_first = figures
    held_first = np.bincount(city[held & at_first], minlength=N_CITIES)
    rest = np.bincount(city[held], minlength=N_CITIES) - held_first
    return fen_by_city(first, None, None, held_first) + fen_by_city(second, None, None, rest)


@pytest.mark.parametrize(("values", "two"), [
    ([180.0, 90.0], True), ([1250.0, 1000.0], True), ([0.125], True), ([0.005, 2.675], True),
    ([1.0, 2.0, 3.0], False), ([380.0, float("nan")], False), ([float("nan")], False),
])
def testtwo_figures_sum_as_each_row_rounded(values: list[float], two: bool) -> None:
    rng = np.random.default_rng(len(values))
    rows = 5000
    city = rng.integers(0, N_CITIES, rows).astype(np.intp)
    held = rng.random(rows) < 0.6
    amount = np.array(values)[rng.integers(0, len(values), rows)]
    counts = np.bincount(city[held], minlength=N_CITIES)
    fast = _bytwo_figures(amount, held, city)
    assert (fast is not None) == two
    each_row = np.zeros(N_CITIES, np.int64)
    for c, fen in zip(city[held].tolist(), cents(amount[held]).tolist(), strict=True):
        if fen == fen:  # a null amount is no money
            each_row[c] += int(fen)
    assert fen_by_city(amount, held, city, counts).tolist() == each_row.tolist()
    if fast is not None:
        assert fast.tolist() == each_row.tolist()
