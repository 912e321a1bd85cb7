"""One optimistic lock for every versioned object: a missing version is refused, a stale one gets one payload
(your version, the current one, what changed since and who changed it, the stored values)."""

from __future__ import annotations

import pytest

from bangfu.cases import services
from bangfu.common.errors import Conflict, ValidationFailed
from bangfu.registry import services as registry

pytestmark = pytest.mark.django_db

PAYLOAD = {"your_version", "version", "changes", "changed_by", "changed_at", "current"}


@pytest.fixture
def edits(archived_case, users, today):
    """For each versioned kind: (the object as read, an edit of it with a version by a given user)."""
    household = archived_case.household
    member = household.members.get(relation="spouse")
    plan = services.plan_create(actor=users["caseworker_g1"], case=archived_case, year=today.year)
    measure = services.measure_create(actor=users["caseworker_g1"], plan=plan, kind="visit", title="走访",
                                      owner=users["caseworker_g1"], due_on=today)
    return {
        "household": (household, lambda who, obj, v: registry.household_update(
            actor=who, household=obj, data={"notes": f"{who.username}的备注"}, version=v)),
        "member": (member, lambda who, obj, v: registry.member_update(
            actor=who, member=obj, data={"employer": f"{who.username}的单位"}, version=v)),
        "plan": (plan, lambda who, obj, v: services.plan_update(actor=who, plan=obj, version=v,
                                                                data={"goals": f"{who.username}的目标"})),
        "measure": (measure, lambda who, obj, v: services.measure_update(actor=who, measure=obj, version=v,
                                                                         data={"notes": f"{who.username}"})),
        "case": (archived_case, lambda who, obj, v: services.case_start_help(actor=who, case=obj, version=v)),
    }


@pytest.mark.parametrize("kind", ["household", "member", "plan", "measure", "case"])
def test_a_stale_edit_gets_the_one_payload_and_a_missing_version_is_refused(edits, users, kind):
    obj, edit = edits[kind]
    read = obj.version
    first, second = users["caseworker_g1"], users["reviewer_xuanwu"]
    with pytest.raises(ValidationFailed) as missing:
        edit(first, type(obj).objects.get(pk=obj.pk), None)
    assert missing.value.field == "version"
    edit(first, type(obj).objects.get(pk=obj.pk), read)
    with pytest.raises(Conflict) as stale:
        edit(second, type(obj).objects.get(pk=obj.pk), read)
    payload = stale.value.extra
    assert stale.value.field == "version" and set(payload) == PAYLOAD
    assert payload["your_version"] == read and payload["version"] == read + 1
    assert payload["changed_by"] == "caseworker_g1" and payload["changes"] and payload["current"]
