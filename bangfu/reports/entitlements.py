"""Entitlements of a union's archive on a chosen date: the engine over the live archive, batched, through the same
document and the same parameters as a household's own answer (`bangfu.registry.assessment`)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from itertools import islice

from django.db.models import Prefetch

from bangfu.cases.workflow import ARCHIVED_STATES
from bangfu.common.bounds import as_of_within
from bangfu.policy import assess_under
from bangfu.policy.explain import money
from bangfu.registry.assessment import household_incomes, household_to_assessment_document
from bangfu.registry.models import Member
from bangfu.standards.selectors import effective_parameters

from .selectors import _areas, _child_path, households

BATCH = 2000
CASH_KINDS = ("cash", "subsidy")  # the spec's total_cash


def archived_households(*, user, union):
    """The archived households of the union's subtree with what their assessment document needs."""
    active = Member.objects.filter(removed=False).order_by("position", "id")
    return (households(user=user, union=union).filter(status__in=ARCHIVED_STATES).select_related("union")
            .prefetch_related(Prefetch("members", queryset=active, to_attr="active_members"), "incomes")
            .order_by("pk"))


def answers(queryset, as_of: datetime.date, *, parameters=None, batch: int = BATCH):
    """(household, answer or None) for every household of the queryset, a batch of the engine at a time; a file
    the engine refuses (incomplete) is answered None, the others of its batch still assessed."""
    parameters = parameters if parameters is not None else effective_parameters()
    for household, found in answers_under(queryset, as_of, [parameters], batch=batch):
        yield household, found[0]


def chunks(queryset, batch: int = BATCH):
    rows = queryset.iterator(chunk_size=batch)
    while chunk := list(islice(rows, batch)):
        yield chunk


def answers_under(queryset, as_of: datetime.date, parameter_sets: list, *, batch: int = BATCH):
    """(household, [answer or None per parameter set]): each household's document built once and assessed under
    every set of figures (a re-computation's before and after)."""
    for chunk in chunks(queryset, batch):
        yield from zip(chunk, chunk_answers(chunk, as_of, parameter_sets), strict=True)


def chunk_answers(chunk: list, as_of: datetime.date, parameter_sets: list) -> list[list]:
    """Per household of the chunk, its answer (None when the engine refuses the file) under each set of figures."""
    incomes = household_incomes(chunk, as_of)
    documents = [household_to_assessment_document(h, as_of, income=m) for h, m in zip(chunk, incomes, strict=True)]
    for household, document in zip(chunk, documents, strict=True):  # for distributions by income decile
        household.per_capita_income = money(document["monthly_income"] / max(1, len(document["members"])))
    return assess_under(documents, parameter_sets)


def _money(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def entitlement_report(*, user, union, as_of: datetime.date) -> dict:
    """Per benefit code (with its article): households, entitlements and the yearly amount; per area the
    households and the yearly cash total (the spec's `total_cash`), exact to the fen."""
    as_of_within(as_of)
    depth = union.path.count("/") + 1
    areas = _areas(union)
    codes: dict[str, dict] = {}
    area_sums = {area.path: {"households": 0, "cash": Decimal(0)} for area in areas}
    incomplete = 0
    for household, answer in answers(archived_households(user=user, union=union), as_of):
        if answer is None:
            incomplete += 1
            continue
        seen = set()
        for benefit in answer["benefits"]:
            row = codes.setdefault(benefit["code"], {"code": benefit["code"], "article": benefit["article"],
                                                     "title": benefit["title"], "kind": benefit["kind"],
                                                     "households": 0, "count": 0, "amount": Decimal(0)})
            row["count"] += 1
            if benefit["code"] not in seen:
                row["households"] += 1
                seen.add(benefit["code"])
            if benefit["amount"] is not None:
                row["amount"] += _money(benefit["amount"])
        for path in {union.path, _child_path(household.union.path, depth)}:
            if path in area_sums:
                area_sums[path]["households"] += 1
                area_sums[path]["cash"] += _money(answer["total_cash"])
    by_article = defaultdict(lambda: Decimal(0))
    for row in codes.values():
        by_article[row["article"]] += row["amount"]
    return {
        "as_of": as_of, "benefits": list(codes.values()), "incomplete": incomplete,
        "articles": sorted(by_article.items()),
        "areas": [{"union": area, **area_sums[area.path]} for area in areas],
        "total_cash": area_sums[union.path]["cash"],
    }
