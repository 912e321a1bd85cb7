"""The public selector of the moves a user may make now: by state and role, approvals for county reviewers only,
the four eyes shown as a reason rather than a button, nothing outside the user's area."""

from __future__ import annotations

import pytest

from bangfu.cases import services
from bangfu.cases.selectors import FOUR_EYES_BLOCK, OPEN, AllowedMove, allowed_moves

pytestmark = pytest.mark.django_db


def names(user, household, case):
    return [m.name for m in allowed_moves(user=user, household=household, case=case)]


def test_before_any_case_the_registry_state_decides(make_household, users):
    household = make_household()
    assert names(users["caseworker_g1"], household, None) == ["submit"]
    assert names(users["auditor_province"], household, None) == [], "auditors change nothing"
    assert names(users["caseworker_g4"], household, None) == [], "another county's file"


def test_approvals_belong_to_the_county_reviewer(case, drive, users):
    case = drive(case, "public_notice")
    household = case.household
    assert allowed_moves(user=users["reviewer_xuanwu"], household=household, case=case) == [
        AllowedMove("archive", approval=True), AllowedMove("refuse", approval=True)]
    assert names(users["caseworker_g1"], household, case) == []
    assert names(users["admin_nanjing"], household, case) == [], "administrators do not approve"
    assert names(users["reviewer_xishan"], household, case) == []


def test_the_four_eyes_come_back_as_a_reason(case, users, reviewer2):
    reviewer = users["reviewer_xuanwu"]
    case = services.case_submit(actor=reviewer, case=case, version=case.version)
    moves = allowed_moves(user=reviewer, household=case.household, case=case)
    assert moves == [AllowedMove("start_verification"), AllowedMove("refuse", approval=True, blocked=FOUR_EYES_BLOCK)]
    assert AllowedMove("refuse", approval=True) in allowed_moves(user=reviewer2, household=case.household, case=case)


def test_a_closed_episode_offers_a_new_one(case, drive, users):
    case = drive(case, "exited")
    assert names(users["caseworker_g1"], case.household, case) == [OPEN]
    assert names(users["auditor_province"], case.household, case) == []
