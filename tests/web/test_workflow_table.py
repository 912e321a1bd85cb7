"""A workflow move is one row of one table: its service, page form and button, API endpoint and audit label follow
from it, and a row missing any of them fails here rather than as a 500 on the household page."""

from __future__ import annotations

import re

import pytest

from bangfu.audit.labels import action_label
from bangfu.audit.models import AuditEntry
from bangfu.cases import services
from bangfu.cases.models import Case
from bangfu.cases.workflow import TRANSITIONS, CaseState, Move
from bangfu.web.forms.cases import FORMS, move_form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_every_move_of_the_table_has_its_service_form_and_labels(name, household):
    move = TRANSITIONS[name]
    assert callable(services.move_service(name)) and move.form in FORMS
    assert re.search(r"[\u4e00-\u9fff]", move.label) and action_label(f"case.{name}") == move.label
    assert move.target is None or move.target in CaseState.values
    assert move_form(name, version=1, household=household).prefix == name
    if move.form == "reason":
        assert move.reason_label, "a required reason needs its label"


def test_a_move_added_to_the_table_is_offered_on_the_page_in_the_api_and_in_the_audit_labels(
        monkeypatch, login, users, household, drive):
    monkeypatch.setitem(TRANSITIONS, "send_back", Move("退回重新核查", frozenset({CaseState.PUBLIC_NOTICE}),
                                                     CaseState.VERIFYING, form="reason", reason_label="退回原因"))
    case = drive(household, "public_notice")
    client = login(users["caseworker_g1"])
    page = client.get(f"/households/{household.pk}/").content.decode()
    assert 'data-testid="move-send_back"' in page and "退回重新核查" in page and "退回原因" in page
    offered = client.get(f"/api/v1/cases/{case.pk}/moves").json()
    assert {"name": "send_back", "label": "退回重新核查", "form": "reason", "approval": False, "blocked": ""} in offered
    assert "send_back" in client.get(f"/api/v1/cases/{case.pk}").json()["allowed_moves"]
    refused = client.post(f"/households/{household.pk}/case/send_back/", {"send_back-version": case.version},
                          HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and Case.objects.get(pk=case.pk).state == CaseState.PUBLIC_NOTICE
    done = client.post(f"/households/{household.pk}/case/send_back/",
                       {"send_back-version": case.version, "send_back-reason": "公示期间有异议"})
    assert done.status_code == 302 and Case.objects.get(pk=case.pk).state == CaseState.VERIFYING
    entry = AuditEntry.objects.get(action="case.send_back")
    assert action_label(entry.action) == "退回重新核查" and entry.after["reason"] == "公示期间有异议"
    history = client.get(f"/households/{household.pk}/").content.decode()
    assert "退回重新核查" in history
    api = client.post(f"/api/v1/cases/{case.pk}/moves/start_notice", {"version": case.version + 1, "reason": ""},
                      content_type="application/json")
    assert api.status_code == 422 and api.json()["field"] == "name", "moves with their own inputs keep their endpoint"
