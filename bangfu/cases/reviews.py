"""Reviews and exit (精准退出, Article 26): reviews due, exit suggested from income, follow-ups after exit."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import QuerySet, Sum

from bangfu.accounts.access import VIEW
from bangfu.common.bounds import as_of_within
from bangfu.common.errors import ValidationFailed
from bangfu.registry.choices import ARCHIVED_STATES
from bangfu.registry.models import Household, IncomeRecord

from .models import Case, FollowUp
from .parameters import add_months, dibao_standard, months_parameter

CENT = Decimal("0.01")
NO_ABLE_MEMBER = "living.minimum_living_guarantee"


def overdue_reviews(*, user, as_of: datetime.date) -> QuerySet[Case]:
    """Archived cases whose review is due on or before `as_of`, the most overdue first (the start page's list)."""
    return (Case.objects.restrict(user, VIEW).filter(state__in=ARCHIVED_STATES, next_review_on__lte=as_of)
            .select_related("household__union").order_by("next_review_on", "id"))


def followups_due(*, user, as_of: datetime.date) -> QuerySet[FollowUp]:
    """Follow-ups after exit not yet made and due on or before `as_of`."""
    return (FollowUp.objects.restrict(user, VIEW).filter(done_on__isnull=True, due_on__lte=as_of)
            .select_related("case__household__union").order_by("due_on", "id"))


def _monthly_income(household: Household, first: datetime.date, last: datetime.date) -> dict:
    rows = (IncomeRecord.objects.filter(household=household, month__gte=first, month__lte=last)
            .values("month").annotate(total=Sum("amount")).order_by())
    return {row["month"]: row["total"] for row in rows}


def income_months(household: Household, as_of: datetime.date, months: int) -> list[dict]:
    """The last `months` complete months before `as_of`: income, people, per capita, the 低保 standard."""
    last = add_months(as_of.replace(day=1), -1)
    days = [add_months(last, -i) for i in reversed(range(months))]
    totals = _monthly_income(household, days[0], last)
    size = household.members.filter(removed=False).count()
    out = []
    for day in days:
        income, standard = totals.get(day), dibao_standard(day, household.region_code)
        per_capita = (Decimal(income) / size).quantize(CENT) if income is not None and size else None
        out.append({"month": f"{day:%Y-%m}", "income": income, "members": size, "per_capita": per_capita,
                    "standard": standard,
                    "above": per_capita is not None and standard is not None and per_capita > standard})
    return out


def no_member_can_work(household: Household, as_of: datetime.date) -> bool:
    """The engine's `living.minimum_living_guarantee` (Article 2): no member of working age able to work."""
    from bangfu.registry.assessment import household_entitlements

    try:
        answer = household_entitlements(household, as_of)
    except ValidationFailed:
        return False
    return any(b["code"] == NO_ABLE_MEMBER for b in answer["benefits"])


def exit_suggestion(household: Household, as_of: datetime.date) -> dict:
    """A suggestion, never a decision: 脱困退出 when per-capita income stayed above the local 低保 standard for
    the last N months (a parameter), else 解困 when no member can work; with the months shown."""
    as_of_within(as_of)
    n = months_parameter("exit_income_months", as_of, household.region_code)
    months = income_months(household, as_of, n)
    if all(m["above"] for m in months):
        kind, reason = "exit", f"家庭人均收入已连续{n}个月高于当地城市低保标准,建议脱困退出"
    elif no_member_can_work(household, as_of):
        kind, reason = "relieve", "家庭中无有劳动能力的劳动年龄成员,难以通过就业脱困,建议解困并纳入社会救助"
    else:
        below = "、".join(m["month"] for m in months if not m["above"])
        kind, reason = None, f"暂不建议退出:{below}家庭人均收入未高于当地城市低保标准或无收入记录"
    return {"suggestion": kind, "reason": reason, "months_required": n, "months": months,
            "as_of": as_of.isoformat()}
