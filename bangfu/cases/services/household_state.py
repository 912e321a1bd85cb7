"""The one place where a case moves its household: status (and so `archived`), verified category, members' activity."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from bangfu.audit.services import audit_log
from bangfu.cases.workflow import INACTIVE_STATES
from bangfu.common.errors import Conflict
from bangfu.registry.models import Household, Member

REACTIVATION_REFUSED = "该家庭有成员已登记在其他在册困难职工家庭中,不能重新建档。请先核实该成员的归属。"


def _reactivate_members(household: Household) -> None:
    """A closed file that opens again (返贫, a new application) makes its members active again, if free."""
    members = Member.objects.filter(household=household, removed=False, active=False)
    ids = list(members.values_list("id_number", flat=True))
    if Member.objects.filter(id_number__in=ids, active=True).exclude(household=household).exists():
        raise Conflict(REACTIVATION_REFUSED, field="members")
    try:
        with transaction.atomic():
            members.update(active=True)
    except IntegrityError as exc:  # a registration elsewhere raced ours
        raise Conflict(REACTIVATION_REFUSED, field="members") from exc


def household_follow_case(*, actor, case, category: str | None = None) -> Household:
    """Set the household's status to its current case's state, in the caller's transaction, with an audit row.

    Closing the file frees its members for another household (as the registry's exit does); reopening
    takes them back. `category` is the verified category set on archiving.
    """
    household = Household.objects.select_for_update().get(pk=case.household_id)
    before = {"status": household.status, "verified_category": household.verified_category}
    was_inactive = household.status in INACTIVE_STATES
    household.status = case.state
    if category is not None:
        household.verified_category = category
    household.version += 1
    household.save(update_fields=["status", "verified_category", "version", "updated_at"])
    if case.state in INACTIVE_STATES:
        household.members.filter(active=True).update(active=False)
    elif was_inactive:
        _reactivate_members(household)
    after = {"status": household.status, "verified_category": household.verified_category, "case": case.pk}
    audit_log(actor=actor, action="household.status", object_type="household", object_id=household.pk,
              area_path=case.household.union.path, before=before, after=after)
    case.household = household
    return household
