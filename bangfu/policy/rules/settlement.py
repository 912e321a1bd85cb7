"""Chapter 三, Articles 7-11: the one-stop settlement of a bill (Article 9), layer by layer, over arrays of bills."""

from __future__ import annotations

import numpy as np


def fen(x: np.ndarray) -> np.ndarray:
    """Yuan rounded half-up to the fen, once (the float's noise below 10⁻⁴ fen is dropped first)."""
    return np.floor(np.round(x * 100, 4) + 0.5) / 100


def capped(formula: np.ndarray, cap: np.ndarray, paid: np.ndarray) -> np.ndarray:
    """min(formula, cap − what the year already paid), at least 0, rounded once; a NaN cap is no cap."""
    room = np.where(np.isnan(cap), np.inf, cap - paid)
    return fen(np.maximum(0.0, np.minimum(np.nan_to_num(formula), room)))


def segmented(before: np.ndarray, after: np.ndarray, threshold: np.ndarray, to: list, ratio: list) -> np.ndarray:
    """The growth of a year's base from `before` to `after` above `threshold`, cut at the bounds `to` (one
    per segment, +inf for none), each part at its segment's ratio (0 for an unused segment)."""
    start = np.maximum(before, threshold)
    paid, lower = np.zeros(np.shape(after)), 0.0
    for upper, r in zip(to, ratio, strict=True):
        if np.ndim(r) == 0 and r == 0 and np.ndim(upper) == 0 and upper == np.inf:
            continue  # an unused segment, for every bill
        part = np.minimum(after, upper) - np.maximum(start, lower)
        paid += np.maximum(0.0, part) * r
        lower = upper
    return paid


def basic_insurance(in_scope, threshold, ratio, cap, paid) -> np.ndarray:
    """基本医疗保险 (local scheme): max(0, in-scope − the bill's threshold) × ratio, within the year's cap."""
    return capped(np.maximum(0.0, in_scope - threshold) * ratio, cap, paid)


def critical_threshold(normal, factor, preferred) -> np.ndarray:
    """Article 7: 大病保险起付线比普通参保患者降低50% (× `factor`) for a hardship household's member."""
    return np.where(preferred, normal * factor, normal)


def bonus_within(bonus_points, lowest, highest) -> np.ndarray:
    """Article 7: 提高5到10个百分点 — a local figure outside the notice's range is held at its bound."""
    return np.clip(bonus_points, lowest, highest)


def raised_ratios(ratios: list, bonus_points) -> list:
    """Article 7: 各报销段报销比例提高5到10个百分点, at most 1 (unused segments stay 0)."""
    return [np.where(r > 0, np.minimum(r + bonus_points / 100, 1.0), r) for r in ratios]


def critical_illness(b, base, threshold, to, ratio, cap, paid, resident) -> np.ndarray:
    """Article 7 / 城乡居民大病保险: the year's base grows by B; its part above the threshold pays by segment.

    Resident scheme only (the employee scheme has its own supplementary insurance, not settled here).
    """
    return np.where(resident, capped(segmented(base, base + b, threshold, to, ratio), cap, paid), 0.0)


def mutual_aid(b, threshold, ratio, cap, paid, applies) -> np.ndarray:
    """Article 11: the enrolled worker's inpatient bill, max(0, B − threshold) × ratio, within the year's cap."""
    return np.where(applies, capped(np.maximum(0.0, b - threshold) * ratio, cap, paid), 0.0)


def expense_assistance(b, base, threshold, to, ratio, cap, paid, applies) -> np.ndarray:
    """Article 8: 特困 members (no threshold, any disease) and 大重病 members of hardship households, graded:
    the year's assistance base grows by B, its part above the threshold pays by segment, within the year's cap."""
    return np.where(applies, capped(segmented(base, base + b, threshold, to, ratio), cap, paid), 0.0)


def emergency_relief(total, paid_before, cap, applies) -> np.ndarray:
    """Article 10: an unpaid emergency's gap after the other channels, at most `cap` per bill."""
    gap = np.maximum(0.0, total - paid_before)
    return np.where(applies, capped(gap, cap, np.zeros_like(gap)), 0.0)
