"""Medical bills in the household file: record, the year's card, the printable 结算单, the calculator."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from bangfu.accounts.access import ADD, CHANGE, DELETE, VIEW, may
from bangfu.cases.workflow import INACTIVE_STATES
from bangfu.common import clock
from bangfu.common.bounds import FIRST_YEAR
from bangfu.common.errors import DomainError
from bangfu.medical import selectors as medical
from bangfu.medical.models import Scheme
from bangfu.medical.services import medical_bill_delete, medical_bill_record
from bangfu.medical.settlement import PAYERS
from bangfu.registry import choices as c
from bangfu.registry import selectors
from bangfu.standards.selectors import effective_parameters

from ..access import page
from ..calculator import calculator_answer, layer_rows
from ..forms.medical import BillForm, CalculatorForm

ACCIDENT_SHARE = "sync.identification.accident_expense_share"


def medical_year_asked(request) -> int:
    """The year of the file's 医疗费用 card (`medical_year`, else this year; within the years kept)."""
    try:
        year = int(request.GET.get("medical_year", ""))
    except ValueError:
        year = clock.today().year
    return min(max(year, FIRST_YEAR), clock.today().year)


def medical_context(request, household) -> dict:
    """The file's 医疗费用 card: the year's bills settled, the schemes' shares, the family's own share."""
    today = clock.today()
    year = medical_year_asked(request)
    as_of = min(today, datetime.date(year, 12, 31))
    summary = medical.medical_year(user=request.user, household=household, year=year, as_of=as_of)
    line = effective_parameters()[ACCIDENT_SHARE].at(as_of, household.region_code)
    share = Decimal(str(line.value)) if line and line.value is not None else None
    accident = (share is not None and summary.annual_income > 0 and summary.family_share
                > summary.annual_income * share)
    measure_url = None
    if summary.family_share > 0 and household.archived and may(request.user, CHANGE):
        measure_url = reverse("web:plan_detail", args=[household.pk, year]) + "?" + urlencode({
            "kind": "donation", "amount": str(summary.family_share), "department": "union",
            "title": f"{year}年医疗费用家庭自付部分帮扶(第12条、第22条)",
            "notes": f"经基本医保、大病保险、医疗救助、职工医疗互助结算后,家庭自付{summary.family_share}元"})
    return {"medical": summary, "medical_payers": [(code, PAYERS[code], summary.by_payer[code]) for code in PAYERS],
            "medical_years": list(range(today.year, FIRST_YEAR - 1, -1)), "medical_accident": accident,
            "medical_accident_line": f"{float(share) * 100:g}%" if share is not None else "", "medical_measure_url": measure_url,
            "can_add_bill": may(request.user, ADD) and household.status not in INACTIVE_STATES}


@page(ADD)
def bill_create(request, pk: int):
    household = selectors.household_get(user=request.user, pk=pk)
    members = household.active_members
    worker = next((m for m in members if m.relation == c.Relation.SELF), None)
    initial = {"billed_on": clock.today(), "member": request.GET.get("member") or (worker and worker.pk),
               "scheme": Scheme.RESIDENT if worker and worker.resident_medical_insurance else Scheme.EMPLOYEE}
    form = BillForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        member = next(m for m in members if m.pk == form.cleaned_data["member"])
        try:
            bill = medical_bill_record(actor=request.user, household=household, member=member,
                                       data=form.service_data())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            return redirect("web:bill_detail", bill.pk)
    status = 422 if form.errors else 200
    return render(request, "web/medical/bill_form.html", {"household": household, "form": form}, status=status)


@page(VIEW)
def bill_detail(request, pk: int):
    """The 结算单: every layer with its figures and article, the family's share, the ordinary patient beside."""
    settled = medical.medical_bill_settled(user=request.user, pk=pk)
    ordinary = medical.medical_bill_settled(user=request.user, pk=pk, ordinary=True)
    bill = settled.bill
    return render(request, "web/medical/bill.html", {
        "bill": bill, "household": bill.household, "household_id": bill.household_id, "settled": settled, "ordinary": ordinary,
        "rows": layer_rows(settled.answer, ordinary.answer), "can_delete": may(request.user, DELETE),
        "printed_on": clock.today()})


@page(DELETE)
def bill_delete(request, pk: int):
    if request.method != "POST":
        raise Http404
    bill = medical.medical_bill_get(user=request.user, pk=pk, action=DELETE)
    household_id = bill.household_id
    medical_bill_delete(actor=request.user, bill=bill)
    return redirect(reverse("web:household_detail", args=[household_id]) + "#medical-title")


def _member_initial(request) -> dict:
    """The calculator filled from a member's file (`?member=`), read through the area check."""
    try:
        member = selectors.member_get(user=request.user, pk=int(request.GET["member"]))
    except (KeyError, ValueError):
        return {}
    household = member.household
    category = household.verified_category if household.verified_category != "none" else household.proposed_category
    return {"region": household.region_code[:4] + "00", "relation": member.relation,
            "category": category if category != "none" else c.Category.HARDSHIP,
            "scheme": Scheme.RESIDENT if member.resident_medical_insurance else Scheme.EMPLOYEE,
            "serious_illness": member.serious_illness, "member_name": member.name}


@page(VIEW)
def calculator(request):
    """医疗费用测算: what the family would pay for a bill, with the ordinary insured person's figure beside."""
    today = clock.today()
    initial = {"billed_on": today, "region": "320100", "total": Decimal("80000"), "in_scope": Decimal("60000"),
               **_member_initial(request)}
    bound = "total" in request.GET
    form = CalculatorForm(request.GET if bound else None, initial=initial, day=today)
    context = {"form": form, "member_name": initial.get("member_name")}
    if bound and form.is_valid():
        context.update(calculator_answer(form))
    return render(request, "web/medical/calculator.html", context, status=422 if form.errors else 200)
