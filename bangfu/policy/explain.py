"""Answers in the exchange format, read off one evaluation: benefits, reasons for refusals, totals."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from bangfu.policy.engine import Evaluation, RuleResult
from bangfu.policy.schema import Household

CENT = Decimal("0.01")
PAID = frozenset({"cash", "subsidy"})


def money(x: float) -> Decimal | None:
    """Yuan rounded half-up to the fen; None for a null amount (NaN)."""
    if x is None or math.isnan(x):
        return None
    return Decimal(repr(round(x, 6))).quantize(CENT, rounding=ROUND_HALF_UP)


def _plain(x: Any) -> Any:
    """A JSON-ready figure: NaN is null, a whole float an int."""
    if isinstance(x, float):
        if math.isnan(x):
            return None
        return int(x) if x.is_integer() else round(x, 6)
    return x


def _shown(x: Any) -> Any:
    """How a figure reads in an explanation (1000, 95.09, 0.5283)."""
    if isinstance(x, Decimal):
        return str(int(x)) if x == x.to_integral_value() else f"{x:.2f}"
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return str(x)
    return x


def _scalar(x: Any) -> Any:
    return x.item() if isinstance(x, np.generic) else x


def _column(values: Any, rows: np.ndarray) -> list:
    """Plain Python values of `values` (an array, or one scalar for every row) at `rows`."""
    if callable(values):  # a figure computed only for the rows an answer shows
        return values(rows)
    if isinstance(values, np.ndarray) and values.ndim:
        return values[rows].tolist()
    return [_scalar(values)] * len(rows)


def _entries(result: RuleResult, rows: np.ndarray, member_ids: list[str] | None) -> list[dict]:
    rule, outcome = result.rule, result.outcome
    n = len(rows)
    amounts = [None] * n if outcome.amount is None else [money(a) for a in _column(outcome.amount, rows)]
    members = [member_ids[r] for r in rows.tolist()] if rule.entity == "person" and member_ids else [None] * n
    details = {k: [_plain(x) for x in _column(v, rows)] for k, v in outcome.details.items()}
    flags = {k: _column(v, rows) for k, v in outcome.illustrative.items()}
    static = isinstance(rule.explain, str) and "{" not in rule.explain
    entries = []
    for j in range(n):
        figures = {k: v[j] for k, v in details.items()}
        if static:
            text = rule.explain
        else:
            shown = {k: _shown(v) for k, v in figures.items()}
            shown["amount"] = _shown(amounts[j])
            text = rule.explain(shown) if callable(rule.explain) else rule.explain.format(**shown)
        illustrative = [k for k, v in flags.items() if v[j] and figures.get(k) is not None]
        if illustrative:
            figures["illustrative"] = illustrative
        entries.append({
            "code": rule.code, "article": rule.article, "member": members[j], "title": rule.title,
            "kind": rule.kind, "amount": amounts[j], "details": figures, "explanation": text,
        })
    return entries


def _refusals(result: RuleResult, rows: np.ndarray, member_ids: list[str] | None) -> list[dict]:
    rule, outcome = result.rule, result.outcome
    failed = result.first_failure(rows)
    details: dict[str, list] | None = None
    out = []
    for j, row in enumerate(rows.tolist()):
        reason = outcome.conditions[failed[j]][1]
        if "{" in reason:
            if details is None:
                details = {k: [_shown(_plain(x)) for x in _column(v, rows)] for k, v in outcome.details.items()}
            reason = reason.format(**{k: v[j] for k, v in details.items()})
        out.append({
            "code": rule.code, "article": rule.article,
            "member": member_ids[row] if rule.entity == "person" and member_ids else None,
            "reason": reason,
        })
    return out


def _split_rows(which: np.ndarray, rows: np.ndarray, n: int) -> list[np.ndarray]:
    """np.nonzero's (mask index, row) pairs of n stacked masks, as the rows of each mask."""
    bounds = np.searchsorted(which, np.arange(n + 1)).tolist()
    return [rows[bounds[i]:bounds[i + 1]] for i in range(n)]


def _rows(evaluation: Evaluation) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """For each rule (by position), the rows entitled and the refused rows worth listing.

    The masks of all rules of an entity are stacked, so that a batch of one costs a few array
    operations, not a few per rule.
    """
    gate_h = evaluation.gate.entitled
    gates = {"household": gate_h, "person": gate_h[evaluation.population.hh]}
    out = {}
    for entity, gate in gates.items():
        positions = [i for i, r in enumerate(evaluation.results) if r.rule.entity == entity]
        results = [evaluation.results[i] for i in positions]
        entitled = np.stack([r.entitled for r in results])
        refused = np.stack([gate if r.outcome.listed is None else gate & r.outcome.listed for r in results])
        refused &= ~entitled
        n = len(results)
        pairs = zip(_split_rows(*np.nonzero(entitled), n), _split_rows(*np.nonzero(refused), n), strict=True)
        out.update(zip(positions, pairs, strict=True))
    return out


def answers(evaluation: Evaluation, households: list[Household]) -> list[dict]:
    """The spec's output document for each household of the evaluated batch, in batch order."""
    pop = evaluation.population
    benefits: list[list[dict]] = [[] for _ in households]
    refused: list[list[dict]] = [[] for _ in households]
    owner = {"household": range(pop.n_households), "person": pop.hh.tolist()}
    for i, (entitled, listed) in sorted(_rows(evaluation).items()):
        result = evaluation.results[i]
        owners = owner[result.rule.entity]
        if len(entitled):
            for entry, row in zip(_entries(result, entitled, pop.member_ids), entitled.tolist(), strict=True):
                benefits[owners[row]].append(entry)
        if len(listed):
            for entry, row in zip(_refusals(result, listed, pop.member_ids), listed.tolist(), strict=True):
                refused[owners[row]].append(entry)
    outside = np.flatnonzero(~evaluation.gate.entitled)
    for h, refusal in zip(outside.tolist(), _refusals(evaluation.gate, outside, None), strict=True):
        refused[h] = [refusal]
    out = []
    for h, household in enumerate(households):
        total = sum((b["amount"] for b in benefits[h] if b["kind"] in PAID and b["amount"] is not None),
                    Decimal("0.00"))
        out.append({
            "as_of": household.as_of.isoformat(), "region": household.region,
            "category": household.category, "benefits": benefits[h], "not_eligible": refused[h],
            "total_cash": total,
        })
    return out
