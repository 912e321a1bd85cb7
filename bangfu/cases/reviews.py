"""Reviews and exit (精准退出, Article 26): reviews due, exit suggested from income, follow-ups after exit."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import numpy as np
from django.db.models import QuerySet, prefetch_related_objects

from bangfu.accounts.access import VIEW
from bangfu.cases.workflow import ARCHIVED_STATES
from bangfu.common.bounds import as_of_within
from bangfu.common.errors import ValidationFailed
from bangfu.policy.rules import income
from bangfu.registry.income import income_batch, lines_on
from bangfu.registry.models import Household

from .models import Case, FollowUp
from .parameters import months_parameter

NO_ABLE_MEMBER = "living.minimum_living_guarantee"


def overdue_reviews(*, user, as_of: datetime.date) -> QuerySet[Case]:
    """Archived cases whose review is due on or before `as_of`, the most overdue first (the start page's list)."""
    return (Case.objects.restrict(user, VIEW).filter(state__in=ARCHIVED_STATES, next_review_on__lte=as_of)
            .select_related("household__union").order_by("next_review_on", "id"))


def followups_due(*, user, as_of: datetime.date) -> QuerySet[FollowUp]:
    """Follow-ups after exit not yet made and due on or before `as_of`."""
    return (FollowUp.objects.restrict(user, VIEW).filter(done_on__isnull=True, due_on__lte=as_of)
            .select_related("case__household__union").order_by("due_on", "id"))


def income_months(household: Household, as_of: datetime.date, months: int) -> list[dict]:
    """The `months` whole months before `as_of`'s month: income, people, per capita after a twelfth of the
    year's rigid expenses, the household's exit line (its own category's, `bangfu.policy.rules.income`)."""
    return _against_line(household, as_of, months)["months"]


# How identification counts a household (members counted, the year's rigid expenses in yuan), given when it is
# ready by the app that holds the department facts (the exchange): the review counts exactly as identification does.
IDENTIFICATION: list[Callable[[Household, datetime.date], tuple[int, Decimal]]] = []


def identification_register(count: Callable[[Household, datetime.date], tuple[int, Decimal]]) -> None:
    IDENTIFICATION[:] = [count]


def _as_identified(household: Household, as_of: datetime.date) -> tuple[int, int]:
    """The members and the year's rigid expenses (fen) exactly as identification counts them."""
    if not IDENTIFICATION:
        return household.members.filter(removed=False).count(), 0
    members, rigid = IDENTIFICATION[0](household, as_of)
    return members, income.fen(rigid)


def _against_line(household: Household, as_of: datetime.date, months: int) -> dict:
    batch = income_batch([household], as_of, months)
    days = income.window(as_of, months)
    category = income.CATEGORY_CODES.get(household.verified_category, income.HARDSHIP)
    lines = [lines_on(day.astype(object), household.region_code) for day in days]
    exit_line = np.array([[income.own_line(np.array(category), m.extreme, m.hardship) if m.complete else 2**62
                           for m in lines]], np.int64)
    size, rigid_fen = _as_identified(household, as_of)
    members, rigid = np.array([size]), np.array([rigid_fen])
    result = income.months_against_line(batch.incomes, members, as_of, months, exit_line, rigid=rigid)
    out = []
    for i, (day, m) in enumerate(zip(days, lines, strict=True)):
        recorded = bool(result.recorded[0, i])
        out.append({"month": f"{day.astype(object):%Y-%m}", "income": income.yuan(result.totals[0, i]) if recorded else None,
                    "members": size,
                    "per_capita": income.yuan(result.per_capita[0, i]) if recorded and size else None,
                    "standard": m.yuan("dibao"),
                    "line": income.yuan(exit_line[0, i]) if m.complete else None,
                    "above": bool(result.at_or_above[0, i])})
    return {"months": out, "exit_due": bool(result.exit_due[0]), "rigid": income.yuan(rigid[0])}


def no_member_can_work(household: Household, as_of: datetime.date) -> bool:
    """The engine's `living.minimum_living_guarantee` (Article 2): no member of working age able to work."""
    from bangfu.registry.assessment import household_entitlements

    # Version 2 of the format refuses the guarantee to a household on 低保 or with no shortfall; whether a
    # member can work is asked of the same household as if neither held.
    try:
        answer = household_entitlements(household, as_of, overrides={"dibao": False, "monthly_income": 0})
    except ValidationFailed:
        return False
    return any(b["code"] == NO_ABLE_MEMBER for b in answer["benefits"])


def exit_suggestion(household: Household, as_of: datetime.date) -> dict:
    """A suggestion, never a decision: 脱困退出 when, in each of the last N whole months (a parameter), the
    per-capita income was at or above the household's own exit line (the identification line of its category,
    never below the 困难 line: the engine's income rule), else 解困 when no member can work; months shown."""
    as_of_within(as_of)
    n = months_parameter("exit_income_months", as_of, household.region_code)
    found = _against_line(household, as_of, n)
    months = found["months"]
    if found["exit_due"]:
        kind, reason = "exit", (f"家庭人均收入已连续{n}个月不低于本户类别的认定线(当地城市低保标准×认定倍数),"
                                f"不再符合困难职工家庭认定条件,建议脱困退出")
    elif no_member_can_work(household, as_of):
        kind, reason = "relieve", "家庭中无有劳动能力的劳动年龄成员,难以通过就业脱困,建议解困并纳入社会救助"
    else:
        below = "、".join(m["month"] for m in months if not m["above"])
        kind, reason = None, f"暂不建议退出:{below}家庭人均收入低于本户类别的认定线或无收入记录"
    return {"suggestion": kind, "reason": reason, "months_required": n, "months": months,
            "as_of": as_of.isoformat()}


def exit_suggestions(households: list[Household], as_of: datetime.date) -> list[dict]:
    """`exit_suggestion` of each household, their members, incomes, department facts and bills read once for all
    (one query each, whatever the number of households: the start page's work list)."""
    # The relations identification reads when they are prefetched (bangfu.exchange.identification._prefetched).
    prefetch_related_objects(households, "members", "department_facts", "medical_bills__member", "incomes")
    for household in households:
        household.active_members = sorted((m for m in household.members.all() if not m.removed),
                                          key=lambda m: (m.position, m.pk))
    return [exit_suggestion(household, as_of) for household in households]
