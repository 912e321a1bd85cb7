"""Helpers of the registry services: access checks on one household, audit snapshots."""

from __future__ import annotations

from django.forms.models import model_to_dict

from bangfu.accounts.access import check_area
from bangfu.audit.services import audit_log
from bangfu.common.errors import ValidationFailed
from bangfu.common.ids import mask_id_number

from .. import states
from ..models import Household, Member


def check_household(actor, household: Household, action: str) -> None:
    """Outside the area it does not exist for the actor; inside, the role must allow the action."""
    check_area(actor, household.union.path, action, "未找到该家庭档案")


def lock_household(household: Household) -> Household:
    """Re-read the row under a lock so that concurrent writers to one file queue up; the caller's
    instance is brought up to date, so that it and the returned one are the same object."""
    locked = Household.objects.select_for_update().get(pk=household.pk)
    for f in Household._meta.concrete_fields:
        setattr(household, f.attname, getattr(locked, f.attname))
    return household


def refuse_inactive(household: Household, message: str) -> None:
    """An exited or refused file is kept as it was: its facts are history, not to be edited."""
    if states.is_closed(household.status):
        raise ValidationFailed(f"{message}(档案状态:{household.get_status_display()})", field="status")


def household_snapshot(household: Household) -> dict:
    data = model_to_dict(household, exclude=["created_by"])
    data["union"] = household.union_id
    return data


def member_snapshot(member: Member) -> dict:
    data = model_to_dict(member)
    # The audit trail is read by auditors, who may not see full ID numbers.
    data["id_number"] = mask_id_number(member.id_number)
    return data


def audit_household(actor, action: str, household: Household, before=None, after=None) -> None:
    audit_log(actor=actor, action=action, object_type="household", object_id=household.pk,
              area_path=household.union.path, before=before, after=after)


def audit_member(actor, action: str, member: Member, before=None, after=None) -> None:
    audit_log(actor=actor, action=action, object_type="member", object_id=member.pk,
              area_path=member.household.union.path, before=before, after=after)
