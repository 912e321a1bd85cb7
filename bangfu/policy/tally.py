"""A batch's answers counted by city: the rows each mask holds, and the fen of their amounts.

The bulk totals' arithmetic, apart from reading and printing them (`bulk`): fen rounded as answers round
them, masks counted eight at a time, amounts of two figures summed from counts.
"""

from __future__ import annotations

import numpy as np


def cents(amount: np.ndarray | float) -> np.ndarray:
    """Yuan to whole fen, rounded half-up as answers round them (explain.money), NaN kept as NaN.

    An amount has at most 6 decimals once rounded, so a hundredfold has at most 4: a fraction
    within 1e-6 of one half is one half.
    """
    x = np.asarray(amount, np.float64)
    if not x.ndim:
        x = np.round(x, 6)
        return np.sign(x) * np.floor(np.abs(x) * 100 + 0.5 + 1e-6)
    return _cents_in_place(x.copy())


def _cents_in_place(x: np.ndarray) -> np.ndarray:
    """`cents` of an array of float64 that may be overwritten: the same operations in the same order, in
    place (no fresh pages per step), and without the sign where no amount is negative (most: benefits)."""
    x *= 1e6  # np.round(x, 6), as numpy computes it
    np.rint(x, out=x)
    x /= 1e6
    negative = x.size and not x.min() >= 0  # NaN among them: the general path
    sign = np.sign(x) if negative else None
    if negative:
        np.abs(x, out=x)
    x *= 100
    x += 0.5
    x += 1e-6
    np.floor(x, out=x)
    if negative:
        x *= sign
    return x


def fen_by_city(amount: np.ndarray | float, held: np.ndarray, city: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Fen of `amount` (per row of the entity, or one figure) summed by city over the rows `held` (a mask),
    `city` giving each row's and `counts` the rows held in each city."""
    n_cities = len(counts)
    if np.ndim(amount) == 0:
        value = float(cents(amount))
        return np.zeros(n_cities, np.int64) if np.isnan(value) else counts * int(value)
    # The rows' positions once, then two gathers: a boolean selection finds them again for each column,
    # and over a mask of every other row it costs several times a gather.
    rows = np.flatnonzero(held)
    city = city.take(rows)
    fen = _cents_in_place(np.asarray(amount, np.float64).take(rows))
    if np.isnan(fen).any():  # a null amount is no money
        paid = ~np.isnan(fen)
        fen, city = fen[paid], city[paid]
    return np.rint(np.bincount(city, weights=fen, minlength=n_cities)).astype(np.int64)


_BITS = (np.arange(256)[:, None] >> np.arange(8)) & 1  # [byte, bit]: whether the byte has the bit set


def _packed(masks: list[np.ndarray]) -> np.ndarray:
    """Up to eight masks (bool, of one length) as the bits of one byte per row: mask i is bit i.

    A byte of 0 or 1 shifted by fewer than eight bits stays within its byte, so eight rows are shifted and
    combined as one 64-bit word; the rows past the last whole word, byte by byte.
    """
    packed = masks[0].astype(np.uint8)
    body = len(packed) - len(packed) % 8
    words = packed[:body].view(np.uint64)
    shifted = np.empty(len(words), np.uint64)
    for bit, mask in enumerate(masks[1:], start=1):
        mask = np.ascontiguousarray(mask).view(np.uint8)
        np.left_shift(mask[:body].view(np.uint64), bit, out=shifted)
        words |= shifted
        packed[body:] |= mask[body:] << bit
    return packed


def count_by_city(masks: list[np.ndarray | None], city: np.ndarray | None, n_cities: int,
                  key: np.ndarray | None = None) -> np.ndarray:
    """[mask, city]: the rows each mask (bool, one per row of the entity; None: every row) holds in each city.

    Eight masks at a time are packed into the bits of one byte per row, and one histogram of (city, byte)
    counts them all: where counting a mask by city alone (selecting its rows, or gathering it in the order
    of the cities) cost a pass over the rows for each. Every row is the histogram's rows by city, packing
    nothing; a few sparse masks left over after the groups of eight are counted at their rows, where a
    group of their own paid a histogram of every row. `key`: each row's city × 256 (int64), where the caller
    has it (members' gathered from their households': no multiplication per member); `city` may then be
    None, read from the key where needed.
    """
    if key is None:
        key = np.multiply(city, 256, dtype=np.int64)
    out = np.empty((len(masks), n_cities), np.int64)
    every = [i for i, m in enumerate(masks) if m is None]
    some = [i for i, m in enumerate(masks) if m is not None]
    rest = len(some) % 8
    if rest and rest <= _FEW and all(np.count_nonzero(masks[i]) * _SPARSE <= len(key) for i in some[-rest:]):
        for i in some[-rest:]:
            out[i] = np.bincount(key.take(np.flatnonzero(masks[i])) >> 8, minlength=n_cities)
        some = some[:-rest]
    rows = None
    if some:
        cell = np.empty_like(key)
        for first in range(0, len(some), 8):
            group = some[first:first + 8]
            np.copyto(cell, _packed([masks[i] for i in group]))  # widened apart: adding bytes to words cast
            cell += key  # them in buffered chunks, a third slower
            histogram = np.bincount(cell, minlength=n_cities * 256).reshape(n_cities, 256)
            out[group] = (histogram @ _BITS[:, :len(group)]).T
            rows = histogram.sum(axis=1) if rows is None else rows
    if every:
        out[every] = np.bincount(key >> 8 if city is None else city, minlength=n_cities) if rows is None else rows
    return out


_FEW = 2  # masks left over after the groups of eight that may be counted at their rows
_SPARSE = 16  # ... when each holds at most one row in this many


def two_figures(amount: np.ndarray) -> tuple[float, float, np.ndarray] | None:
    """An amount of at most two figures over the rows (a share for each of two kinds of household, a rate
    for each of two stages: every array amount of the rules today), as those figures and where the first
    one is; None for any other (a null among them too). Its fen by city are then two counts: a pass or two
    over the rows, where rounding each row's amount to the fen was a dozen."""
    amount = np.asarray(amount, np.float64)
    if not len(amount):
        return None
    first = amount[0]
    at_first = amount == first
    if at_first.all():
        return float(first), float(first), at_first
    second = amount[np.argmin(at_first)]
    if not (at_first | (amount == second)).all():
        return None
    return float(first), float(second), at_first
