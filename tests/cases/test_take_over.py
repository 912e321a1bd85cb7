"""Every archived household has a review date: the registry's 核定, the demo load and the data migration all
open an episode in 已建档 with its next review; the database refuses an archived episode without one."""

from __future__ import annotations

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.audit.models import AuditEntry
from bangfu.cases import services
from bangfu.cases.models import Case
from bangfu.cases.parameters import add_months
from bangfu.cases.reviews import overdue_reviews
from bangfu.cases.workflow import ARCHIVED_STATES
from bangfu.common.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from bangfu.registry.models import Household

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("bangfu.cases.migrations.0002_archived_households_get_review_dates")


def archived_without_review() -> list[int]:
    """Households in the archive without an open archived episode holding a review date (should be none)."""
    dated = Case.objects.filter(state__in=ARCHIVED_STATES, next_review_on__isnull=False)
    return list(Household.objects.filter(status__in=ARCHIVED_STATES)
                .exclude(pk__in=dated.values("household_id")).values_list("pk", flat=True))


def test_verify_opens_the_episode_in_the_archive_with_its_review_date_and_who(make_household, users, today):
    household = make_household()
    reviewer = users["reviewer_xuanwu"]
    services.case_take_over(actor=reviewer, household=household, category="extreme_hardship")
    household.refresh_from_db()
    case = household.cases.get()
    assert household.status == case.state == "archived" and household.verified_category == "extreme_hardship"
    assert case.archived_on == today and case.next_review_on == add_months(today, 12)  # interval_months: 12
    assert case.approved_by == reviewer and case.category == "extreme_hardship"
    event = case.events.get()
    assert (event.action, event.actor, event.from_state, event.to_state) == ("take_over", reviewer, "draft", "archived")
    assert "按原有档案建档" in event.reason and event.data["next_review_on"] == case.next_review_on.isoformat()
    assert AuditEntry.objects.filter(action="case.take_over", object_id=str(case.pk), actor=reviewer).exists()
    assert archived_without_review() == []


def test_an_archive_taken_over_with_its_old_date_is_overdue_on_the_start_page(make_household, users, today, client):
    household = make_household()
    archived_on = add_months(today, -13)
    services.case_take_over(actor=users["reviewer_xuanwu"], household=household, category="hardship",
                            archived_on=archived_on)
    case = household.cases.get()
    assert case.next_review_on == add_months(archived_on, 12) < today
    assert list(overdue_reviews(user=users["caseworker_g1"], as_of=today)) == [case]
    client.force_login(users["caseworker_g1"])
    body = client.get(reverse("web:home")).content.decode()
    assert reverse("web:household_detail", args=[household.pk]) in body
    with pytest.raises(ValidationFailed, match="不能晚于今天"):
        services.case_take_over(actor=users["reviewer_xuanwu"], household=make_household(), category="hardship",
                                archived_on=today + datetime.timedelta(days=1))


def test_verifying_again_changes_the_category_of_the_same_episode(make_household, users):
    household = make_household()
    services.case_take_over(actor=users["reviewer_xuanwu"], household=household, category="hardship")
    due = household.cases.get().next_review_on
    services.case_take_over(actor=users["admin_nanjing"], household=household, category="extreme_hardship")
    case = household.cases.get()
    assert case.category == "extreme_hardship" and case.next_review_on == due and case.version == 2
    assert list(case.events.values_list("action", flat=True)) == ["take_over", "recategorise"]
    household.refresh_from_db()
    assert household.verified_category == "extreme_hardship" and household.status == "archived"


def test_take_over_is_for_verifiers_of_the_area_and_not_for_an_application_under_way(make_household, users, case):
    household = make_household()
    with pytest.raises(AccessDenied):
        services.case_take_over(actor=users["caseworker_g1"], household=household, category="hardship")
    with pytest.raises(NotFound):
        services.case_take_over(actor=users["reviewer_xishan"], household=household, category="hardship")
    with pytest.raises(ValidationFailed):
        services.case_take_over(actor=users["reviewer_xuanwu"], household=household, category="none")
    assert not household.cases.exists()
    with pytest.raises(Conflict, match="审批建档"):  # the application's four eyes are not bypassed
        services.case_take_over(actor=users["reviewer_xuanwu"], household=case.household, category="hardship")
    assert Case.objects.get(pk=case.pk).state == "draft"


def test_the_database_refuses_an_archived_episode_without_a_review_date(archived_case):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=archived_case.pk).update(next_review_on=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(household=archived_case.household, episode=2, state="archived", archived_on=None)


def test_the_demo_archives_with_review_dates_some_overdue_for_the_demo_caseworker(client, today):
    call_command("demo", households=40, stdout=io.StringIO())
    assert archived_without_review() == []
    cases = Case.objects.all()
    assert cases.count() == Household.objects.filter(status="archived").count() > 0
    assert all(e.action == "take_over" and e.data["source"] == "demo" for c in cases for e in c.events.all())
    caseworker = User.objects.get(username="caseworker")
    overdue = list(overdue_reviews(user=caseworker, as_of=today))
    assert overdue and len(overdue) < Case.objects.restrict(caseworker, "view").count()  # some, not all
    client.force_login(caseworker)
    body = client.get(reverse("web:home")).content.decode()
    assert all(reverse("web:household_detail", args=[c.household_id]) in body for c in overdue[:3])
    call_command("demo", households=40, stdout=io.StringIO())
    assert Case.objects.count() == cases.count(), "idempotent"


def test_the_migration_takes_over_archived_households_without_a_case(make_household, users, today):
    old, helping, draft, exited = (make_household() for _ in range(4))
    Household.objects.filter(pk=old.pk).update(status="archived", verified_category="hardship")
    Household.objects.filter(pk=helping.pk).update(status="helping", verified_category="extreme_hardship")
    Household.objects.filter(pk=exited.pk).update(status="exited")
    verified_at = add_months(today, -14)
    AuditEntry.objects.create(at=timezone.make_aware(datetime.datetime.combine(verified_at, datetime.time(10))),
                              actor_name="system", action="household.verify", object_type="household",
                              object_id=str(old.pk), area_path=old.union.path)
    MIGRATION.forwards(apps, None)
    first, second = Case.objects.get(household=old), Case.objects.get(household=helping)
    assert (first.state, first.archived_on, first.next_review_on) == ("archived", verified_at,
                                                                       add_months(verified_at, 12))
    assert (second.state, second.category, second.archived_on) == ("helping", "extreme_hardship", today)
    assert first in overdue_reviews(user=users["caseworker_g1"], as_of=today)
    assert first.events.get().data["source"] == "migration"
    assert AuditEntry.objects.filter(action="case.take_over", object_id=str(second.pk)).exists()
    assert not Case.objects.filter(household__in=[draft, exited]).exists()
    assert archived_without_review() == []
    MIGRATION.forwards(apps, None)
    assert Case.objects.count() == 2, "nothing twice"


def test_a_take_over_is_refused_over_open_disagreements_unless_overridden_with_a_reason(users, make_user,
                                                                                        make_household):
    from bangfu.exchange.models import Disagreement
    from bangfu.exchange.services import department_upload, import_start

    household = make_household()
    worker = household.members.get(relation="self")
    officer = make_user("department_officer", "province", department="human_resources")
    content = ("身份证号码,姓名,登记状态,单位名称,月养老金(元),数据日期\n"
               f"{worker.id_number},{worker.name},就业,某公司,,\n").encode("utf-8-sig")
    import_start(actor=officer, job=department_upload(actor=officer, name="hr.csv", content=content))
    assert Disagreement.objects.filter(household=household, state="open").exists()
    with pytest.raises(ValidationFailed) as refused:
        services.case_take_over(actor=users["reviewer_xuanwu"], household=household, category="hardship")
    assert refused.value.field == "override_reason"
    assert not Case.objects.filter(household=household).exists()
    case = services.case_take_over(actor=users["reviewer_xuanwu"], household=household, category="hardship",
                                   override_reason="原有档案,已入户核实就业情况")
    assert case.state == "archived"
    assert Disagreement.objects.get(household=household).state == "overridden"
