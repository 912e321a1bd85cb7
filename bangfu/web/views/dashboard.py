"""The start page (工作台): counts, a chart, the user's overdue reviews, follow-ups and exit suggestions; and the
union's targets of Article 2."""

from __future__ import annotations

import datetime

from django import forms
from django.shortcuts import render

from bangfu.accounts.access import ADD, VIEW, is_department_officer, may
from bangfu.accounts.models import OrgLevel
from bangfu.cases.reviews import exit_suggestions, followups_due, overdue_reviews
from bangfu.cases.selectors import case_list
from bangfu.cases.workflow import CaseState
from bangfu.common import clock
from bangfu.common.bounds import FIRST_YEAR
from bangfu.exchange.selectors import job_list
from bangfu.ledger.models import RequestStatus
from bangfu.ledger.selectors import request_list
from bangfu.programmes.selectors import rounds_waiting
from bangfu.reports.snapshots import report_figures

from ..access import page
from ..forms.base import StyledForm
from ..selectors import area_summary, may_approve, union_choices
from .exchange import RECENT
from .reports import target_links
from .verification import alerts_context

WORKLIST = 20  # rows of each list on the start page
SUGGESTIONS = 10  # exit suggestions cost an assessment each: the first few reviews only


def worklists(user) -> dict:
    today = clock.today()
    reviews = list(case_list(user=user, state=CaseState.REVIEW)[:SUGGESTIONS])
    suggestions = [{"case": case, **suggestion} for case, suggestion
                   in zip(reviews, exit_suggestions([case.household for case in reviews], today), strict=True)
                   if suggestion["suggestion"]]
    return {
        "today": today,
        "overdue": list(overdue_reviews(user=user, as_of=today)[:WORKLIST]),
        "followups": list(followups_due(user=user, as_of=today)[:WORKLIST]),
        "suggestions": suggestions,
        "pending": (request_list(user=user, status=RequestStatus.PENDING).count()
                    if may_approve(user, user.organisation.path) else None),
        "rounds_waiting": rounds_waiting(user=user),
    }


@page()
def home(request):
    user = request.user
    context = {"can_view": may(user, VIEW), "can_add": may(user, ADD)}
    if context["can_view"]:
        summary = area_summary(user=user)
        by_city = user.organisation.level == OrgLevel.PROVINCE or (
            user.organisation.level == OrgLevel.CITY and len(summary["city"]) > 1)
        series = summary["city"] if by_city else summary["category"] + [("申请中", dict(summary["status"])["申请"])]
        context.update(summary=summary, chart={"title": "各市家庭数" if by_city else "按类别的家庭数",
                                               "labels": [s[0] for s in series], "values": [s[1] for s in series]},
                       **worklists(user), **alerts_context(user))
    elif is_department_officer(user):
        context.update(is_officer=True, jobs=job_list(user=user).select_related("created_by")[:RECENT])
    return render(request, "web/home.html", context)


class TargetsForm(StyledForm):
    union = forms.TypedChoiceField(label="工会", coerce=int, required=False, empty_value=None)
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        levels = None if user.organisation.level == OrgLevel.GRASSROOTS else (
            OrgLevel.PROVINCE, OrgLevel.CITY, OrgLevel.COUNTY)
        self.unions = {u.pk: u for u in union_choices(user=user, levels=levels)}
        self.fields["union"].choices = [(pk, u.name) for pk, u in self.unions.items()]
        this_year = clock.today().year
        self.fields["year"].choices = [(y, f"{y}年") for y in range(this_year, FIRST_YEAR - 1, -1)]


@page(VIEW)
def targets(request):
    user = request.user
    form = TargetsForm(request.GET or None, user=user)
    data = form.cleaned_data if form.is_valid() else {}
    today = clock.today()
    union = form.unions.get(data.get("union")) or user.organisation
    year = data.get("year") or today.year
    # The report's stored figures (issue 19: computed per view, the archive's incomes made this page slow)
    stored = report_figures(user=user, union=union, year=year)
    result = stored.value["targets"]
    links = target_links(union, year)
    rows = [(key, result["labels"][key], value, links.get(key, "")) for key, value in result["figures"].items()]
    chart = {"title": f"{union.name}{year}年目标任务", "labels": [r[1] for r in rows], "values": [r[2] for r in rows]}
    return render(request, "web/targets.html", {"form": form, "union": union, "year": year, "rows": rows,
                                                "chart": chart, "as_of": datetime.date.fromisoformat(result["as_of"]), "stored": stored})
