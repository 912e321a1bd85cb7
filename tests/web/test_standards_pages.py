"""政策标准 pages (issue 9, item 5): every parameter with its history; an administrator proposes (a confirmation or a
new dated value with its document), a second administrator approves, and the next assessment uses it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from bangfu.audit.models import AuditEntry
from bangfu.standards.models import StandardRequest, StandardValue

pytestmark = pytest.mark.django_db
PRICE = "living.utilities.electricity_price"
DETAIL = reverse("web:standard_detail", args=[PRICE])


def propose(client, **fields):
    data = {"region_code": "320100", "start": "2025-01-01", "value": "0.6", "status": "confirmed",
            "document": "南京市发展改革委关于居民生活用电价格的通知", "note": "", **fields}
    return client.post(DETAIL, data)


@pytest.mark.parametrize(("user", "status"), [("admin_province", 200), ("admin_nanjing", 200),
                                                ("auditor_province", 200), ("caseworker_g1", 403),
                                                ("reviewer_xuanwu", 403), ("officer", 403)])
def test_who_sees_the_standards(login, users, user, status):
    client = login(users[user])
    assert client.get(reverse("web:standard_list")).status_code == status
    assert client.get(DETAIL).status_code == status


def test_the_list_shows_every_parameter_and_what_is_still_illustrative(login, users):
    page = login(users["admin_province"]).get(reverse("web:standard_list")).content.decode()
    assert "居民生活用电第一档电价" in page and 'data-testid="parameter-sync.dibao.standard"' in page
    assert "项待确认" in page and "政策标准" in page
    only = login(users["admin_province"]).get(reverse("web:standard_list"), {"illustrative": "1"}).content.decode()
    assert 'data-testid="parameter-general.notice.in_force"' not in only, "a confirmed-only parameter is hidden"


def test_the_history_shows_value_date_status_and_source(login, users):
    page = login(users["admin_nanjing"]).get(DETAIL).content.decode()
    assert 'data-testid="value-320000-20190110"' in page and "0.5283" in page
    assert "示例值(待确认)" in page and "江苏省居民生活用电阶梯电价" in page and "系统预置" in page
    assert "?region_code=320000&amp;start=2019-01-10&amp;value=0.5283#propose" in page, "a confirm link"
    auditor = login(users["auditor_province"]).get(DETAIL).content.decode()
    assert "提交审批" not in auditor and "确认</a>" not in auditor, "auditors read only"


def test_confirm_then_a_second_administrator_approves_and_the_next_assessment_uses_it(login, users, make_household):
    from bangfu.cases.services import case_take_over
    from bangfu.registry.assessment import household_entitlements

    household = make_household()
    case_take_over(actor=users["reviewer_xuanwu"], household=household, category="extreme_hardship")
    household.refresh_from_db()
    day = datetime.date(2025, 6, 1)

    def electricity():
        answer = household_entitlements(household, day)
        return next(b for b in answer["benefits"] if b["code"] == "living.free_electricity")

    assert electricity()["details"]["price"] == 0.5283
    client = login(users["admin_nanjing"])
    response = propose(client)
    assert response.status_code == 302
    request = StandardRequest.objects.get()
    assert request.state == "pending" and not StandardValue.objects.exists()
    page = client.get(DETAIL).content.decode()
    assert "待另一名管理员审批" in page and "审批通过</button>" not in page
    own = client.post(reverse("web:standard_request_decide", args=[request.pk, "approve"]), {"parameter": PRICE},
                      follow=True)
    assert "双人审核" in own.content.decode() and not StandardValue.objects.exists()
    assert electricity()["details"]["price"] == 0.5283, "nothing changes before the second person"

    client = login(users["admin_province"])
    assert "审批通过</button>" in client.get(reverse("web:standard_list")).content.decode()
    client.post(reverse("web:standard_request_decide", args=[request.pk, "approve"]), {"parameter": PRICE})
    assert StandardValue.objects.get().document == "南京市发展改革委关于居民生活用电价格的通知"
    assert electricity()["details"]["price"] == 0.6 and "price" not in electricity()["details"].get("illustrative", [])
    page = client.get(DETAIL).content.decode()
    assert 'data-testid="value-320100-20250101"' in page and "管理员设置" in page
    actions = list(AuditEntry.objects.filter(object_type__startswith="standard").order_by("id")
                   .values_list("action", flat=True))
    assert actions == ["standard.propose", "standard.set", "standard.approve"]


def test_a_proposal_without_a_document_is_refused_on_the_field(login, users):
    response = propose(login(users["admin_nanjing"]), document="")
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    response = propose(login(users["admin_nanjing"]), region_code="320200")  # Wuxi: not offered to Nanjing
    assert response.status_code == 200 and "320200" in response.content.decode()
    assert not StandardRequest.objects.exists()


def test_a_rejection_needs_a_reason_and_changes_nothing(login, users):
    propose(login(users["admin_nanjing"]))
    request = StandardRequest.objects.get()
    client = login(users["admin_province"])
    client.post(reverse("web:standard_request_decide", args=[request.pk, "reject"]), {"reason": "文件尚未印发"})
    request.refresh_from_db()
    assert request.state == "rejected" and request.decision_reason == "文件尚未印发"
    assert not StandardValue.objects.exists()


def test_the_pages_query_count_does_not_grow_with_proposals(login, users, django_assert_max_num_queries):
    client = login(users["admin_nanjing"])
    for day in range(1, 6):
        propose(client, start=f"2025-01-0{day}")
    client = login(users["admin_province"])
    client.get(reverse("web:standard_list"))  # the parameters of this version are built once per process
    with django_assert_max_num_queries(6):
        page = client.get(reverse("web:standard_list"))
    assert page.content.decode().count('data-testid="standard-request-') == 5
    with django_assert_max_num_queries(7):
        page = client.get(DETAIL)
    assert page.content.decode().count('data-testid="standard-request-') == 5
