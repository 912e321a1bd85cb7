"""Re-computation on a new standard (Article 24): every archived household in the standard's area assessed on its
date under the figures before and after it; the households whose benefits change are stored for the caseworkers.
Both sides are the engine's answers to the households' documents (`bangfu.registry.assessment`), read from the
archive as columns and evaluated as arrays, batched (the what-if takes the same path)."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.db.models import Prefetch

from bangfu.cases.workflow import ARCHIVED_STATES
from bangfu.common import clock
from bangfu.common.bulk import blank_factory, fast_insert
from bangfu.policy.rules import RULES
from bangfu.policy.rules.income import yuan
from bangfu.registry.assessment import INCOME_MONTHS, archive_chunk, archive_rows
from bangfu.registry.income import LinesByRegion
from bangfu.registry.models import Household, Member
from bangfu.standards.models import RequestKind, RequestState, StandardRequest, StandardValue
from bangfu.standards.selectors import overlay

from .entitlements import BATCH, CODES, MEMBERS, Side, chunk_sides
from .models import ChangeKind, Recomputation, RecomputedHousehold, RunState
from .proposals import counted_by_id, proposals_of, review_months

log = logging.getLogger(__name__)
ZERO = Decimal("0.00")


def parameters_around(request: StandardRequest):
    """The figures without and with the request's value (the other administrators' values as they stand)."""
    others = StandardValue.objects.exclude(parameter=request.parameter, region_code=request.region_code,
                                           start=request.start)
    return overlay(others), overlay(StandardValue.objects.all())


def scope(area_path: str, *, base=None):
    """Archived households of the standard's area (the job acts for the system; pages restrict what is shown;
    a what-if passes the user's restricted households as `base`)."""
    active = Member.objects.filter(removed=False).order_by("position", "id")
    return ((Household.objects if base is None else base).filter(union__path__startswith=area_path, status__in=ARCHIVED_STATES)
            .select_related("union").prefetch_related(Prefetch("members", queryset=active, to_attr="active_members"),
                                                      "incomes").order_by("pk"))


@dataclass
class _Entries:
    """Both sides' entries of a chunk matched by (household, rule, member): one row per key found on either side."""

    household: np.ndarray
    rule: np.ndarray
    before: np.ndarray  # fen; 0 where the side has no such entry
    after: np.ndarray
    in_before: np.ndarray
    in_after: np.ndarray

    @classmethod
    def match(cls, before: Side, after: Side) -> _Entries:
        household = np.concatenate([before.household, after.household])
        key = np.concatenate([before.key, after.key])
        is_after = np.concatenate([np.zeros(len(before.key), bool), np.ones(len(after.key), bool)])
        fen = np.concatenate([before.fen, after.fen])
        order = np.lexsort((key, household))
        household, key, is_after, fen = household[order], key[order], is_after[order], fen[order]
        new = np.ones(len(key), bool)
        new[1:] = (household[1:] != household[:-1]) | (key[1:] != key[:-1])
        group = np.cumsum(new) - 1
        n = int(new.sum())

        def side(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            fen_of = np.zeros(n, np.int64)
            np.add.at(fen_of, group[mask], fen[mask])
            return fen_of, np.bincount(group[mask], minlength=n) > 0

        (fen_b, in_b), (fen_a, in_a) = side(~is_after), side(is_after)
        return cls(household[new], key[new] // MEMBERS, fen_b, fen_a, in_b, in_a)


def difference(queryset, as_of, before_parameters, after_parameters, *, batch: int = BATCH) -> tuple[list[dict], dict]:
    """Per changed household its change (benefits, identification proposal, exit suggestion); the summary: counts
    by kind, yearly cost change by benefit and union. The households are read as columns (no model instances),
    assessed by the engine's arrays under both sets of figures without explanations (a household the format might
    refuse goes through its document, as its own answer does) and compared entry by entry as arrays: the figures
    of each household's change and of the summary, exact in fen."""
    sides_parameters = [before_parameters, after_parameters]
    lines = [LinesByRegion(as_of, p) for p in sides_parameters]
    changes, by_union = [], defaultdict(lambda: ZERO)
    by_rule, moved_rule = np.zeros(len(RULES), np.int64), np.zeros(len(RULES), bool)
    counts, total = dict.fromkeys(ChangeKind.values, 0), [0, 0]
    incomes, moved = [], {"proposals": 0, "exits": 0}
    for rows, households in archive_rows(queryset, batch):
        n = review_months(as_of, [r[3] for r in rows])  # per household, as set for its region
        chunk = archive_chunk(rows, as_of, max(INCOME_MONTHS, int(n.max())), households=households)
        before, after = chunk_sides(chunk, as_of, sides_parameters)
        sizes, rigid = counted_by_id(households, chunk.ids, chunk.sizes, as_of)
        old_s, new_s = proposals_of(chunk.regions, chunk.categories, chunk.incomes, sizes, rigid, as_of, n, lines)
        total[0] += int(before.cash.sum())
        total[1] += int(after.cash.sum())
        incomes += zip(chunk.per_capita, map(yuan, before.cash.tolist()), map(yuan, after.cash.tolist()),
                       strict=True)
        proposal_moved = np.array([o[0] != w[0] for o, w in zip(old_s, new_s, strict=True)], bool)
        exit_moved = np.array([o[1] != w[1] for o, w in zip(old_s, new_s, strict=True)], bool)
        moved["proposals"] += int(proposal_moved.sum())
        moved["exits"] += int(exit_moved.sum())
        e = _Entries.match(before, after)
        size = len(chunk.ids)
        gained = np.bincount(e.household[e.in_after & ~e.in_before], minlength=size) > 0
        lost = np.bincount(e.household[e.in_before & ~e.in_after], minlength=size) > 0
        up, down = after.cash > before.cash, after.cash < before.cash
        listed = gained | lost | up | down | proposal_moved | exit_moved  # a kind of change, or a moved proposal
        delta = e.after - e.before
        counted = listed[e.household] & (delta != 0)
        np.add.at(by_rule, e.rule[counted], delta[counted])
        moved_rule[e.rule[counted]] = True
        codes_of = defaultdict(lambda: (set(), set()))
        for which, mask in enumerate((e.in_after & ~e.in_before, e.in_before & ~e.in_after)):
            for h, r in zip(e.household[mask].tolist(), e.rule[mask].tolist(), strict=True):
                codes_of[h][which].add(CODES[r])
        for h in np.flatnonzero(listed).tolist():
            gained_codes, lost_codes = (sorted(c) for c in codes_of[h]) if h in codes_of else ([], [])
            kind = (ChangeKind.CHANGED if gained[h] and lost[h] else ChangeKind.GAINED if gained[h]
                    else ChangeKind.LOST if lost[h] else ChangeKind.UP if up[h] else ChangeKind.DOWN if down[h]
                    else ChangeKind.REVIEW)
            counts[kind] += 1
            cash_before, cash_after = yuan(int(before.cash[h])), yuan(int(after.cash[h]))
            by_union[chunk.union_names[h]] += cash_after - cash_before
            changes.append({"household_id": chunk.ids[h], "union_id": chunk.union_ids[h], "kind": kind,
                            "cash_before": cash_before, "cash_after": cash_after, "gained": gained_codes,
                            "lost": lost_codes, "proposal_before": old_s[h][0], "proposal_after": new_s[h][0],
                            "exit_before": old_s[h][1], "exit_after": new_s[h][1]})
    cost_before, cost_after = yuan(total[0]), yuan(total[1])
    by_code = {CODES[r]: str(yuan(int(by_rule[r]))) for r in np.flatnonzero(moved_rule).tolist()}
    summary = {"households": len(incomes), "changed": len(changes), "counts": counts,
               "proposals_changed": moved["proposals"], "exits_changed": moved["exits"],
               "cost_before": str(cost_before), "cost_after": str(cost_after), "cost_change": str(cost_after - cost_before),
               "by_benefit": dict(sorted(by_code.items())),
               "by_union": {k: str(v) for k, v in sorted(by_union.items())},
               "deciles": deciles(incomes)}
    return changes, summary


def deciles(rows: list[tuple[float, Decimal, Decimal]]) -> list[dict]:
    """Households in ten equal groups by monthly per-capita income: the top income of each group, the average
    yearly amount per household before and after, and the group's change."""
    rows = sorted(rows, key=lambda r: r[0])
    out = []
    for d in range(10):
        group = rows[len(rows) * d // 10: len(rows) * (d + 1) // 10]
        if not group:
            continue
        before, after = sum((r[1] for r in group), ZERO), sum((r[2] for r in group), ZERO)
        out.append({"decile": d + 1, "households": len(group), "income_to": f"{group[-1][0]:.2f}",
                    "mean_before": str((before / len(group)).quantize(Decimal("0.01"))),
                    "mean_after": str((after / len(group)).quantize(Decimal("0.01"))), "change": str(after - before)})
    return out


def recomputation_for(request: StandardRequest) -> Recomputation:
    """The re-computation of an approved new standard (one per request; queued once)."""
    row, _ = Recomputation.objects.get_or_create(request=request, defaults={"as_of": request.start,
                                                                            "area_path": request.area_path})
    return row


def recomputation_run(recomputation_id: int) -> Recomputation:
    """Run it: all or nothing (a failure leaves no changes, the run marked failed with its reason)."""
    row = Recomputation.objects.select_related("request").get(pk=recomputation_id)
    if row.state == RunState.DONE:
        return row
    Recomputation.objects.filter(pk=row.pk).update(state=RunState.RUNNING)
    try:
        before, after = parameters_around(row.request)
        changes, summary = difference(scope(row.area_path), row.as_of, before, after)
        with transaction.atomic():
            RecomputedHousehold.objects.filter(recomputation=row).delete()
            make = blank_factory(RecomputedHousehold)
            fast_insert(RecomputedHousehold, (
                make(recomputation_id=row.pk, **ch) for ch in changes))
            row.state, row.summary, row.households = RunState.DONE, summary, summary["households"]
            row.finished_at, row.message = clock.now(), ""
            row.save(update_fields=["state", "summary", "households", "finished_at", "message"])
    except Exception as exc:  # the job's failure is recorded for the administrators, never half-written
        log.exception("re-computation %s failed", row.pk)
        Recomputation.objects.filter(pk=row.pk).update(state=RunState.FAILED, message=f"测算失败:{exc}")
    row.refresh_from_db()
    return row


def pending_requests():
    """Approved new standards without a re-computation yet (whichever route approved them)."""
    return StandardRequest.objects.filter(kind=RequestKind.SET, state=RequestState.APPROVED,
                                          recomputation__isnull=True).order_by("pk")
