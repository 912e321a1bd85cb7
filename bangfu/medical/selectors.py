"""Reading bills: every read starts from the user's area (`restrict`), the settlement computed on the way out."""

from __future__ import annotations

import datetime

from bangfu.accounts.access import VIEW, check_area
from bangfu.common.errors import NotFound
from bangfu.registry.assessment import household_income
from bangfu.registry.models import Household

from .models import MedicalBill
from .settlement import Settled, YearSummary, settle_bills, year_summary

ALL_BILLS_READ = "_all_medical_bills_read"  # set on a household whose `medical_bills` were all read, unfiltered


def mark_all_bills_read(households: list[Household]) -> None:
    """Say that these households' `medical_bills` were prefetched whole (every bill, no filter): `medical_year`
    may then take them from the household instead of reading them again."""
    for household in households:
        setattr(household, ALL_BILLS_READ, True)


def medical_bill_list(*, user, household: Household, year: int | None = None):
    bills = (MedicalBill.objects.restrict(user).filter(household=household)
             .select_related("member", "household__union").order_by("billed_on", "id"))
    return bills.filter(billed_on__year=year) if year else bills


def medical_bill_get(*, user, pk: int, action: str = "view") -> MedicalBill:
    bill = (MedicalBill.objects.restrict(user, action).select_related("member", "household__union")
            .filter(pk=pk).first())
    if bill is None:
        raise NotFound("未找到该医疗费用单据")
    return bill


def medical_bill_settled(*, user, pk: int, ordinary: bool = False) -> Settled:
    """One bill with its settlement: the member's earlier bills of the year chain into it (`ordinary`: as for an
    ordinary insured person, to show what the notice gives)."""
    bill = medical_bill_get(user=user, pk=pk)
    year_bills = list(medical_bill_list(user=user, household=bill.household, year=bill.billed_on.year)
                      .filter(member=bill.member))
    return next(s for s in settle_bills(bill.household, year_bills, ordinary=ordinary) if s.bill.pk == bill.pk)


def medical_year(*, user, household: Household, year: int, as_of: datetime.date) -> YearSummary:
    """The household's year of bills, settled, summed, and set beside its annual income. Bills read with the
    household already (the file reads them for identification, `mark_all_bills_read`) are not read again: in the
    household's area they are the ones `medical_bill_list` gives, taken in its order. Any other prefetch of the bills
    (a filtered `Prefetch`, say) is not trusted: they are read."""
    if getattr(household, ALL_BILLS_READ, False) and "medical_bills" in getattr(household, "_prefetched_objects_cache", {}):
        check_area(user, household.union.path, VIEW, "未找到该家庭档案")
        bills = sorted((b for b in household.medical_bills.all() if b.billed_on.year == year),
                       key=lambda b: (b.billed_on, b.pk))
    else:
        bills = list(medical_bill_list(user=user, household=household, year=year))
    return year_summary(household, year, bills, household_income(household, as_of).annual)
