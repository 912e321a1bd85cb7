"""The targets of Article 2 for one union: archived, helped, exited by work, handed to social assistance,
relapsed, and still below the local 低保 standard per capita."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery, Sum

from bangfu.accounts.access import VIEW, in_area, may
from bangfu.accounts.models import Organisation
from bangfu.common.bounds import as_of_within
from bangfu.common.errors import NotFound
from bangfu.registry.choices import ARCHIVED_STATES, Status
from bangfu.registry.models import Household, IncomeRecord, Member

from .models import Case, Measure, MeasureStatus
from .parameters import dibao_standard

LABELS = {
    "archived": "在档困难职工家庭", "helped": "本年度已帮扶家庭", "exited_by_work": "本年度脱困退出",
    "social_assistance": "本年度解困(纳入社会救助)", "relapsed": "本年度返贫", "below_dibao": "人均收入仍低于当地低保标准",
}


def _helped(user, path: str, year: int) -> int:
    """Households that received something this year: a net payment in the ledger or a measure completed."""
    from bangfu.ledger.models import LedgerEntry

    paid = set(LedgerEntry.objects.restrict(user, VIEW).filter(union__path__startswith=path, paid_on__year=year)
               .values("household_id").annotate(net=Sum("amount")).filter(net__gt=0)
               .values_list("household_id", flat=True))
    done = set(Measure.objects.restrict(user, VIEW).filter(
        plan__case__household__union__path__startswith=path, status=MeasureStatus.DONE, updated_at__year=year,
    ).values_list("plan__case__household_id", flat=True))
    return len(paid | done)


def _below_dibao(households, as_of: datetime.date) -> int:
    """Archived households whose average monthly income over the last 12 months with records, per member,
    is below the local 低保 standard on `as_of` (the registry's income rule, done in one query)."""
    first = (as_of.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    incomes = IncomeRecord.objects.filter(household=OuterRef("pk"), month__gte=first, month__lte=as_of).order_by()
    income = Subquery(incomes.values("household").annotate(s=Sum("amount")).values("s"))
    months = Subquery(incomes.values("household").annotate(n=Count("month", distinct=True)).values("n"))
    size = Subquery(Member.objects.filter(household=OuterRef("pk"), removed=False).order_by()
                    .values("household").annotate(n=Count("pk")).values("n"))
    rows = households.annotate(income=income, months=months, size=size).values_list(
        "region_code", "income", "months", "size")
    standards: dict[str, Decimal | None] = {}
    below = 0
    for region, total, n, people in rows.iterator(chunk_size=5000):
        if region not in standards:
            standards[region] = dibao_standard(as_of, region)
        standard = standards[region]
        if standard is None or not people:
            continue
        average = Decimal(total) / n if total is not None and n else Decimal(0)
        below += average / people < standard
    return below


def article2_targets(*, user, union: Organisation, year: int, as_of: datetime.date) -> dict:
    """The figures of Article 2 for the union's subtree: the year's flows, and the archive on `as_of`."""
    if not may(user, VIEW) or not in_area(user, union.path):
        raise NotFound("未找到该工会")
    as_of_within(as_of)
    path = union.path
    households = Household.objects.restrict(user, VIEW).filter(union__path__startswith=path)
    cases = Case.objects.restrict(user, VIEW).filter(household__union__path__startswith=path)
    archived = households.filter(status__in=ARCHIVED_STATES)
    figures = {
        "archived": archived.count(),
        "helped": _helped(user, path, year),
        "exited_by_work": cases.filter(state=Status.EXITED, closed_on__year=year).count(),
        "social_assistance": cases.filter(state=Status.RELIEVED, closed_on__year=year).count(),
        "relapsed": cases.filter(is_relapse=True, opened_at__year=year).count(),
        "below_dibao": _below_dibao(archived, as_of),
    }
    return {"union_id": union.pk, "union": union.name, "year": year, "as_of": as_of.isoformat(),
            "figures": figures, "labels": LABELS}
