"""Measures follow their payments (issue 17): the one home of a measure's delivered amount and of the state its
approved payments give it, called by the single payment approval (`services.ledger_approve`) and by the rounds of
the programmes (`programmes.services.reconcile.settle`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection
from django.db.models import F, Sum

from bangfu.audit.services import audit_log_many
from bangfu.cases.models import LIVE_MEASURE, Measure, MeasureStatus
from bangfu.common import clock

from .models import LedgerEntry

CHUNK = 5000
ZERO = Decimal("0.00")


def followed_status(status: str, planned: Decimal | None, delivered: Decimal) -> str:
    """The state a measure's payments give it. A live measure with money delivered is 实施中, and 已完成 once the
    delivered sum reaches its planned yearly amount, or at its first payment when it names no amount (a visit's
    慰问金, a donation: help given once). Payments never set a measure back: 已完成 and 已取消 are final (as in
    `cases.services.plans.measure_update`), and a reversal lowers the delivered amount only."""
    if status not in LIVE_MEASURE or delivered <= 0:
        return status
    if planned is None or planned <= 0 or delivered >= planned:
        return MeasureStatus.DONE
    return MeasureStatus.IN_PROGRESS


def _with_ids(qs, ids: list[int], column: str = "id"):
    """`column IN ids`; on PostgreSQL as one array parameter (`= ANY`): a round's thousands of ids are bound once,
    not one placeholder each (which cost psycopg more time than the queries)."""
    if connection.vendor != "postgresql":
        return qs.filter(**{f"{column}__in": ids})
    quote = connection.ops.quote_name
    return qs.extra(where=[f"{quote(qs.model._meta.db_table)}.{quote(column)} = ANY(%s)"], params=[ids])


def _delivered(ids: list[int]) -> dict[int, Decimal]:
    rows = (_with_ids(LedgerEntry.objects.order_by(), ids, "measure_id").values("measure_id")
            .annotate(total=Sum("amount")).values_list("measure_id", "total"))
    return {measure: (total or ZERO).quantize(Decimal("0.01")) for measure, total in rows}


def _save(changes: list[tuple[int, str, Decimal]], now) -> None:
    """Each (measure, state, delivered): on PostgreSQL one UPDATE from arrays, elsewhere one per distinct value."""
    if not changes:
        return
    if connection.vendor == "postgresql":
        ids, states, amounts = (list(x) for x in zip(*changes, strict=True))
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {connection.ops.quote_name(Measure._meta.db_table)} AS m SET status = v.status, "
                           "delivered = v.delivered, version = m.version + 1, updated_at = %s FROM unnest("
                           "%s::bigint[], %s::text[], %s::numeric[]) AS v(id, status, delivered) WHERE m.id = v.id",
                           [now, ids, states, amounts])
        return
    groups = defaultdict(list)
    for pk, state, amount in changes:
        groups[(state, amount)].append(pk)
    for (state, amount), pks in groups.items():
        Measure.objects.filter(pk__in=pks).update(status=state, delivered=amount, version=F("version") + 1,
                                                  updated_at=now)


def measures_follow_payments(*, actor, measure_ids: Iterable[int | None]) -> int:
    """Set each measure's delivered amount (the sum of its ledger entries) and state (`followed_status`) from the
    ledger; inside the caller's transaction, the measures locked; one audit row per measure changed, and its
    version moved on (a form opened before the payment is stale). Returns the number of measures changed."""
    ids = sorted({int(i) for i in measure_ids if i})
    changed = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        rows = list(_with_ids(Measure.objects.select_for_update(of=("self",)), chunk).order_by("id")
                    .values_list("id", "status", "amount", "delivered", "plan__case_id",
                                 "plan__case__household__union__path"))
        delivered = _delivered(chunk)  # summed once locked: a payment approved beside this one is counted
        changes, audits = [], []
        for pk, status, planned, before, case_id, path in rows:
            after = delivered.get(pk, ZERO)
            new_status = followed_status(status, planned, after)
            if after == before and new_status == status:
                continue
            changes.append((pk, new_status, after))
            audits.append({"object_id": case_id, "area_path": path,
                           "before": {"status": status, "delivered": str(before)},
                           "after": {"measure": pk, "status": new_status, "delivered": str(after)}})
        _save(changes, clock.now())
        audit_log_many(actor=actor, action="measure.follow_payments", object_type="case", rows=audits)
        changed += len(audits)
    return changed
