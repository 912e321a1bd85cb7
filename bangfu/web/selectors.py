"""Reads the pages need that the registry does not offer (yet); each starts from the restricted queryset."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import Substr

from bangfu.accounts.access import VIEW, AreaScope
from bangfu.accounts.models import Organisation, OrgLevel
from bangfu.accounts.organisations import division_name
from bangfu.accounts.selectors import organisation_list
from bangfu.cases.workflow import ARCHIVED_STATES, CaseState
from bangfu.registry import choices as c
from bangfu.registry.models import Household, Member
from bangfu.reports.snapshots import cached_figures


def area_summary(*, user) -> dict:
    """Counts of the households the user may see: total, by status, by verified category, by city."""
    qs = Household.objects.restrict(user, VIEW).order_by()
    by_status = dict(qs.values_list("status").annotate(n=Count("pk")))
    archived = qs.filter(status__in=ARCHIVED_STATES)
    by_category = dict(archived.values_list("verified_category").annotate(n=Count("pk")))
    by_city = dict(qs.annotate(city=Substr("region_code", 1, 4)).values_list("city").annotate(n=Count("pk")))
    return {
        "total": sum(by_status.values()),
        "status": [(label, by_status.get(value, 0)) for value, label in CaseState.choices],
        "category": [(label, by_category.get(value, 0)) for value, label in c.Category.choices
                     if value != c.Category.NONE],
        "city": sorted(((division_name(code + "00"), n) for code, n in by_city.items()), key=lambda x: -x[1]),
    }


def region_choices(*, user) -> list[tuple[str, str]]:
    """The cities and counties under the user's organisation, for the region filter."""
    orgs = organisation_list(user=user).exclude(level=OrgLevel.GRASSROOTS).values_list("level", "division_code")
    out, seen = [], set()
    for level, code in orgs:
        if level == OrgLevel.PROVINCE or code in seen:
            continue
        seen.add(code)
        prefix = "" if level == OrgLevel.CITY else "\u3000"
        out.append((code, prefix + division_name(code)))
    return out


def union_choices(*, user, levels: tuple[str, ...] | None = None) -> list[Organisation]:
    qs = organisation_list(user=user).only("pk", "name", "level", "division_code", "path")
    return list(qs.filter(level__in=levels) if levels else qs)


def filter_choices(*, user, levels: tuple[str, ...] | None = None) -> tuple[list[tuple[str, str]], list[Organisation]]:
    """The region choices and the unions (`union_choices` at `levels`) of the user's area, for the list pages'
    filters: the same for everyone of the organisation, so read once per process until the next change in its area
    or above it (`cached_figures(local=True)`; a union created, renamed or synced is such a change, audited where it
    applies) instead of two queries on each view (issue 19). The unions are shared by the process's requests: only
    read them."""
    union = user.organisation
    scope = AreaScope(union)
    return cached_figures(f"filters:{','.join(levels or ())}", union, local=True,
                          compute=lambda: (region_choices(user=scope), union_choices(user=scope, levels=levels)))


def active_id_numbers(numbers: list[str]) -> set[str]:
    """Which of these (already submitted) numbers are active in some household: only to place the
    registry's own refusal next to the member it concerns; it reveals nothing the refusal does not."""
    return set(Member.objects.filter(id_number__in=numbers, active=True).values_list("id_number", flat=True))


def owner_choices(household) -> list:
    """Active staff who may see this household (its union and the unions above it): a measure's possible owners."""
    from bangfu.accounts.access import ROLE_ACTIONS
    from bangfu.accounts.models import User
    from bangfu.ledger.budgets import ancestor_paths

    roles = [role for role, actions in ROLE_ACTIONS.items() if VIEW in actions and "change" in actions]
    return list(User.objects.filter(is_active=True, role__in=roles,
                                    organisation__path__in=ancestor_paths(household.union.path))
                .select_related("organisation").order_by("organisation__path", "username"))


def household_measures(*, user, household_id: int) -> list:
    """The household's live measures (all its plans), for recording a payment against one."""
    from bangfu.cases.models import LIVE_MEASURE, Measure

    return list(Measure.objects.restrict(user, VIEW).filter(plan__case__household_id=household_id,
                                                             status__in=LIVE_MEASURE)
                .select_related("plan").order_by("-plan__year", "id"))


def may_approve(user, union_path: str) -> bool:
    """A county reviewer over that area (the ledger's and the case's approvals); four eyes are checked per item."""
    from bangfu.cases.services.common import check_approver
    from bangfu.common.errors import DomainError

    try:
        check_approver(user, union_path)
    except DomainError:
        return False
    return True


def may_approve_item(user, union, proposers: set) -> bool:
    """May `user` approve this item of `union` proposed by `proposers` (four eyes, and up a level when the union has
    nobody else who may)?"""
    from bangfu.cases.approvals import check_escalating_approver
    from bangfu.common.errors import DomainError

    try:
        check_escalating_approver(user, union, proposers)
    except DomainError:
        return False
    return True


def alert_page_queryset(*, user, kind: str = "", state: str = "open"):
    """The alerts of the user's area for the alerts page, with the worker's name and the file's union and address."""
    from django.db.models import OuterRef, Subquery

    from bangfu.exchange.selectors import ALERT_ORDER, alerts_for

    qs = alerts_for(user, include_resolved=True).select_related("household__union", "resolved_by")
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    worker = Member.objects.filter(household=OuterRef("household_id"), removed=False, relation="self")
    return qs.annotate(worker_name=Subquery(worker.values("name")[:1])).order_by(*ALERT_ORDER)
