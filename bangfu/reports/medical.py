"""Medical costs of a union's area in a year (Articles 8–11): the bills, settled by the same engine as each
household's own medical card (`bangfu.medical.settlement.year_summary`), summed by payer and area to the fen."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from bangfu.accounts.access import VIEW
from bangfu.medical.models import MedicalBill
from bangfu.medical.settlement import PAYERS, year_summary

from .selectors import _areas, _child_path

ZERO = Decimal("0.00")


def medical_report(*, user, union, year: int) -> dict:
    """Bills billed in `year`: the total cost, each payer's part and the families' own share, per area; one query
    for the bills and the standards' check, the settlement household by household in memory."""
    bills = (MedicalBill.objects.restrict(user, VIEW)
             .filter(household__union__path__startswith=union.path, billed_on__year=year)
             .select_related("member", "household__union").order_by("household_id", "billed_on", "id"))
    per_household: dict[int, list] = defaultdict(list)
    for bill in bills:
        per_household[bill.household_id].append(bill)
    depth = union.path.count("/") + 1
    areas = _areas(union)
    sums = {area.path: {"households": 0, "bills": 0, "total": ZERO, "family_share": ZERO} for area in areas}
    payers = dict.fromkeys(PAYERS, ZERO)
    for household_bills in per_household.values():
        household = household_bills[0].household
        summary = year_summary(household, year, household_bills, ZERO)
        for path in {union.path, _child_path(household.union.path, depth)}:
            if path in sums:
                row = sums[path]
                row["households"] += 1
                row["bills"] += len(household_bills)
                row["total"] += summary.total
                row["family_share"] += summary.family_share
        for code, amount in summary.by_payer.items():
            if code in payers:
                payers[code] += amount
    return {"year": year, "areas": [{"union": area, **sums[area.path]} for area in areas],
            "payers": [(code, PAYERS[code], amount) for code, amount in payers.items()],
            "total": sums[union.path]["total"], "family_share": sums[union.path]["family_share"]}
