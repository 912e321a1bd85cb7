"""Member use cases: add, update, remove, and revealing a full ID number (logged)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import IntegrityError, transaction

from bangfu.accounts.access import ADD, CHANGE, VIEW, VIEW_ID_NUMBER
from bangfu.audit.locking import lock_version
from bangfu.audit.services import diff
from bangfu.common.clock import today
from bangfu.common.errors import Conflict, ValidationFailed

from .. import choices as c
from ..models import Household, Member
from ..validation import MEMBER_FIELDS, clean_member
from .common import audit_member, check_household, lock_household, member_snapshot, refuse_inactive

NEUTRAL_DUPLICATE = "该身份证号码已登记在其他在册困难职工家庭中,不能重复登记。如有疑问,请联系上级工会核实。"


def _refuse_duplicate(actor, id_number: str, exclude_pk: int | None = None) -> None:
    """Refuse a person active elsewhere: with a link for those who may see that file, neutrally for others."""
    other = Member.objects.filter(id_number=id_number, active=True).exclude(pk=exclude_pk)
    if not other.exists():
        return
    visible = other.restrict(actor, VIEW).values_list("household_id", flat=True).first()
    if visible is None:
        raise Conflict(NEUTRAL_DUPLICATE, field="id_number")
    raise Conflict(
        f"该居民已在{visible}号家庭档案中,不能重复登记",
        field="id_number",
        extra={"household_id": visible, "url": f"/api/v1/households/{visible}"},
    )


def _save(member: Member) -> None:
    """Save; the unique index on active ID numbers catches a registration that raced ours."""
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        raise Conflict(NEUTRAL_DUPLICATE, field="id_number") from exc


def _check_self(household: Household, relation: str, exclude_pk: int | None = None) -> None:
    if relation == c.Relation.SELF and household.members.filter(removed=False, relation="self").exclude(
        pk=exclude_pk
    ).exists():
        raise ValidationFailed("该家庭已有职工本人", field="relation")


def add_member_row(*, actor, household: Household, data: Mapping, position: int | None = None) -> Member:
    """The write shared by household_create and member_add; the caller has checked access."""
    fields = clean_member(data, today=today())
    _refuse_duplicate(actor, fields["id_number"])
    _check_self(household, fields["relation"])
    if position is None:
        position = household.members.count()
    member = Member(household=household, position=position, **fields)
    _save(member)
    audit_member(actor, "member.add", member, after=member_snapshot(member))
    return member


def _editable(actor, household: Household, action: str = CHANGE) -> Household:
    check_household(actor, household, action)
    household = lock_household(household)
    refuse_inactive(household, "已退出或不予建档的档案不能修改成员")
    return household


@transaction.atomic
def member_add(*, actor, household: Household, data: Mapping) -> Member:
    """A new member: the role must allow adding (`ADD`), as for a new household; a reviewer corrects, not adds."""
    household = _editable(actor, household, ADD)
    return add_member_row(actor=actor, household=household, data=data)


def _member_fields(member: Member) -> dict:
    current = member_snapshot(member)  # ID numbers masked
    return {k: current[k] for k in MEMBER_FIELDS if k in current}


@transaction.atomic
def member_update(*, actor, member: Member, data: Mapping, version: int) -> Member:
    """Change a member; a stale copy (`version`) is refused rather than overwriting another's change."""
    _editable(actor, member.household)
    lock_version(member, version, snapshot=_member_fields, message="该成员信息已被他人修改,请刷新后重试",
                 trail={"object_type": "member", "object_id": member.pk})
    if member.removed:
        raise ValidationFailed("该成员已移出,不能修改", field="removed")
    before = member_snapshot(member)
    current = {f: getattr(member, f) for f in MEMBER_FIELDS}
    fields = clean_member(data, today=today(), current=current)
    if fields["id_number"] != member.id_number:
        _refuse_duplicate(actor, fields["id_number"], exclude_pk=member.pk)
    _check_self(member.household, fields["relation"], exclude_pk=member.pk)
    for name, value in fields.items():
        setattr(member, name, value)
    member.version += 1
    _save(member)
    old, new = diff(before, member_snapshot(member))
    audit_member(actor, "member.update", member, before=old, after=new)
    return member


@transaction.atomic
def member_remove(*, actor, member: Member, reason: str) -> Member:
    """The member leaves the household (kept in the file, no longer active); the worker cannot be removed."""
    _editable(actor, member.household)
    if member.removed:
        raise ValidationFailed("该成员已移出", field="removed")
    if member.relation == c.Relation.SELF:
        raise ValidationFailed("职工本人不能移出家庭", field="relation")
    if not reason.strip():
        raise ValidationFailed("须填写移除原因", field="reason")
    member.active, member.removed = False, True
    member.save(update_fields=["active", "removed", "updated_at"])
    audit_member(actor, "member.remove", member, before={"removed": False},
                 after={"removed": True, "reason": reason.strip()})
    return member


@transaction.atomic
def member_id_number_reveal(*, actor, member: Member) -> str:
    """The full ID number, for those allowed; each viewing is an audit row."""
    check_household(actor, member.household, VIEW_ID_NUMBER)
    audit_member(actor, "member.view_id_number", member)
    return member.id_number
