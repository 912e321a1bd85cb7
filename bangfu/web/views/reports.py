"""统计报表 for leaders: the union's households, flows, help delivered and entitlements, drillable from province to
union; every figure links to the household list behind it; the annual workbook as Excel."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from bangfu.accounts.access import CHANGE, EXPORT, VIEW, may
from bangfu.cases.targets import ABOVE, BELOW
from bangfu.cases.workflow import IN_ARCHIVE, CaseState
from bangfu.common import clock
from bangfu.common.bounds import FIRST_YEAR, YEAR_MAX, as_of_within
from bangfu.common.errors import ValidationFailed
from bangfu.reports import selectors as s
from bangfu.reports.population import export_configured
from bangfu.reports.snapshots import entitlement_figures, report_figures
from bangfu.reports.workbook import annual_workbook

from ..access import page
from ..forms.base import StyledForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportForm(StyledForm):
    union = forms.IntegerField(required=False, widget=forms.HiddenInput)
    year = forms.IntegerField(label="年度", required=False, min_value=FIRST_YEAR, max_value=YEAR_MAX)
    as_of = forms.DateField(label="测算日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _params(request) -> tuple[ReportForm, dict]:
    form = ReportForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = clock.today()
    union = s.report_union(user=request.user, union_id=data.get("union"))
    return form, {"union": union, "year": data.get("year") or today.year, "as_of": data.get("as_of") or today,
                  "today": today}


def households_link(union, **filters) -> str:
    """The household list's URL for these filters (the list behind a figure)."""
    query = {"union": union.pk, **{k: v for k, v in filters.items() if v}}
    return reverse("web:household_list") + "?" + urlencode(query)


def _drill(union, year, name="web:reports") -> str:
    return reverse(name) + "?" + urlencode({"union": union.pk, "year": year})


def _breadcrumbs(user, union) -> list:
    """From the user's own union down to the report's union."""
    chain, node = [], union
    while node is not None:
        chain.append(node)
        if node.pk == user.organisation_id:
            break
        node = node.parent
    return list(reversed(chain))


def target_links(union, year: int) -> dict[str, str]:
    """The household lists behind Article 2's figures, by figure (and goal) key: the archive, those helped in the
    year, those that left hardship in it (by work, into social assistance, or either) or returned to it, and the
    archive below or not
    below the 低保 line (on the figures' date: today's, as the stored figures are)."""
    archive = households_link(union, status=IN_ARCHIVE)
    return {"archived": archive, "helped": households_link(union, helped=year),
            "resolved": households_link(union, closed_year=year),
            "exited_by_work": households_link(union, closed_year=year, closed_as=CaseState.EXITED.value),
            "social_assistance": households_link(union, closed_year=year, closed_as=CaseState.RELIEVED.value),
            "relapsed": households_link(union, relapsed=year),
            "below_dibao": households_link(union, status=IN_ARCHIVE, dibao=BELOW),
            "above_dibao": households_link(union, status=IN_ARCHIVE, dibao=ABOVE)}


def _goal_links(goals: dict, union, year: int) -> dict:
    """Article 2's figures and goals opening the household lists behind them (`target_links`)."""
    links = target_links(union, year)
    for goal in goals["goals"]:
        goal["links"] = {"done": links.get(goal["key"], ""),
                         "of": links["archived"] if goal["key"] in ("helped", "above_dibao") else ""}  # the archive
    goals["figures"] = [(key, label, value, links.get(key, "")) for key, label, value in goals["figures"]]
    return goals


@page(VIEW)
def reports(request):
    form, p = _params(request)
    user, union, year = request.user, p["union"], p["year"]
    stored = report_figures(user=user, union=union, year=year)
    figures = stored.value
    house, flows, help_ = figures["house"], figures["flows"], figures["help"]
    for area in house["areas"]:
        u = area["union"]
        area["links"] = {"total": households_link(u), "archived": households_link(u, status=IN_ARCHIVE),
                         "drill": _drill(u, year) if u.pk != union.pk else ""}
        area["category_links"] = [(code, label, n, households_link(u, category=code))
                                  for code, label, n in area["category"]]
    flows["reasons"] = [(st, label, n, households_link(union, status=st)) for st, label, n in flows["reasons"]]
    causes = [(code, label, n, households_link(union, cause=code)) for code, label, n in house["causes"]]
    statuses = [(code, label, n, households_link(union, status=code)) for code, label, n in house["total"]["status"]]
    charts = {
        "category": {"type": "pie", "title": "在档家庭按类别",
                     "labels": ["困难", "特困"], "values": [house["total"]["hardship"], house["total"]["extreme"]]},
        "cause": {"type": "bar", "title": "按致困原因", "labels": [r[1] for r in causes], "values": [r[2] for r in causes]},
        "flow": {"type": "line", "title": f"{year}年各月新建档与退出", "labels": [f"{m['month']}月" for m in flows["months"]],
                 "series": [{"name": "新建档", "values": [m["entries"] for m in flows["months"]]},
                            {"name": "退出", "values": [m["exits"] for m in flows["months"]]}]},
        "fund": {"type": "bar", "title": f"{year}年帮扶资金按来源(元)", "labels": [r["label"] for r in help_["sources"]],
                 "values": [float(r["spent"]) for r in help_["sources"]]},
    }
    goals = _goal_links(s.article2_progress(figures["targets"]), union, year)
    return render(request, "web/reports/reports.html", {
        "nav": "reports", "form": form, "union": union, "year": year, "house": house, "flows": flows, "help": help_,
        "causes": causes, "statuses": statuses, "charts": charts, "crumbs": _breadcrumbs(user, union),
        "targets": reverse("web:targets") + "?" + urlencode({"union": union.pk, "year": year}),
        "yoy": figures["yoy"], "programmes": figures["programmes"], "medical": figures["medical"],
        "benefits": figures["benefits"],
        "goals": goals, "stored": stored,
        "export": reverse("web:reports_export") + "?" + urlencode({"union": union.pk, "year": year}),
        "entitlements": reverse("web:reports_entitlements") + "?" + urlencode({"union": union.pk}),
    })


@page(VIEW)
def entitlements(request):
    form, p = _params(request)
    user, union, as_of = request.user, p["union"], p["as_of"]
    try:
        as_of_within(as_of)
    except ValidationFailed as exc:
        return render(request, "web/reports/entitlements.html", {"form": form, "union": union, "error": exc.message,
                                                                 "nav": "reports"}, status=422)
    stored = entitlement_figures(user=user, union=union, as_of=as_of)
    if stored.value is None:
        return render(request, "web/reports/entitlements.html", {"form": form, "union": union, "nav": "reports",
                                                                 "pending": True, "as_of": as_of,
                                                                 "crumbs": _breadcrumbs(user, union)})
    result = stored.value  # a fresh copy (read from its JSON, or just computed and stored): links are added to it
    for area in result["areas"]:
        area["link"] = households_link(area["union"], status=IN_ARCHIVE)
        area["drill"] = (reverse("web:reports_entitlements") + "?" + urlencode(
            {"union": area["union"].pk, "as_of": as_of.isoformat()})) if area["union"].pk != union.pk else ""
    chart = {"type": "bar", "title": "按条款的年度金额(元)", "labels": [f"第{a}条" for a, _ in result["articles"]],
             "values": [float(v) for _, v in result["articles"]]}
    return render(request, "web/reports/entitlements.html", {
        "nav": "reports", "form": form, "union": union, "result": result, "charts": {"article": chart},
        "crumbs": _breadcrumbs(user, union), "as_of": as_of, "stored": stored,
        "population": may(user, EXPORT) and export_configured() and reverse("web:reports_population") + "?" + urlencode(
            {"union": union.pk, "as_of": as_of.isoformat()}),
        "population_unconfigured": may(user, EXPORT) and not export_configured(),
    })


@page(EXPORT)
def reports_export(request):
    _form, p = _params(request)
    user, union, year = request.user, p["union"], p["year"]
    stored = report_figures(user=user, union=union, year=year)
    figures = stored.value
    body = annual_workbook(house=figures["house"], flows=figures["flows"], help=figures["help"],
                           computed_at=stored.computed_at, fresh=stored.fresh,
                           programmes=figures["programmes"], medical=figures["medical"], benefits=figures["benefits"])
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="report-{union.division_code}-{year}.xlsx"'
    return response



@page(VIEW)
def recomputations(request):
    rows = list(s.recomputation_list(user=request.user)[:50])
    return render(request, "web/reports/recomputations.html", {"nav": "reports", "rows": rows})


@page(VIEW)
def recomputation_detail(request, pk: int):
    from bangfu.reports.models import ChangeKind

    row = s.recomputation_get(user=request.user, pk=pk)
    kind = request.GET.get("kind", "")
    kind = kind if kind in ChangeKind.values else ""
    done = request.GET.get("done", "")
    done = done if done in ("open", "done") else ""
    tasks = list(s.recomputation_tasks(user=request.user, recomputation=row, kind=kind, done=done)[:500])
    counts = [(code, label, row.summary.get("counts", {}).get(code, 0)) for code, label in ChangeKind.choices]
    return render(request, "web/reports/recomputation.html", {
        "nav": "reports", "row": row, "tasks": tasks, "kind": kind, "done": done, "counts": counts,
        "done_choices": [("open", "待核对"), ("done", "已核对")],
        "may_mark": may(request.user, CHANGE),
        "by_benefit": sorted(row.summary.get("by_benefit", {}).items()),
        "by_union": sorted(row.summary.get("by_union", {}).items()),
    })


@require_POST
@page(CHANGE)
def recomputation_task_mark(request, pk: int, task_pk: int):
    """A household of the task list checked (or reopened); back to the list with what was done."""
    from bangfu.reports.services import recomputation_task_mark as mark

    row = s.recomputation_get(user=request.user, pk=pk)
    try:
        task = mark(actor=request.user, task_id=task_pk, done=request.POST.get("done") != "0", recomputation_id=row.pk)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{task.household_id}号家庭" + ("已标记核对完成" if task.done_at else "已重新打开"))
    back = {"kind": request.POST.get("kind", ""), "done": request.POST.get("shown", "")}
    return redirect(reverse("web:recomputation_detail", args=[row.pk]) + "?" + urlencode(
        {k: v for k, v in back.items() if v}))


@page(EXPORT)
def population_export(request):
    """The archive of the report's union as a Parquet population file (ID numbers salted and hashed)."""
    from bangfu.reports.population import population_export as export

    _form, p = _params(request)
    union, as_of = p["union"], p["as_of"]
    try:
        body = export(user=request.user, union=union, as_of=as_of)
    except ValidationFailed as exc:
        return HttpResponse(exc.message, status=422 if exc.field else 503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type="application/vnd.apache.parquet")
    response["Content-Disposition"] = f'attachment; filename="population-{union.division_code}-{as_of:%Y%m%d}.parquet"'
    return response
