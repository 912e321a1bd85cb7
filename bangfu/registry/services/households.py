"""Household use cases: register, update, verify (核定), exit, and monthly income records."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db import transaction

from bangfu.accounts.access import ADD, CHANGE, in_area, may
from bangfu.accounts.models import Organisation, OrgLevel
from bangfu.audit.locking import lock_version
from bangfu.audit.services import diff
from bangfu.common.bounds import decimal_within, text_within
from bangfu.common.clock import today
from bangfu.common.errors import AccessDenied, NotFound, ValidationFailed

from .. import choices as c
from ..models import Household, IncomeRecord
from ..validation import clean_household
from .common import (
    audit_household,
    check_household,
    household_snapshot,
    lock_household,
    refuse_inactive,
)
from .members import add_member_row


def union_check(actor, union: Organisation) -> None:
    """May the actor file households under this union (their area, a grassroots or county union)?"""
    if not may(actor, ADD):
        raise AccessDenied("您没有登记家庭档案的权限")
    if not in_area(actor, union.path):
        raise AccessDenied("只能在本单位及下级工会登记家庭档案")
    if union.level not in (OrgLevel.GRASSROOTS, OrgLevel.COUNTY):
        raise ValidationFailed("家庭档案应归属基层工会或县(市、区)总工会", field="union")


@transaction.atomic
def household_create(
    *, actor, union: Organisation, data: Mapping, members: Sequence[Mapping] = ()
) -> Household:
    """Register a household (status 申请) with its members; exactly one member is the worker (本人)."""
    union_check(actor, union)
    fields = clean_household(data, union_division=union.division_code, today=today(), partial=False)
    relations = [m.get("relation") for m in members]
    if members and relations.count("self") != 1:
        raise ValidationFailed("家庭成员中须有且只有一名职工本人", field="members")
    household = Household.objects.create(union=union, created_by=actor, **fields)
    audit_household(actor, "household.create", household, after=household_snapshot(household))
    for position, member in enumerate(members):
        add_member_row(actor=actor, household=household, data=member, position=position)
    return household


@transaction.atomic
def household_update(*, actor, household: Household, data: Mapping, version: int) -> Household:
    """Change the household's own fields; a stale copy (`version`) is refused rather than overwriting."""
    check_household(actor, household, CHANGE)
    household = lock_version(household, version, snapshot=household_snapshot, message="该档案已被他人修改,请刷新后重试",
                             trail={"object_type": "household", "object_id": household.pk})
    refuse_inactive(household, "已退出或不予建档的档案不能修改")
    fields = clean_household(data, union_division=household.union.division_code, today=today(), partial=True)
    before = household_snapshot(household)
    for name, value in fields.items():
        setattr(household, name, value)
    if household.dibao and household.dibao_edge:
        raise ValidationFailed("低保户与低保边缘户不能同时勾选", field="dibao_edge")
    household.version += 1
    household.save()
    old, new = diff(before, household_snapshot(household))
    audit_household(actor, "household.update", household, before=old, after=new)
    return household


@transaction.atomic
def income_set(
    *, actor, household: Household, month: datetime.date, source: str, amount: Decimal, notes: str = ""
) -> IncomeRecord:
    """Record (or correct) one month's income from one source."""
    check_household(actor, household, CHANGE)
    household = lock_household(household)
    refuse_inactive(household, "已退出或不予建档的档案不能登记收入")
    if source not in c.IncomeSource.values:
        raise ValidationFailed(f"收入来源无效:{source}", field="source")
    amount = decimal_within(IncomeRecord, "amount", amount, label="收入金额")
    notes = text_within(IncomeRecord, "notes", notes)
    if amount < 0:
        raise ValidationFailed("收入不能为负数", field="amount")
    month = month.replace(day=1)
    if month > today():
        raise ValidationFailed("不能登记未来月份的收入", field="month")
    record = IncomeRecord.objects.filter(household=household, month=month, source=source).first()
    before = {"amount": record.amount} if record else None
    record, _ = IncomeRecord.objects.update_or_create(
        household=household, month=month, source=source, defaults={"amount": amount, "notes": notes}
    )
    audit_household(actor, "household.income_set", household, before=before,
                    after={"month": month.isoformat(), "source": source, "amount": amount})
    return record


@transaction.atomic
def income_delete(*, actor, record: IncomeRecord) -> None:
    household = record.household
    check_household(actor, household, CHANGE)
    if not IncomeRecord.objects.filter(pk=record.pk).exists():
        raise NotFound("未找到该收入记录")
    before = {"month": record.month.isoformat(), "source": record.source, "amount": record.amount}
    record.delete()
    audit_household(actor, "household.income_delete", household, before=before)
