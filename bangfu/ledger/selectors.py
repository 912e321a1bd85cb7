"""Reads of the ledger: entries, requests, budgets, and totals exact to the fen, all restricted to the user's area."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractYear

from bangfu.accounts.access import VIEW
from bangfu.accounts.models import Organisation
from bangfu.common.errors import NotFound, ValidationFailed
from bangfu.policy.money import CENT
from bangfu.registry.models import Member

from .models import Budget, LedgerEntry, LedgerRequest

GROUPS = {"household": "household_id", "measure": "measure_id", "fund_source": "fund_source", "year": "year"}


ENTRY_ORDER = ("paid_on", "id")  # the ledger's own order, on every page of it (keyset pagination)
REQUEST_ORDER = ("-id",)  # newest first
QUEUE_ORDER = ("id",)  # the approval queue: oldest first


def entry_list(*, user, household_id: int | None = None, measure_id: int | None = None, fund_source: str = "",
               union: Organisation | None = None, year: int | None = None, action: str = VIEW
               ) -> QuerySet[LedgerEntry]:
    """Entries the user may see, filtered; in date order (the ledger's own order)."""
    qs = LedgerEntry.objects.restrict(user, action)
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    if measure_id is not None:
        qs = qs.filter(measure_id=measure_id)
    if fund_source:
        qs = qs.filter(fund_source=fund_source)
    if union is not None:
        qs = qs.filter(union__path__startswith=union.path)
    if year is not None:
        qs = qs.filter(paid_on__year=year)
    return qs.order_by(*ENTRY_ORDER)


def entry_get(*, user, pk: int, action: str = VIEW) -> LedgerEntry:
    entry = LedgerEntry.objects.restrict(user, action).select_related("union").filter(pk=pk).first()
    if entry is None:
        raise NotFound("未找到该台账记录")
    return entry


def request_list(*, user, status: str = "") -> QuerySet[LedgerRequest]:
    """Requests the user may see, each with `worker_name`: the name of the worker the household is on file for."""
    worker = Member.objects.filter(household=OuterRef("household_id"), relation="self", removed=False)
    qs = (LedgerRequest.objects.restrict(user, VIEW).select_related("union", "requested_by")
          .annotate(worker_name=Subquery(worker.values("name")[:1])))
    return (qs.filter(status=status) if status else qs).order_by(*REQUEST_ORDER)


def request_get(*, user, pk: int, action: str = VIEW) -> LedgerRequest:
    request = LedgerRequest.objects.restrict(user, action).select_related("union").filter(pk=pk).first()
    if request is None:
        raise NotFound("未找到该台账登记申请")
    return request


def _money(value) -> Decimal:
    return (value or Decimal(0)).quantize(CENT)


def ledger_totals(*, user, group_by: str = "", **filters) -> dict:
    """The total (net of reversals) and count of the filtered entries, and per group when `group_by` is one of
    household, measure, fund_source, year; sums are done by the database in exact decimals."""
    qs = entry_list(user=user, **filters).order_by()
    overall = qs.aggregate(total=Sum("amount"), count=Count("id"))
    result = {"total": _money(overall["total"]), "count": overall["count"], "groups": []}
    if group_by:
        if group_by not in GROUPS:
            raise ValidationFailed(f"无效的分组方式:{group_by}", field="group_by")
        if group_by == "year":
            qs = qs.annotate(year=ExtractYear("paid_on"))
        key = GROUPS[group_by]
        rows = qs.values(key).annotate(total=Sum("amount"), count=Count("id")).order_by(key)
        result["groups"] = [{"key": row[key], "total": _money(row["total"]), "count": row["count"]} for row in rows]
    return result


def union_totals(*, user, union: Organisation, **filters) -> list[dict]:
    """Per union subtree: the union itself (everything under it) and each of its direct children. Two queries
    whatever the number of children: the children, and the entries summed per union; subtrees add up here."""
    if not union.path.startswith(user.organisation.path):
        raise NotFound("未找到该工会")
    children = list(union.children.order_by("path"))
    rows = (entry_list(user=user, union=union, **filters).order_by().values("union__path")
            .annotate(total=Sum("amount"), count=Count("id")))
    sums = {org.path: [Decimal(0), 0] for org in [union, *children]}
    depth = union.path.count("/")
    for row in rows:
        child = "".join(f"{code}/" for code in row["union__path"].split("/")[:depth + 1])
        for path in {union.path, child}:
            if path in sums:  # an entry of the union itself belongs to no child
                sums[path][0] += row["total"] or 0
                sums[path][1] += row["count"]
    return [{"union_id": org.pk, "union": org.name, "total": _money(sums[org.path][0]), "count": sums[org.path][1]}
            for org in [union, *children]]


def budget_list(*, user, year: int | None = None) -> list[dict]:
    """Budgets in the user's area with what has been spent against each and what remains: one query, the
    spending of each budget's subtree, fund source and year summed by the database beside it."""
    spending = (LedgerEntry.objects.filter(union__path__startswith=OuterRef("union__path"),
                                           fund_source=OuterRef("fund_source"), paid_on__year=OuterRef("year"))
                .order_by().values("fund_source").annotate(total=Sum("amount")).values("total"))
    qs = (Budget.objects.restrict(user, VIEW).select_related("union")
          .annotate(spent=Subquery(spending, output_field=DecimalField(max_digits=16, decimal_places=2))))
    if year is not None:
        qs = qs.filter(year=year)
    out = []
    for budget in qs:
        used = _money(budget.spent)
        out.append({"budget": budget, "spent": used, "remaining": budget.amount - used})
    return out


def households_paid(*, user, path: str, year: int) -> QuerySet:
    """The ids of households under `path` with a net payment in `year` (Article 2's "helped", beside completed
    measures), as a query the caller counts or filters by."""
    return (LedgerEntry.objects.restrict(user, VIEW).filter(union__path__startswith=path, paid_on__year=year)
            .values("household_id").annotate(net=Sum("amount")).filter(net__gt=0).values_list("household_id", flat=True))
