"""The union's ledger: totals by fund source, year and union, budgets with the over-budget warning, the queue of
requests awaiting approval, the Excel export in the finance layout, and budgets set by administrators."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from bangfu.accounts.access import EXPORT, SET_BUDGET, VIEW, may
from bangfu.accounts.models import OrgLevel
from bangfu.common import clock
from bangfu.common.bounds import FIRST_YEAR
from bangfu.common.errors import AccessDenied, ValidationFailed
from bangfu.common.paging import keyset_page
from bangfu.ledger import selectors as ledger_selectors
from bangfu.ledger import services
from bangfu.ledger.exports import ledger_export
from bangfu.ledger.models import FundSource, RequestStatus

from ..access import page, pager_query
from ..forms.base import StyledForm, blank
from ..forms.plans import BudgetForm
from ..selectors import may_approve_item, union_choices

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SOURCES = dict(FundSource.choices)
QUEUE_PER_PAGE = 50


def _unions(user) -> list:
    grassroots = user.organisation.level == OrgLevel.GRASSROOTS
    return union_choices(user=user, levels=None if grassroots else (OrgLevel.PROVINCE, OrgLevel.CITY, OrgLevel.COUNTY))


class LedgerFilterForm(StyledForm):
    union = forms.TypedChoiceField(label="工会", coerce=int, required=False, empty_value=None)
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False, empty_value=None)
    fund_source = forms.ChoiceField(label="资金来源", required=False, choices=blank("全部", FundSource.choices))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.unions = {u.pk: u for u in _unions(user)}
        self.fields["union"].choices = [(pk, u.name) for pk, u in self.unions.items()]
        this_year = clock.today().year
        self.fields["year"].choices = blank("全部年度", [(y, f"{y}年") for y in range(this_year, FIRST_YEAR - 1, -1)])
        self.default_union = user.organisation

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"union": self.unions.get(data.get("union")) or self.default_union, "year": data.get("year"),
                "fund_source": data.get("fund_source") or ""}


def _labelled(totals: dict, labels: dict | None = None) -> dict:
    for group in totals["groups"]:
        group["label"] = labels.get(group["key"], group["key"]) if labels else f"{group['key']}年"
    return totals


@page(VIEW)
def union_ledger(request):
    user = request.user
    form = LedgerFilterForm(request.GET or None, user=user)
    filters = form.filters()
    union, year = filters["union"], filters["year"]
    by_source = _labelled(ledger_selectors.ledger_totals(user=user, group_by="fund_source", **filters), SOURCES)
    by_year = _labelled(ledger_selectors.ledger_totals(user=user, group_by="year", union=union,
                                                       fund_source=filters["fund_source"]))
    by_union = ledger_selectors.union_totals(user=user, **filters)
    budgets = _budgets(user, union, year or clock.today().year)
    pending = ledger_selectors.request_list(user=user, status=RequestStatus.PENDING).count()
    context = {"form": form, "union": union, "year": year, "by_source": by_source, "by_year": by_year,
               "by_union": by_union[1:], "budgets": budgets, "pending": pending, "query": request.GET.urlencode(),
               "can_export": may(user, EXPORT), "over": [b for b in budgets if b["remaining"] < 0]}
    if may(user, SET_BUDGET):
        context["budget_form"] = BudgetForm(unions=list(form.unions.values()), initial={  # the filter's unions
            "year": year or clock.today().year, "union": union.pk})
    return render(request, "web/ledger/union.html", context)


@page(VIEW)
def request_queue(request):
    user = request.user
    result = keyset_page(ledger_selectors.request_list(user=user, status=RequestStatus.PENDING)
                         .select_related("measure"), order=ledger_selectors.QUEUE_ORDER, page=request.GET.get("page"),
                         per_page=QUEUE_PER_PAGE, after=request.GET.get("after"), before=request.GET.get("before"))
    approver = {i.pk: may_approve_item(user, i.union, {i.requested_by_id}) for i in result.items}
    return render(request, "web/ledger/requests.html", {"items": result.items, "approver": approver,
                                                        "result": result, "query": pager_query(request)})


@page(EXPORT)
def ledger_export_view(request):
    form = LedgerFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    content = ledger_export(user=request.user, **{k: v for k, v in filters.items() if v})
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ledger-{clock.today():%Y%m%d}.xlsx"'
    return response


def _budgets(user, union, year: int) -> list[dict]:
    budgets = [b for b in ledger_selectors.budget_list(user=user, year=year)
               if b["budget"].union.path.startswith(union.path)]
    for b in budgets:
        b["excess"] = -b["remaining"]
    return budgets


@require_http_methods(["GET", "POST"])
@page(VIEW)
def budget_set_view(request):
    """GET: the budgets of a union's area for a year, spent and remaining, with the form for administrators;
    POST: an administrator sets one."""
    if request.method == "GET":
        return _budget_page(request)
    if not may(request.user, SET_BUDGET):
        raise PermissionDenied("只有管理员可以设置预算")
    form = BudgetForm(request.POST, unions=_unions(request.user))
    if not form.is_valid():
        messages.error(request, "预算信息填写有误,请检查。")
        return redirect("web:union_ledger")
    data = form.cleaned_data
    try:
        budget = services.budget_set(actor=request.user, union=form.unions[data["union"]],
                                     fund_source=data["fund_source"], year=data["year"], amount=data["amount"],
                                     refuse_over=data["refuse_over"])
    except (AccessDenied, ValidationFailed) as exc:
        messages.error(request, exc.message)
        return redirect("web:union_ledger")
    messages.success(request, f"已设置{budget.union.name}{budget.year}年{budget.get_fund_source_display()}预算"
                              f"{budget.amount}元。")
    return redirect(f"{reverse('web:union_ledger')}?union={budget.union_id}&year={budget.year}")


def _budget_page(request):
    user = request.user
    form = LedgerFilterForm(request.GET or None, user=user)
    filters = form.filters()
    union, year = filters["union"], filters["year"] or clock.today().year
    context = {"form": form, "union": union, "year": year, "budgets": _budgets(user, union, year)}
    if may(user, SET_BUDGET):
        context["budget_form"] = BudgetForm(unions=_unions(user), initial={"year": year, "union": union.pk})
    return render(request, "web/ledger/budgets.html", context)
