"""A stale step on a round or a line is refused by `bangfu.audit.locking.lock_version`, with its one conflict
payload, in the services, the API and the pages."""

from __future__ import annotations

import re

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
    # her own save from another tab: said as hers, not as someone else's (the suite's clock ticks on from 10:00)
    assert "您已在另一个页面(或标签页)修改过此记录" in page and "他人" not in page
    assert re.search(r"此后已保存的修改:2026-11-16 10:\d\d 您\(在其他页面\) 生成发放名单", page)
    assert Round.objects.get(pk=prepared.pk).state == "draft"


def _set_payee(actor, household, version, card: int):
    from programme_helpers import luhn_card

    return services.payee_set(actor=actor, household=household, member=household.members.get(relation="self"),
                              bank_name="农业银行南京分行", account_number=luhn_card(card), version=version)


def test_a_stale_payee_edit_is_refused_with_the_payload(staff, area):
    """Issue 17: payee_set bumped the version and never checked it; two people editing one payee now queue up."""
    from bangfu.programmes.models import Payee, mask_account

    household = area["a"]
    read = household.payee.version
    assert read == 1
    _set_payee(staff["caseworker_xuanwu"], household, read, 777)
    stored = Payee.objects.get(household=household)
    with pytest.raises(Conflict) as exc:
        _set_payee(staff["caseworker_g1"], household, read, 888)
    assert (exc.value.message, exc.value.field) == ("该户领款人及账户已被他人修改,请刷新后重试", "version")
    payload = exc.value.extra
    assert set(payload) == PAYLOAD and (payload["your_version"], payload["version"]) == (1, 2)
    assert payload["changed_by"] == "caseworker_xuanwu" and [c["action"] for c in payload["changes"]] == ["payee.set"]
    assert payload["current"] == {"member": stored.member_id, "bank_name": "农业银行南京分行",
                                  "account": mask_account(stored.account_number), "account_kind": "card"}
    assert Payee.objects.get(household=household).account_number == stored.account_number  # nothing overwritten
    with pytest.raises(Conflict):  # a page read when the household had no payee yet (0) is stale too
        _set_payee(staff["caseworker_g1"], household, 0, 888)
    with pytest.raises(ValidationFailed) as missing:
        _set_payee(staff["caseworker_g1"], household, None, 888)
    assert (missing.value.field, missing.value.message) == ("version", "缺少版本号(version),请刷新页面后重试")
    assert _set_payee(staff["caseworker_g1"], household, 2, 888).version == 3  # the current version saves


def test_a_stale_payee_edit_through_the_api_and_the_page(client, login, staff, area):
    from programme_helpers import luhn_card

    household = area["a"]
    worker = household.members.get(relation="self")
    login(staff["caseworker_g1"])
    got = client.get(f"{API}/households/{household.pk}/payee").json()["payee"]
    assert got["version"] == 1
    body = {"member_id": worker.pk, "bank_name": "工行", "account_number": luhn_card(31), "version": 1}
    assert client.put(f"{API}/households/{household.pk}/payee", body, content_type="application/json").json()[
        "version"] == 2
    stale = client.put(f"{API}/households/{household.pk}/payee", {**body, "account_number": luhn_card(32)},
                       content_type="application/json")
    assert stale.status_code == 409 and set(stale.json()) >= PAYLOAD and stale.json()["current"]["bank_name"] == "工行"
    # the page: read at version 2, saved meanwhile by someone else, refused in Chinese with what was typed kept
    client = login(staff["caseworker_g1"])
    page = client.get(f"/households/{household.pk}/payee/").content.decode()
    assert 'name="version" value="2"' in page
    _set_payee(staff["caseworker_xuanwu"], household, 2, 33)
    refused = client.post(f"/households/{household.pk}/payee/", {
        "member": worker.pk, "bank_name": "建设银行", "account_kind": "card", "account_number": luhn_card(34),
        "version": 2})
    text = refused.content.decode()
    assert refused.status_code == 409 and "该户领款人及账户已被他人修改,请刷新后重试" in text
    assert re.search(r"此后已保存的修改:2026-11-16 10:\d\d caseworker_xuanwu 设置领款人及账户", text)
    assert 'value="建设银行"' in text and household.payee.__class__.objects.get(pk=household.payee.pk).version == 3
