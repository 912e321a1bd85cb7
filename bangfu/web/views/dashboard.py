"""The start page (工作台): counts, a chart, the user's overdue reviews, follow-ups and exit suggestions; and the
union's targets of Article 2."""

from __future__ import annotations

import datetime

from django import forms
from django.shortcuts import render

from bangfu.accounts.access import ADD, VIEW, AreaScope, is_department_officer, may
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
from bangfu.reports.snapshots import cached_figures, report_figures

from ..access import page
from ..forms.base import StyledForm
from ..selectors import area_summary, filter_choices, may_approve
from .exchange import RECENT
from .reports import target_links
from .verification import alerts_context, open_alerts

WORKLIST = 20  # rows of each list on the start page
SUGGESTIONS = 10  # exit suggestions cost an assessment each: the first few reviews only


def area_figures(user) -> dict:
    """What the start page shows of the user's area, the same for everyone in it who may see households: counts,
    overdue reviews, follow-ups due, exit suggestions and open alerts, as plain rows. Computed as the area
    (`AreaScope`) and kept in the cache until the next change in it (`cached_figures`): most views read them."""
    union = user.organisation
    scope = AreaScope(union)

    def compute() -> dict:
        today = clock.today()
        reviews = list(case_list(user=scope, state=CaseState.REVIEW)[:SUGGESTIONS])
        suggestions = [{"household_id": case.household_id, "suggestion": found["suggestion"], "reason": found["reason"]}
                       for case, found in zip(reviews, exit_suggestions([case.household for case in reviews], today),
                                              strict=True)
                       if found["suggestion"]]
        return {
            "summary": area_summary(user=scope),
            "overdue": [{"household_id": case.household_id, "union": case.household.union.name,
                         "due_on": case.next_review_on}
                        for case in overdue_reviews(user=scope, as_of=today)[:WORKLIST]],
            "followups": [{"household_id": f.case.household_id, "kind": f.get_kind_display(), "due_on": f.due_on}
                          for f in followups_due(user=scope, as_of=today)[:WORKLIST]],
            "suggestions": suggestions,
            "alerts": open_alerts(scope),
        }

    return cached_figures("home", union, compute)


def worklists(user, figures: dict) -> dict:
    """The work lists: the area's (from `area_figures`) and the user's own (approvals, rounds), read on each view."""
    return {
        "today": clock.today(),
        "overdue": figures["overdue"],
        "followups": figures["followups"],
        "suggestions": figures["suggestions"],
        "pending": (request_list(user=user, status=RequestStatus.PENDING).count()
                    if may_approve(user, user.organisation.path) else None),
        "rounds_waiting": rounds_waiting(user=user, listed=True),
    }


@page()
def home(request):
    user = request.user
    context = {"can_view": may(user, VIEW), "can_add": may(user, ADD)}
    if context["can_view"]:
        figures = area_figures(user)
        summary = figures["summary"]
        by_city = user.organisation.level == OrgLevel.PROVINCE or (
            user.organisation.level == OrgLevel.CITY and len(summary["city"]) > 1)
        series = summary["city"] if by_city else summary["category"] + [("申请中", dict(summary["status"])["申请"])]
        context.update(summary=summary, chart={"title": "各市家庭数" if by_city else "按类别的家庭数",
                                               "labels": [s[0] for s in series], "values": [s[1] for s in series]},
                       **worklists(user, figures), **alerts_context(user, figures["alerts"]))
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
        self.unions = {u.pk: u for u in filter_choices(user=user, levels=levels)[1]}
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
