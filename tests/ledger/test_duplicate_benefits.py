"""重复享受 (issue 5): the same person paid the same benefit of the notice in two households in one year."""

from __future__ import annotations

import pytest

from bangfu.audit.models import AuditEntry
from bangfu.cases import services as cases
from bangfu.cases.models import Measure
from bangfu.exchange.alerts import duplicate_benefit_scan
from bangfu.exchange.models import Alert

pytestmark = pytest.mark.django_db
CODE = "living.union_hardship_aid"


def measure(users, household, today, code=CODE, member=None) -> Measure:
    case = household.cases.order_by("-episode").first()
    plan = case.plans.filter(year=today.year).first() or cases.plan_create(actor=users["caseworker_g1"], case=case,
                                                                           year=today.year)
    return Measure.objects.create(plan=plan, kind="entitlement", title="困难职工生活救助", benefit_code=code,
                                  member=member, article=22, department="union", owner=users["caseworker_g1"],
                                  due_on=today, created_by=users["caseworker_g1"])


@pytest.fixture
def moved(users, make_household, archive, build, pay, today, exit_household):
    """张伟 is paid the aid in household A, which exits; he joins household B, which is paid the aid too."""
    first = archive(make_household("g1"))
    worker = first.members.get(relation="self")
    pay(first, "500.00", measure=measure(users, first, today))
    exit_household(first)
    second = archive(make_household("g1", members=[
        build.member("spouse", sex="female", region="320100"),
        build.member("self", id_number=worker.id_number, name=worker.name, employment="registered_unemployed")]))
    return first, second, worker


def test_the_same_person_paid_the_same_aid_in_two_households_is_flagged_on_both(moved, users, pay, today):
    first, second, worker = moved
    assert duplicate_benefit_scan(as_of=today) == 0  # only one household paid so far
    pay(second, "600.00", measure=measure(users, second, today))
    assert duplicate_benefit_scan(as_of=today) == 2
    alerts = {a.household_id: a for a in Alert.objects.filter(kind="duplicate_benefit")}
    assert set(alerts) == {first.pk, second.pk}
    assert worker.name in alerts[second.pk].message and f"{first.pk}号" in alerts[second.pk].message
    assert alerts[second.pk].member.id_number == worker.id_number
    audited = AuditEntry.objects.filter(action="exchange.alert_raise")
    assert {(e.object_id, e.area_path, e.actor_name) for e in audited} == {
        (str(h.pk), h.union.path, "system") for h in (first, second)}
    assert duplicate_benefit_scan(as_of=today) == 0  # raised once
    assert audited.count() == 2


def test_a_reversed_payment_a_different_benefit_or_another_year_is_not_a_duplicate(moved, users, pay, today):
    import datetime

    from bangfu.ledger import services

    first, second, _ = moved
    pay(second, "80.00", measure=measure(users, second, today, code="living.utilities"))
    entry = pay(second, "600.00", measure=measure(users, second, today))
    request = services.ledger_request_reversal(actor=users["caseworker_g1"], entry=entry, reason="重复发放,冲正")
    services.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=request)
    assert duplicate_benefit_scan(as_of=today) == 0
    assert duplicate_benefit_scan(as_of=datetime.date(today.year - 1, 12, 31)) == 0
    assert not Alert.objects.filter(kind="duplicate_benefit").exists()
