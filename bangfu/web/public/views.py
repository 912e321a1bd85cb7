"""Public pages (no login, Article 29): the self-check, the medical calculator, the annotated notice.

Nothing a visitor enters is stored: the answer is computed and shown, and no session is opened (the only cookie
is CSRF's). Each page is rate-limited per address on the cache (django-ratelimit)."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from bangfu.common import clock
from bangfu.policy.schema import InputError
from bangfu.registry import choices as c
from bangfu.standards.selectors import assessment_answer, effective_parameters

from ..calculator import calculator_answer
from ..forms.medical import CalculatorForm
from .forms import ASSUMED, document, family_form, member_forms
from .notice import annotated_notice
from .selfcheck import KIND_LABELS, readable, suggested_category

# Answers per address and minute (the same variable as the API's public limit); a setting overrides it.
RATE = os.environ.get("BANGFU_RATE_PUBLIC", "60/m")


def _rate(group, request) -> str:
    return getattr(settings, "BANGFU_RATE_PUBLIC_PAGES", RATE)


def _too_many(request) -> HttpResponse:
    response = render(request, "web/public/too_many.html", status=429)
    response["Retry-After"] = "60"
    return response


INITIAL = {"dibao": "no", "region": "320100"}


@lru_cache(maxsize=2)
def _blank_form(day: datetime.date) -> str:
    """The questions not yet answered, as HTML (the CSRF token is outside): the same for every visitor on a day (the
    regions in use that day), so each process renders its some 450 option widgets once a day, not on every visit."""
    return render_to_string("web/public/_selfcheck_fields.html",
                            {"family": family_form(day=day, initial=INITIAL), "members": member_forms()})


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_rate, method="POST", group="public-selfcheck", block=False)
def selfcheck(request):
    """政策自测: plain questions, then what the family may be entitled to (the engine's answer)."""
    if getattr(request, "limited", False):
        return _too_many(request)
    today = clock.today()
    bound = request.method == "POST"
    if not bound:
        return render(request, "web/public/selfcheck.html", {"blank_form": _blank_form(today), "today": today})
    family = family_form(request.POST, day=today, initial=INITIAL)
    members = member_forms(request.POST)
    context = {"family": family, "members": members, "today": today}
    if "edit" in request.POST:  # the result page's "修改" posts the answers back into the form
        return render(request, "web/public/selfcheck.html", context)
    valid = family.is_valid() & all([m.is_valid() for m in members])
    if valid:
        size = sum(1 for m in members if m.cleaned_data.get("relation"))
        chosen = family.cleaned_data["category"]
        if chosen == ASSUMED:
            guess = suggested_category(region=family.cleaned_data["region"], as_of=today,
                                       monthly_income=family.cleaned_data["monthly_income"], size=size)
        else:
            guess = {"category": chosen, "known": True, "reason": "您选择了工会已认定的类别。"}
        labels = {f"m{i}": dict(m.fields["relation"].choices)[m.cleaned_data["relation"]]
                  for i, m in enumerate(members) if m.cleaned_data.get("relation")}
        context.update(guess=guess, assumed=chosen == ASSUMED,
                       category_label=dict(c.Category.choices)[guess["category"]])
        if guess["category"] == c.Category.NONE:
            context["answer"] = {"benefits": [], "total_cash": Decimal(0)}
            context["rows"] = []
        else:
            doc = document(family, members, as_of=today, category=guess["category"])
            try:
                answer = assessment_answer(doc)
            except InputError as exc:
                family.add_error(None, exc.message)
            else:
                context.update(answer=answer, rows=readable(answer, labels), document=doc)
    if valid and not family.errors:
        # The result alone (the answers ride along as hidden fields for "修改"): a small page, fast under load.
        context["carried"] = [(k, v) for k, values in request.POST.lists() if k != "csrfmiddlewaretoken"
                              for v in values]
        # Some fifty fields: joined here, escaped as the template would, at a tenth of a template loop's cost.
        context["carried_fields"] = format_html_join("", '<input type="hidden" name="{}" value="{}">',
                                                     context["carried"])
        return render(request, "web/public/selfcheck_result.html", context)
    return render(request, "web/public/selfcheck.html", context, status=200 if not family.errors and valid else 422)


@require_http_methods(["GET"])
@ratelimit(key="ip", rate=_rate, group="public-medical", block=False)
def medical(request):
    """医疗费用自测: a bill in, the family's share out (the settlement with the system's figures)."""
    if getattr(request, "limited", False):
        return _too_many(request)
    today = clock.today()
    initial = {"billed_on": today, "region": "320100", "total": Decimal("80000"), "in_scope": Decimal("60000")}
    bound = "total" in request.GET
    form = CalculatorForm(request.GET if bound else None, initial=initial, day=today)
    context = {"form": form}
    if bound and form.is_valid():
        context.update(calculator_answer(form))
    return render(request, "web/public/medical.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET"])
@ratelimit(key="ip", rate=_rate, group="public-notice", block=False)
def notice(request, printable: bool = False):
    """政策原文与解读: the notice article by article, each with the rules, figures and tests behind it."""
    if getattr(request, "limited", False):
        return _too_many(request)
    today = clock.today()
    preamble, articles, loose = annotated_notice(effective_parameters(), today)
    template = "web/public/notice_print.html" if printable else "web/public/notice.html"
    return render(request, template, {"preamble": preamble, "articles": articles, "loose": loose, "today": today,
                                      "kinds": KIND_LABELS, "printable": printable})
