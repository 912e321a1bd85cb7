"""The ledger against the database: four eyes, validation, reversal, append-only down to the database."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from bangfu.audit.models import AuditEntry
from bangfu.common.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from bangfu.ledger import services
from bangfu.ledger.models import LedgerAppendOnly, LedgerEntry, LedgerRequest

pytestmark = pytest.mark.django_db


def request(users, household, today, amount="100.00", who="caseworker_g1", **extra):
    data = {"fund_source": "union_funds", "paid_on": today, "description": "生活救助金", **extra}
    return services.ledger_request_payment(actor=users[who], household=household, amount=amount, **data)[0]


def test_a_payment_enters_the_ledger_when_someone_else_approves_it(household, users, today):
    pending = request(users, household, today, "300.50")
    assert pending.status == "pending" and not LedgerEntry.objects.exists()
    entry, warnings = services.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=pending)
    assert entry.amount == Decimal("300.50") and entry.union == household.union and warnings == []
    assert entry.recorded_by == users["caseworker_g1"] and entry.approved_by == users["reviewer_xuanwu"]
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.entry == entry
    assert {"ledger.request", "ledger.approve"} <= set(AuditEntry.objects.values_list("action", flat=True))


def test_the_recorder_cannot_approve_and_only_a_county_reviewer_may(household, users, today):
    own = request(users, household, today, who="reviewer_xuanwu")
    with pytest.raises(AccessDenied, match="双人审核"):
        services.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=own)
    pending = request(users, household, today)
    with pytest.raises(AccessDenied):
        services.ledger_approve(actor=users["caseworker_g1"], ledger_request=pending)
    with pytest.raises(AccessDenied):
        services.ledger_approve(actor=users["admin_nanjing"], ledger_request=pending)
    with pytest.raises(NotFound):
        services.ledger_approve(actor=users["reviewer_xishan"], ledger_request=pending)
    assert not LedgerEntry.objects.exists()
    rejected = services.ledger_reject(actor=users["reviewer_xuanwu"], ledger_request=pending, reason="缺少签收单")
    assert rejected.status == "rejected"
    with pytest.raises(Conflict):
        services.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=pending)


def test_the_database_refuses_an_entry_approved_by_its_recorder(household, users, today):
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(household=household, union=household.union, amount=Decimal(1), paid_on=today,
                                   fund_source="fiscal", description="x", recorded_by=users["caseworker_g1"],
                                   approved_by=users["caseworker_g1"])


@pytest.mark.parametrize("change, message", [
    ({"amount": "0"}, "大于零"),
    ({"amount": "-5"}, "大于零"),
    ({"amount": "1.005"}, "两位小数"),
    ({"amount": "abc"}, "金额无效"),
    ({"fund_source": "lottery"}, "资金来源"),
    ({"kind": "goods"}, "实物"),
    ({"goods_description": "大米10公斤"}, "实物"),
    ({"description": " "}, "事项"),
    ({"paid_on": datetime.date(2099, 1, 1)}, "晚于今天"),
])
def test_bad_payments_are_refused(household, users, today, change, message):
    with pytest.raises(ValidationFailed, match=message):
        request(users, household, today, **change)
    assert not LedgerRequest.objects.exists()


def test_only_archived_households_are_paid(make_household, users, today):
    with pytest.raises(ValidationFailed, match="已建档"):
        request(users, make_household(union="g2", actor=users["caseworker_g2"]), today, who="caseworker_g2")


def test_goods_are_recorded_with_their_value(household, users, today, pay):
    entry = pay(household, "250.00", kind="goods", goods_description="大米10公斤、食用油5升", fund_source="charity")
    assert entry.kind == "goods" and entry.amount == Decimal("250.00") and entry.goods_description.startswith("大米")


def test_a_reversal_corrects_an_entry_once(household, users, today, pay):
    entry = pay(household, "120.00")
    with pytest.raises(ValidationFailed, match="冲正原因"):
        services.ledger_request_reversal(actor=users["caseworker_g1"], entry=entry, reason="")
    pending = services.ledger_request_reversal(actor=users["caseworker_g1"], entry=entry, reason="金额录错")
    with pytest.raises(Conflict, match="待审核"):
        services.ledger_request_reversal(actor=users["caseworker_g1"], entry=entry, reason="again")
    reversal, _ = services.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=pending)
    assert reversal.amount == Decimal("-120.00") and reversal.reversal_of == entry
    assert entry.reversed_by == reversal
    with pytest.raises(Conflict, match="已冲正"):
        services.ledger_request_reversal(actor=users["caseworker_g1"], entry=entry, reason="again")
    with pytest.raises(ValidationFailed, match="不能再冲正"):
        services.ledger_request_reversal(actor=users["caseworker_g1"], entry=reversal, reason="again")
    assert sum(e.amount for e in LedgerEntry.objects.all()) == 0


def test_the_database_allows_one_reversal_per_entry(household, users, today, pay):
    entry = pay(household, "10.00")
    fields = {"household": household, "union": household.union, "amount": Decimal("-10.00"), "paid_on": today,
              "fund_source": "union_funds", "description": "冲正", "recorded_by": users["caseworker_g1"],
              "approved_by": users["reviewer_xuanwu"], "reversal_of": entry}
    LedgerEntry.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(**fields)


def test_the_application_cannot_change_or_delete_an_entry(household, pay):
    entry = pay(household, "10.00")
    entry.amount = Decimal("1.00")
    with pytest.raises(LedgerAppendOnly):
        entry.save()
    with pytest.raises(LedgerAppendOnly):
        entry.delete()
    with pytest.raises(LedgerAppendOnly):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1.00"))
    with pytest.raises(LedgerAppendOnly):
        LedgerEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.parametrize("sql", ["UPDATE ledger_ledgerentry SET amount = 1 WHERE id = %s",
                                 "DELETE FROM ledger_ledgerentry WHERE id = %s"])
def test_the_database_refuses_a_raw_update_or_delete(household, pay, sql):
    entry = pay(household, "10.00")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("10.00")


def test_a_measure_of_another_household_is_refused(household, make_household, archive, users, today):
    from bangfu.cases import services as cases

    other = archive(make_household(members=None))
    plan = cases.plan_create(actor=users["caseworker_g1"], case=other.cases.get(), year=today.year)
    measure = cases.measure_create(actor=users["caseworker_g1"], plan=plan, kind="donation", title="爱心捐赠",
                                   owner=users["caseworker_g1"], due_on=today)
    with pytest.raises(ValidationFailed, match="不属于本户"):
        request(users, household, today, measure=measure)
