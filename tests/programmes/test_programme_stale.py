"""A stale step on a round or a line is refused by `bangfu.audit.locking.lock_version`, with its one conflict
payload, in the services, the API and the pages."""

from __future__ import annotations

import pytest
from programme_helpers import lines_of

from bangfu.common.errors import Conflict, ValidationFailed
from bangfu.programmes import services
from bangfu.programmes.models import Round

pytestmark = pytest.mark.django_db
API = "/api/v1/programmes"
PAYLOAD = {"your_version", "version", "changes", "changed_by", "changed_at", "current"}


def test_a_stale_round_step_names_what_was_done_since(prepared, staff):
    read = prepared.version
    services.round_prepare(actor=staff["caseworker_xuanwu"], round_=Round.objects.get(pk=prepared.pk), version=read)
    with pytest.raises(Conflict) as exc:
        services.round_submit(actor=staff["caseworker_xuanwu"], round_=prepared, version=read)
    assert exc.value.message == "该批次已被他人修改,请刷新后重试" and exc.value.field == "version"
    payload = exc.value.extra
    assert set(payload) == PAYLOAD
    assert (payload["your_version"], payload["version"], payload["changed_by"]) == (read, read + 1, "caseworker_xuanwu")
    assert [c["action"] for c in payload["changes"]] == ["round.prepare"]
    assert payload["current"] == {"state": "draft", "title": "春节送温暖", "paid_on": prepared.paid_on.isoformat(),
                                  "approver_union": None, "decision_reason": ""}
    assert Round.objects.get(pk=prepared.pk).state == "draft"


def test_a_round_step_without_a_version_is_refused(prepared, staff):
    with pytest.raises(ValidationFailed) as exc:
        services.round_submit(actor=staff["caseworker_xuanwu"], round_=prepared, version=None)
    assert (exc.value.field, exc.value.message) == ("version", "缺少版本号(version),请刷新页面后重试")


def test_a_stale_line_adjustment_names_the_adjustment_since(prepared, staff, area):
    line = lines_of(prepared)[area["a"].pk]
    services.line_adjust(actor=staff["caseworker_xuanwu"], line=line, version=line.version, reason="核减",
                         amount="400")
    with pytest.raises(Conflict) as exc:
        services.line_adjust(actor=staff["reviewer_xuanwu"], line=line, version=line.version, reason="再调",
                             amount="300")
    assert exc.value.message == "该明细已被他人修改,请刷新后重试"
    payload = exc.value.extra
    assert set(payload) == PAYLOAD and (payload["your_version"], payload["version"]) == (1, 2)
    assert payload["current"] == {"included": True, "amount": "400.00", "state": "open", "exclusion": "",
                                  "adjust_reason": "核减"}
    assert [(c["action"], c["after"]["line"], c["after"]["amount"]) for c in payload["changes"]] == [
        ("round.line_adjust", line.pk, "400.00")]
    assert payload["changed_by"] == "caseworker_xuanwu"


def test_the_api_answers_409_with_the_payload(client, login, staff, prepared, area):
    login(staff["caseworker_xuanwu"])
    stale = client.post(f"{API}/rounds/{prepared.pk}/submit", {"version": prepared.version + 1},
                        content_type="application/json")
    assert stale.status_code == 409
    body = stale.json()
    assert set(body) >= PAYLOAD and body["field"] == "version" and body["version"] == prepared.version
    line = lines_of(prepared)[area["a"].pk]
    stale = client.post(f"{API}/lines/{line.pk}/adjust", {"version": line.version + 5, "reason": "核减",
                                                          "amount": "450.00"}, content_type="application/json")
    assert stale.status_code == 409 and set(stale.json()) >= PAYLOAD
    assert stale.json()["current"]["amount"] == "500.00"


def test_the_round_page_says_what_was_saved_since(login, staff, prepared, area):
    read = prepared.version
    services.round_prepare(actor=staff["caseworker_xuanwu"], round_=Round.objects.get(pk=prepared.pk), version=read)
    client = login(staff["caseworker_xuanwu"])
    response = client.post(f"/rounds/{prepared.pk}/submit/", {"version": read}, follow=True)
    page = response.content.decode()
    assert "该批次已被他人修改,请刷新后重试" in page
    assert "此后已保存的修改:2026-11-16 10:00 caseworker_xuanwu 生成发放名单" in page
    assert Round.objects.get(pk=prepared.pk).state == "draft"
