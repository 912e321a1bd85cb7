"""Who a round pays and how much: the area's households as plain rows, through the engine's round rules."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from bangfu.cases.workflow import ARCHIVED_STATES
from bangfu.policy import InputError, assess_many
from bangfu.policy.rules import rounds as rules
from bangfu.registry.assessment import household_to_assessment_document
from bangfu.registry.models import Household, Member

from .models import Programme, ProgrammeKind

CHUNK = 2000


@dataclass(slots=True)
class HouseholdRow:
    id: int
    status: str
    category: str
    region: str
    size: int


def area_households(path: str) -> list[HouseholdRow]:
    """Every household whose union lies under `path`, with its active member count."""
    rows = (Household.objects.filter(union__path__startswith=path).order_by("id")
            .annotate(size=Count("members", filter=Q(members__removed=False)))
            .values_list("id", "status", "verified_category", "region_code", "size"))
    return [HouseholdRow(*r) for r in rows]


def _education(households: Sequence[HouseholdRow], day: datetime.date, progress) -> list[rules.Pick]:
    from bangfu.standards.selectors import effective_parameters

    params, out = effective_parameters(), []
    active = Prefetch("members", queryset=Member.objects.filter(removed=False).order_by("position", "id"),
                      to_attr="active_members")
    for start in range(0, len(households), CHUNK):
        ids = [h.id for h in households[start:start + CHUNK]]
        found = {h.pk: h for h in Household.objects.filter(pk__in=ids).prefetch_related(active, "incomes")}
        documents = [household_to_assessment_document(found[i], day) for i in ids]
        try:
            answers = assess_many(documents, parameters=params)
        except InputError:  # one incomplete file must not stop the round: assess one by one
            answers = []
            for document in documents:
                try:
                    answers.append(assess_many([document], parameters=params)[0])
                except InputError:
                    answers.append({"benefits": [], "not_eligible": [
                        {"code": "household.eligibility", "reason": "档案信息不完整,无法测算"}]})
        out.extend(rules.education_aid(answers))
        progress(len(out))
    return out


def pick(programme: Programme, households: Sequence[HouseholdRow], day: datetime.date,
         start: datetime.date, end: datetime.date, progress=lambda count: None) -> list[rules.Pick]:
    """One pick per archived household, by the programme's rule, on the round's date and period (the engine's
    path, 金秋助学, tells `progress` of the households assessed)."""
    from bangfu.standards.selectors import effective_parameters

    params = effective_parameters()
    simple = [(h.category, h.region) for h in households]
    kind = programme.kind
    if kind == ProgrammeKind.SEND_WARMTH:
        return rules.send_warmth(simple, day, params)
    if kind == ProgrammeKind.ELECTRICITY:
        return rules.free_electricity(simple, start, end, params)
    if kind == ProgrammeKind.PRICE_SUBSIDY:
        return rules.price_subsidy(simple, start, end, params)
    if kind == ProgrammeKind.LIVING_SUBSIDY:
        return rules.living_subsidy([(h.category, h.region, h.size) for h in households], start, end, params)
    if kind == ProgrammeKind.EDUCATION_AID:
        return _education(households, day, progress)
    amount = rules.money(programme.fixed_amount)
    return [rules.Pick(amount, f"{programme.name}每户{amount}元") if h.category in (rules.EXTREME, rules.HARDSHIP)
            else rules.Pick(None, rules.NOT_HARDSHIP) for h in households]


def is_archived(status: str) -> bool:
    return status in ARCHIVED_STATES


# The plan measure a paid line closes or advances: by the engine's benefit code, or a 走访慰问 for 送温暖.
MEASURE_CODES = {
    ProgrammeKind.EDUCATION_AID: ("education.",),
    ProgrammeKind.ELECTRICITY: ("living.free_electricity",),
    ProgrammeKind.PRICE_SUBSIDY: ("living.price_subsidy",),
    ProgrammeKind.LIVING_SUBSIDY: ("living.union_living_subsidy",),
}
