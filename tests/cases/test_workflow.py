"""The case workflow against the database: every move allowed from its states and refused from the others."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine

from bangfu.audit.models import AuditEntry
from bangfu.cases import services
from bangfu.cases.models import Case, CaseEvent
from bangfu.cases.selectors import allowed_moves
from bangfu.cases.workflow import TRANSITIONS, CaseState, guard_refusal
from bangfu.common import clock
from bangfu.common.errors import ValidationFailed
from bangfu.registry.models import Household

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def call(name: str, case: Case, users, today):
    """Make move `name` with the arguments it needs; approvals by the county reviewer, the rest by the caseworker."""
    actor = users["reviewer_xuanwu"] if TRANSITIONS[name].approval else users["caseworker_g1"]
    extra = {
        "record_visit": {"visited_on": today, "notes": "入户核查", "authorisation_signed_on": today},
        "start_notice": {"start": today, "end": today + 6 * DAY},
        "archive": {"category": "hardship"},
        "refuse": {"reason": "收入超标"},
        "complete_review": {"reason": "仍需帮扶"},
        "exit": {"reason": "已就业"},
        "relieve": {"reason": "无劳动能力,已纳入低保"},
    }.get(name, {})
    return getattr(services, f"case_{name}")(actor=actor, case=case, version=case.version, **extra)


def put_in(case: Case, state: str, users, today) -> Case:
    """Place a case in `state` with what that state implies (a visit record, a finished notice, review dates)."""
    Case.objects.filter(pk=case.pk).update(
        state=state, visited_on=today, visit_notes="入户核查", authorisation_signed_on=today,
        notice_start=today - 10 * DAY, notice_end=today - DAY, submitted_by=users["caseworker_g1"],
        archived_on=today, next_review_on=today + 365 * DAY)
    Household.objects.filter(pk=case.household_id).update(status=state)
    case.refresh_from_db()
    return case


ALLOWED = [(name, state) for name, move in TRANSITIONS.items() for state in sorted(move.sources)]
REFUSED = [(name, state) for name, move in TRANSITIONS.items() for state in CaseState.values
           if state not in move.sources]


@pytest.mark.parametrize("name, state", ALLOWED)
def test_each_move_is_allowed_from_its_states(case, users, today, name, state):
    case = put_in(case, state, users, today)
    before = case.version
    moved = call(name, case, users, today)
    target = TRANSITIONS[name].target or state
    assert moved.state == target and moved.version == before + 1
    assert Household.objects.get(pk=case.household_id).status == target
    event = CaseEvent.objects.filter(case=case).last()
    assert event.action == name and event.version == moved.version
    assert AuditEntry.objects.filter(action=f"case.{name}", object_id=str(case.pk)).exists()


@pytest.mark.parametrize("name, state", REFUSED)
def test_each_move_is_refused_from_the_other_states_and_nothing_changes(case, users, today, name, state):
    case = put_in(case, state, users, today)
    events, audits, version = CaseEvent.objects.count(), AuditEntry.objects.count(), case.version
    with pytest.raises(ValidationFailed) as refused:
        call(name, case, users, today)
    assert "不能" in refused.value.message and CaseState(state).label in refused.value.message
    case.refresh_from_db()
    assert case.state == state and case.version == version
    assert CaseEvent.objects.count() == events and AuditEntry.objects.count() == audits


def test_the_whole_life_of_a_file(case, drive, users, today):
    household = case.household
    assert case.state == "draft" and case.episode == 1
    case = drive(case, "archived")
    household.refresh_from_db()
    assert household.status == "archived" and household.archived and household.verified_category == "extreme_hardship"
    assert case.approved_by == users["reviewer_xuanwu"] and case.archived_on == today
    assert case.next_review_on.year == today.year + 1  # sync.review.interval_months: 12
    case = drive(case, "helping")
    assert Household.objects.get(pk=household.pk).archived, "helping counts as archived"
    case = drive(case, "exited")
    household.refresh_from_db()
    assert household.status == "exited" and not household.archived
    assert not household.members.filter(active=True).exists(), "an exit frees the members"
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["open", "submit", "start_verification", "record_visit", "start_notice", "archive",
                       "start_help", "start_review", "exit"]
    assert list(case.followups.values_list("kind", flat=True)) == ["first", "second"]


def test_the_household_status_follows_the_case_with_an_audit_row(case, drive):
    case = drive(case, "submitted")
    assert Household.objects.get(pk=case.household_id).status == "submitted"
    entry = AuditEntry.objects.filter(action="household.status").last()
    assert entry.before["status"] == "draft" and entry.after["status"] == "submitted"


def test_notice_needs_the_home_visit_and_the_signed_authorisation(case, drive, users, today):
    case = drive(case, "verifying")
    cw = users["caseworker_g1"]
    with pytest.raises(ValidationFailed, match="入户核查"):
        services.case_start_notice(actor=cw, case=case, version=case.version, start=today, end=today)
    case = services.case_record_visit(actor=cw, case=case, version=case.version, visited_on=today, notes="已走访")
    with pytest.raises(ValidationFailed, match="授权书"):
        services.case_start_notice(actor=cw, case=case, version=case.version, start=today, end=today)
    case = services.case_record_visit(actor=cw, case=case, version=case.version, visited_on=today, notes="补签授权书",
                                      authorisation_signed_on=today)
    with pytest.raises(ValidationFailed, match="结束日期"):
        services.case_start_notice(actor=cw, case=case, version=case.version, start=today, end=today - DAY)
    case = services.case_start_notice(actor=cw, case=case, version=case.version, start=today, end=today + 6 * DAY)
    assert case.state == "public_notice" and case.notice_end == today + 6 * DAY


def test_a_visit_in_the_future_is_refused(case, drive, users, today):
    case = drive(case, "verifying")
    with pytest.raises(ValidationFailed, match="不能晚于今天"):
        services.case_record_visit(actor=users["caseworker_g1"], case=case, version=case.version,
                                   visited_on=today + DAY, notes="x")


def test_no_archive_before_the_notice_period_ends(case, drive, users, today):
    case = drive(case, "verifying")
    cw = users["caseworker_g1"]
    case = services.case_record_visit(actor=cw, case=case, version=case.version, visited_on=today, notes="已走访",
                                      authorisation_signed_on=today)
    case = services.case_start_notice(actor=cw, case=case, version=case.version, start=today, end=today)
    with pytest.raises(ValidationFailed, match="公示期至2026年11月16日止,公示期满后方可审批建档"):
        services.case_archive(actor=users["reviewer_xuanwu"], case=case, version=case.version, category="hardship")
    assert Case.objects.get(pk=case.pk).state == "public_notice"


def test_a_notice_follows_the_cases_history(case, drive, users, today):
    """Issue 17 item 4: a notice may not start before the application was submitted, before the home visit, nor in
    the past; the case is archived only after the notice period, never at once."""
    cw, rv = users["caseworker_g1"], users["reviewer_xuanwu"]
    with time_machine.travel(clock.now() - 5 * DAY, tick=True):  # applied five days ago
        case = drive(case, "verifying")
    case = services.case_record_visit(actor=cw, case=case, version=case.version, visited_on=today - 2 * DAY,
                                      notes="已走访", authorisation_signed_on=today - 2 * DAY)

    def notice(start, end):
        return services.case_start_notice(actor=cw, case=case, version=case.version, start=start, end=end)
    for start, message in ((today - 9 * DAY, "公示开始日期不能早于申请提交日期(2026年11月11日)"),
                           (today - 3 * DAY, "公示开始日期不能早于入户核查日期(2026年11月14日)"),
                           (today - DAY, "公示开始日期不能早于今天(2026年11月16日)")):
        with pytest.raises(ValidationFailed, match=re.escape(message)) as refused:
            notice(start, today + 6 * DAY)
        assert refused.value.field == "start"
    assert Case.objects.get(pk=case.pk).state == "verifying" and case.notice_start is None
    case = notice(today, today + 6 * DAY)
    assert [m.blocked for m in allowed_moves(user=rv, household=case.household, case=case)
            if m.name == "archive"] == ["公示期至2026年11月22日止,公示期满后方可审批建档"]
    with pytest.raises(ValidationFailed, match="公示期满后方可审批建档") as refused:
        services.case_archive(actor=rv, case=case, version=case.version, category="hardship")
    assert refused.value.field == "notice_end"
    with time_machine.travel(clock.now() + 6 * DAY, tick=True):  # the last day of the notice
        assert guard_refusal(case, "archive", clock.today()) is not None
    with time_machine.travel(clock.now() + 7 * DAY, tick=True):  # the day after it
        assert [m.blocked for m in allowed_moves(user=rv, household=case.household, case=case)
                if m.name == "archive"] == [""]
        case = services.case_archive(actor=rv, case=case, version=case.version, category="hardship")
    assert case.state == "archived" and case.archived_on == today + 7 * DAY


def test_archive_needs_a_hardship_category(case, drive, users):
    case = drive(case, "public_notice")
    with pytest.raises(ValidationFailed, match="核定类别"):
        services.case_archive(actor=users["reviewer_xuanwu"], case=case, version=case.version, category="none")


@pytest.mark.parametrize("name", ["refuse", "exit", "relieve", "complete_review"])
def test_closing_moves_need_a_reason(case, drive, users, name):
    case = drive(case, "review" if name != "refuse" else "submitted")
    actor = users["reviewer_xuanwu"] if name != "complete_review" else users["caseworker_g1"]
    with pytest.raises(ValidationFailed, match="须填写"):
        getattr(services, f"case_{name}")(actor=actor, case=case, version=case.version, reason="  ")
    assert Case.objects.get(pk=case.pk).state == case.state


def test_refusal_keeps_the_reason_and_closes_the_file(case, drive, users):
    case = drive(case, "verifying")
    case = services.case_refuse(actor=users["reviewer_xuanwu"], case=case, version=case.version, reason="收入超标")
    household = Household.objects.get(pk=case.household_id)
    assert case.state == household.status == "refused" and case.close_reason == "收入超标"
    assert not household.members.filter(active=True).exists()


def test_submitting_needs_the_worker(make_household, build, users):
    household = make_household(members=[build.member("self")])
    worker = household.members.get()
    case = services.case_open(actor=users["caseworker_g1"], household=household)
    from bangfu.registry.models import Member

    Member.objects.filter(pk=worker.pk).update(relation="spouse")
    with pytest.raises(ValidationFailed, match="职工本人"):
        services.case_submit(actor=users["caseworker_g1"], case=case, version=case.version)
