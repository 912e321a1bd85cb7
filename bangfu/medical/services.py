"""Recording a member's medical bills; each change audited in its own transaction."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.forms.models import model_to_dict

from bangfu.accounts.access import ADD, CHANGE, DELETE
from bangfu.audit.locking import lock_version
from bangfu.audit.services import audit_log, diff
from bangfu.common.clock import today
from bangfu.common.errors import ValidationFailed
from bangfu.registry.models import Household, Member
from bangfu.registry.services.common import check_household, lock_household

from .models import Level, MedicalBill, Scheme, Source
from .validation import BILL_FIELDS, clean_bill


def _snapshot(bill: MedicalBill) -> dict:
    data = model_to_dict(bill, exclude=["created_by"])
    for key, value in data.items():
        if isinstance(value, (datetime.date, Decimal)):
            data[key] = str(value)
    return data


def _audit(actor, action: str, bill: MedicalBill, before=None, after=None) -> None:
    audit_log(actor=actor, action=action, object_type="medical_bill", object_id=bill.pk,
              area_path=bill.household.union.path, before=before, after=after)


def _member_of(household: Household, member: Member) -> None:
    if member.household_id != household.pk or member.removed:
        raise ValidationFailed("该成员不在本户在册成员中", field="member")


@transaction.atomic
def medical_bill_record(*, actor, household: Household, member: Member, data: Mapping) -> MedicalBill:
    """A caseworker records one bill of a member (the settlement follows from it)."""
    check_household(actor, household, ADD)
    household = lock_household(household)
    _member_of(household, member)
    fields = clean_bill(data, today=today())
    bill = MedicalBill.objects.create(household=household, member=member, created_by=actor, **fields)
    _audit(actor, "medical_bill.create", bill, after=_snapshot(bill))
    return bill


@transaction.atomic
def medical_bill_update(*, actor, bill: MedicalBill, data: Mapping, version: int) -> MedicalBill:
    """Change a bill; a stale `version` is refused rather than overwriting another's change."""
    check_household(actor, bill.household, CHANGE)
    locked = lock_version(bill, version, snapshot=_snapshot, message="该单据已被他人修改,请刷新后重试",
                          trail={"object_type": "medical_bill", "object_id": bill.pk}, update_caller=False)
    before = _snapshot(locked)
    fields = clean_bill(data, today=today(), current={k: getattr(locked, k) for k in BILL_FIELDS})
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save()
    old, new = diff(before, _snapshot(locked))
    _audit(actor, "medical_bill.update", locked, before=old, after=new)
    return locked


@transaction.atomic
def medical_bill_delete(*, actor, bill: MedicalBill) -> None:
    check_household(actor, bill.household, DELETE)
    before = _snapshot(bill)
    _audit(actor, "medical_bill.delete", bill, before=before)
    bill.delete()


def medical_bill_from_department(*, actor, member: Member, key: str, value: Mapping,
                                 day: datetime.date) -> MedicalBill | None:
    """医保's hospital stay fills in a bill (inside the department job's transaction): created once per stay,
    its figures brought up to date by a later file. 医保 gives no 政策范围内 amount nor the hospital's level: a
    new bill takes the total as in scope and a secondary hospital, marked in its notes for the caseworker to
    check; a caseworker's own corrections of those two are kept."""
    try:
        total = Decimal(str(value.get("total") or value.get("self_paid") or "0"))
        self_paid = Decimal(str(value.get("self_paid") or "0"))
        billed_on = datetime.date.fromisoformat(value.get("discharged") or value.get("admitted") or key)
        admitted_on = datetime.date.fromisoformat(value.get("admitted") or key)
    except (ValueError, ArithmeticError):
        return None
    bill = MedicalBill.objects.filter(member=member, source=Source.MEDICAL_SECURITY, source_key=key).first()
    before = _snapshot(bill) if bill else None
    if bill is None:
        bill = MedicalBill(household=member.household, member=member, source=Source.MEDICAL_SECURITY, source_key=key,
                           hospital_level=Level.SECONDARY, in_scope=total, created_by=actor,
                           scheme=Scheme.RESIDENT if member.resident_medical_insurance else Scheme.EMPLOYEE,
                           notes="医保数据未含政策范围内费用和医院等级:暂按总费用、二级医院计,请核实")
    bill.billed_on, bill.admitted_on, bill.total = billed_on, admitted_on, total
    bill.in_scope = min(bill.in_scope, total)
    bill.hospital = str(value.get("hospital") or bill.hospital)[:100]
    bill.reported_self_paid = self_paid
    if before is not None:
        bill.version += 1
    bill.save()
    _audit(actor, "medical_bill.department", bill, before=before, after=_snapshot(bill))
    return bill
