"""Re-computation on a new standard (Article 24): every archived household in the standard's area assessed on its
date under the figures before and after it; the households whose benefits change are stored for the caseworkers.
Both sides go through the household's own assessment path (`entitlements.answers`), batched."""

from __future__ import annotations

import logging
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch

from bangfu.cases.workflow import ARCHIVED_STATES
from bangfu.common import clock
from bangfu.common.bulk import blank_factory, fast_insert
from bangfu.registry.models import Household, Member
from bangfu.standards.models import RequestKind, RequestState, StandardRequest, StandardValue
from bangfu.standards.selectors import overlay

from .entitlements import chunk_answers, chunks
from .models import ChangeKind, Recomputation, RecomputedHousehold, RunState
from .proposals import proposals

log = logging.getLogger(__name__)
ZERO = Decimal("0.00")


def _cash(amounts: dict) -> Decimal:
    """Every benefit's yearly amount added up: cash and subsidies (`total_cash`) and the sums a benefit leaves to
    another body (Article 2's gap to the 低保 line), which is what a new 低保 standard moves."""
    return sum(amounts.values(), ZERO)


def _amounts(answer) -> dict[tuple, Decimal]:
    """(code, member) → the yearly amount (the engine's Decimal; 0 where it sets none)."""
    if answer is None:
        return {}
    return {(b["code"], b["member"]): b["amount"] if isinstance(b["amount"], Decimal) else Decimal(str(b["amount"] or 0))
            for b in answer["benefits"]}


def classify(old: dict, new: dict) -> tuple[str | None, list, list]:
    """The change of one household from its amounts before and after (`_amounts`): (kind or None when nothing
    changed, codes gained, codes lost)."""
    if old == new:
        return None, [], []
    gained = sorted({code for code, _m in new.keys() - old.keys()})
    lost = sorted({code for code, _m in old.keys() - new.keys()})
    cash_before, cash_after = _cash(old), _cash(new)
    if gained and lost:
        return ChangeKind.CHANGED, gained, lost
    if gained:
        return ChangeKind.GAINED, gained, lost
    if lost:
        return ChangeKind.LOST, gained, lost
    if cash_after > cash_before:
        return ChangeKind.UP, gained, lost
    if cash_after < cash_before:
        return ChangeKind.DOWN, gained, lost
    return None, gained, lost


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


def difference(queryset, as_of, before_parameters, after_parameters) -> tuple[list[dict], dict]:
    """Per changed household its change (benefits, identification proposal, exit suggestion); the summary: counts
    by kind, yearly cost change by benefit and union. Each household's document is built once for both sides."""
    changes, by_code, by_union = [], defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    counts, total = dict.fromkeys(ChangeKind.values, 0), [ZERO, ZERO]
    n, incomes, moved = 0, [], {"proposals": 0, "exits": 0}
    for chunk in chunks(queryset):
        found = chunk_answers(chunk, as_of, [before_parameters, after_parameters])
        standing = proposals(chunk, as_of, [before_parameters, after_parameters])
        for household, (before, after), old_s, new_s in zip(chunk, found, *standing, strict=True):
            n += 1
            old, new = _amounts(before), _amounts(after)
            cash_before, cash_after = _cash(old), _cash(new)
            incomes.append((household.per_capita_income, cash_before, cash_after))
            total[0] += cash_before
            total[1] += cash_after
            kind, gained, lost = classify(old, new)
            moved["proposals"] += old_s[0] != new_s[0]
            moved["exits"] += old_s[1] != new_s[1]
            if kind is None and old_s == new_s:
                continue
            kind = kind or ChangeKind.REVIEW
            counts[kind] += 1
            for key in old.keys() | new.keys():
                delta = new.get(key, ZERO) - old.get(key, ZERO)
                if delta:
                    by_code[key[0]] += delta
            by_union[household.union.name] += cash_after - cash_before
            changes.append({"household": household, "kind": kind, "cash_before": cash_before,
                            "cash_after": cash_after, "gained": gained, "lost": lost,
                            "proposal_before": old_s[0], "proposal_after": new_s[0],
                            "exit_before": old_s[1], "exit_after": new_s[1]})
    summary = {"households": n, "changed": len(changes), "counts": counts,
               "proposals_changed": moved["proposals"], "exits_changed": moved["exits"],
               "cost_before": str(total[0]), "cost_after": str(total[1]), "cost_change": str(total[1] - total[0]),
               "by_benefit": {k: str(v) for k, v in sorted(by_code.items())},
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
                make(recomputation_id=row.pk, household_id=ch["household"].pk, union_id=ch["household"].union_id,
                     **{k: v for k, v in ch.items() if k != "household"}) for ch in changes))
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
