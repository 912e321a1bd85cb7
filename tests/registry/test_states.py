"""The household's status names the case workflow's states, handed to the registry when the apps are ready: one
definition (`bangfu.cases.workflow.CaseState`), no list of its own."""

from __future__ import annotations

import pytest

from bangfu.cases.services import case_take_over
from bangfu.cases.workflow import ARCHIVED_STATES, IN_ARCHIVE, INACTIVE_STATES, CaseState
from bangfu.registry import selectors, states
from bangfu.registry.models import Household

pytestmark = pytest.mark.django_db


def test_the_registry_reads_the_workflows_states():
    field = Household._meta.get_field("status")
    assert list(field.choices) == list(CaseState.choices) and field.get_default() == CaseState.DRAFT == "draft"
    assert {s for s in CaseState.values if states.is_archived(s)} == ARCHIVED_STATES
    assert {s for s in CaseState.values if states.is_closed(s)} == INACTIVE_STATES
    assert states.matching(IN_ARCHIVE) == {"archived", "helping", "review"}
    assert states.matching("exited") == {"exited"} and states.label("review") == "复核中"


def test_a_household_shows_its_cases_state_and_the_list_filters_by_it(make_household, users):
    fresh = make_household("g1")
    taken = make_household("g1")
    case_take_over(actor=users["reviewer_xuanwu"], household=taken, category="hardship")
    taken.refresh_from_db()
    assert (fresh.status, fresh.get_status_display(), fresh.archived) == ("draft", "申请", False)
    assert (taken.status, taken.get_status_display(), taken.archived) == ("archived", "已建档", True)
    user = users["caseworker_g1"]
    assert [h.pk for h in selectors.household_list(user=user, status=IN_ARCHIVE).items] == [taken.pk]
    assert [h.pk for h in selectors.household_list(user=user, status="draft").items] == [fresh.pk]
