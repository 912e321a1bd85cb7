"""A hand-built area whose report figures are known: six households in 南京 (玄武 g1, 秦淮 g3) and 无锡 (锡山 g4)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

D = datetime.date


@pytest.fixture
def area(make_household, users, orgs, make_user):
    from bangfu.cases.models import Case
    from bangfu.ledger.models import Budget, LedgerEntry
    from bangfu.registry.models import Household

    caseworker_g3 = make_user("caseworker", "g3", "caseworker_g3")

    def household(union, status, category, causes, archived_on=None, closed_on=None, actor=None):
        h = make_household(union, actor=actor, hardship_causes=causes)
        Household.objects.filter(pk=h.pk).update(status=status, verified_category=category)
        Case.objects.create(household=h, state=status, category=category, archived_on=archived_on,
                            next_review_on=archived_on and archived_on + datetime.timedelta(days=365),
                            closed_on=closed_on, close_reason="已稳定就业" if closed_on else "")
        h.refresh_from_db()
        return h

    hs = {
        "h1": household("g1", "archived", "hardship", ["illness", "disability"], D(2025, 3, 10)),
        "h2": household("g1", "helping", "extreme_hardship", ["illness"], D(2025, 3, 20)),
        "h3": household("g1", "draft", "none", ["unemployment"]),
        "h4": household("g3", "review", "hardship", ["education"], D(2024, 11, 5), actor=caseworker_g3),
        "h5": household("g3", "exited", "hardship", ["illness"], D(2024, 2, 1), D(2025, 6, 15), actor=caseworker_g3),
        "h6": household("g4", "archived", "extreme_hardship", ["disaster"], D(2025, 7, 1)),
    }
    cw, rv = users["caseworker_g1"], users["reviewer_xuanwu"]

    def pay(h, union, amount, source, day, reversal_of=None):
        return LedgerEntry.objects.create(household=h, union=orgs[union], amount=Decimal(amount), paid_on=day,
                                          fund_source=source, description="春节慰问", recorded_by=cw,
                                          approved_by=rv, reversal_of=reversal_of)

    pay(hs["h1"], "g1", "300.10", "fiscal", D(2025, 5, 1))
    pay(hs["h2"], "g1", "199.95", "union_funds", D(2025, 8, 1))
    pay(hs["h6"], "g4", "1000.00", "fiscal", D(2025, 9, 9))
    wrong = pay(hs["h6"], "g4", "20.00", "fiscal", D(2025, 9, 10))
    pay(hs["h6"], "g4", "-20.00", "fiscal", D(2025, 9, 11), reversal_of=wrong)
    pay(hs["h4"], "g3", "50.00", "charity", D(2024, 12, 1))
    Budget.objects.create(union=orgs["province"], fund_source="fiscal", year=2025, amount=Decimal("2000.00"),
                          set_by=users["admin_province"])
    return hs
