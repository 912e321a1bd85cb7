"""Four eyes, who may approve, stale versions refused with what changed, relapse as a linked new episode."""

from __future__ import annotations

import pytest

from bangfu.cases import services
from bangfu.cases.models import Case, CaseEvent
from bangfu.cases.parameters import add_months
from bangfu.common.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from bangfu.registry.models import Household, Member

pytestmark = pytest.mark.django_db


def test_the_submitter_cannot_approve(case, drive, users, reviewer2):
    reviewer = users["reviewer_xuanwu"]
    case = services.case_submit(actor=reviewer, case=case, version=case.version)
    with pytest.raises(AccessDenied, match="双人审核"):
        services.case_refuse(actor=reviewer, case=case, version=case.version, reason="不符合条件")
    assert Case.objects.get(pk=case.pk).state == "submitted"
    case = services.case_refuse(actor=reviewer2, case=case, version=case.version, reason="不符合条件")
    assert case.state == "refused" and case.closed_by == reviewer2


def test_who_moved_the_case_into_review_cannot_approve_the_exit(case, drive, users, reviewer2):
    case = drive(case, "helping")
    case = services.case_start_review(actor=reviewer2, case=case, version=case.version)
    with pytest.raises(AccessDenied, match="双人审核"):
        services.case_exit(actor=reviewer2, case=case, version=case.version, reason="已就业")
    case = services.case_exit(actor=users["reviewer_xuanwu"], case=case, version=case.version, reason="已就业")
    assert case.state == "exited"


@pytest.mark.parametrize("who, error", [
    ("caseworker_g1", AccessDenied),  # may not approve at all
    ("admin_nanjing", AccessDenied),  # an administrator is not the county's 审核人
    ("auditor_province", AccessDenied),
    ("reviewer_xishan", NotFound),  # another county: the file does not exist for them
    ("officer", NotFound),
])
def test_only_a_county_reviewer_over_the_area_approves(case, drive, users, who, error):
    case = drive(case, "public_notice")
    with pytest.raises(error):
        services.case_archive(actor=users[who], case=case, version=case.version, category="hardship")
    assert Case.objects.get(pk=case.pk).state == "public_notice"


@pytest.mark.parametrize("who, error", [("caseworker_g2", NotFound), ("auditor_province", AccessDenied),
                                        ("reviewer_xishan", NotFound)])
def test_ordinary_moves_need_change_rights_in_the_area(case, users, who, error):
    with pytest.raises(error):
        services.case_submit(actor=users[who], case=case, version=case.version)


def test_a_stale_version_is_refused_with_what_changed(case, users):
    stale = Case.objects.get(pk=case.pk)
    services.case_submit(actor=users["caseworker_g1"], case=case, version=case.version, reason="材料齐全")
    events = CaseEvent.objects.count()
    with pytest.raises(Conflict) as conflict:
        services.case_submit(actor=users["reviewer_xuanwu"], case=stale,
                             version=stale.version)
    assert conflict.value.status == 409 and conflict.value.extra["version"] == stale.version + 1
    change = conflict.value.extra["changes"][0]
    assert change["action"] == "submit" and change["to_state"] == "submitted" and change["reason"] == "材料齐全"
    assert change["actor"] == "caseworker_g1"
    assert CaseEvent.objects.count() == events


def test_two_people_moving_one_file_at_once_the_second_is_refused(case, drive, users, reviewer2):
    case = drive(case, "submitted")
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    services.case_refuse(actor=users["reviewer_xuanwu"], case=first, version=first.version, reason="收入超标")
    with pytest.raises(Conflict):
        services.case_start_verification(actor=users["caseworker_g1"], case=second, version=second.version)
    assert Case.objects.get(pk=case.pk).state == "refused"


def test_relapse_opens_a_linked_episode_and_keeps_the_history(case, drive, users):
    old = drive(case, "exited")
    household = Household.objects.get(pk=old.household_id)
    with pytest.raises(ValidationFailed, match="原因"):
        services.case_open(actor=users["caseworker_g1"], household=household)
    new = services.case_open(actor=users["caseworker_g1"], household=household, reason="再次失业,家庭返贫")
    assert new.episode == 2 and new.previous == old and new.is_relapse and new.state == "draft"
    household.refresh_from_db()
    assert household.status == "draft"
    assert household.members.filter(active=True).count() == 3, "members are back in the file"
    assert Case.objects.get(pk=old.pk).state == "exited" and old.events.count() == 9
    with pytest.raises(Conflict, match="进行中"):
        services.case_open(actor=users["caseworker_g1"], household=household, reason="重复")


def test_reopening_is_refused_when_a_member_joined_another_household(case, drive, users, make_household, build):
    old = drive(case, "exited")
    worker = Member.objects.get(household=old.household_id, relation="self")
    make_household(union="g2", members=[{**build.member("self"), "id_number": worker.id_number}])
    household = Household.objects.get(pk=old.household_id)
    with pytest.raises(Conflict, match="其他在册"):
        services.case_open(actor=users["caseworker_g1"], household=household, reason="返贫")
    assert household.cases.count() == 1


def test_a_household_filed_before_the_workflow_is_adopted_in_its_state_with_its_review_date(make_household, users,
                                                                                             today):
    household = make_household()
    Household.objects.filter(pk=household.pk).update(status="archived", verified_category="hardship")  # old data
    household.refresh_from_db()
    case = services.case_open(actor=users["caseworker_g1"], household=household)
    assert case.state == "archived" and case.category == "hardship" and case.episode == 1
    assert case.events.get().action == "adopt"
    assert case.archived_on == today and case.next_review_on == add_months(today, 12)  # registered today


def test_the_registrys_verify_opens_the_case_in_the_archive(make_household, users):
    household = make_household()
    services.case_take_over(actor=users["reviewer_xuanwu"], household=household, category="hardship")
    case = household.cases.get()
    assert case.state == "archived" and case.events.get().action == "take_over"
    with pytest.raises(Conflict, match="进行中"):
        services.case_open(actor=users["caseworker_g1"], household=household)


def test_the_database_allows_one_open_case_per_household(case):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(household=case.household, episode=2)
