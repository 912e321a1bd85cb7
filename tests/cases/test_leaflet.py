"""政策明白纸: the leaflet shows what the family receives and may apply for; its printing is in the file."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.audit.models import AuditEntry
from bangfu.cases.models import CaseEvent
from bangfu.cases.services import case_leaflet_print
from bangfu.common.errors import DomainError, ValidationFailed

pytestmark = pytest.mark.django_db


def test_printing_is_an_event_and_an_audit_row_without_moving_the_case(archived_case, users):
    version, state = archived_case.version, archived_case.state
    event = case_leaflet_print(actor=users["caseworker_g1"], case=archived_case, caseworker="王芳", phone="025-1234567")
    archived_case.refresh_from_db()
    assert (archived_case.version, archived_case.state) == (version, state)
    assert event.action == "print_leaflet" and "王芳" in event.reason
    row = AuditEntry.objects.filter(action="case.print_leaflet", object_id=str(archived_case.pk)).get()
    assert row.after["phone"] == "025-1234567"


def test_printing_needs_a_phone_and_the_area(archived_case, users):
    with pytest.raises(ValidationFailed) as exc:
        case_leaflet_print(actor=users["caseworker_g1"], case=archived_case, caseworker="王芳", phone=" ")
    assert exc.value.field == "phone"
    with pytest.raises(DomainError):
        case_leaflet_print(actor=users["caseworker_g2"], case=archived_case, caseworker="王芳", phone="1")
    assert not CaseEvent.objects.filter(action="print_leaflet").exists()


def test_the_leaflet_page_records_and_shows_it_in_the_history(login, archived_case, users):
    client = login(users["caseworker_g1"])
    url = reverse("web:household_leaflet", args=[archived_case.household_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"caseworker": "王芳", "phone": "13800001111"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "政策明白纸" in page and "13800001111" in page
    assert archived_case.next_review_on.strftime("%Y年").lstrip("0") in page
    assert "第17条" not in page or "到哪里办" in page
    assert "可向当地" in page or "由当地" in page
    panel = client.get(reverse("web:case_panel", args=[archived_case.household_id])).content.decode()
    assert "打印政策明白纸" in panel
    bad = client.post(url, {"caseworker": "王芳", "phone": ""})
    assert bad.status_code == 422
    assert CaseEvent.objects.filter(action="print_leaflet").count() == 1


@pytest.mark.parametrize("user, status", [("caseworker_g2", 404), ("auditor_province", 403)])
def test_the_leaflet_permissions(login, archived_case, users, user, status):
    client = login(users[user])
    url = reverse("web:household_leaflet", args=[archived_case.household_id])
    assert client.post(url, {"caseworker": "王芳", "phone": "1"}).status_code == status
    assert not CaseEvent.objects.filter(action="print_leaflet").exists()


def test_a_household_without_a_case_is_told_so_not_answered_500(login, users, make_household):
    """Found by the crawl (issue 17): GET on a file that has no case raised on the unbound form."""
    household = make_household()
    client = login(users["caseworker_g1"])
    url = reverse("web:household_leaflet", args=[household.pk])
    page = client.get(url)
    assert page.status_code == 200 and "该家庭尚未建立帮扶档案,不能打印政策明白纸" in page.content.decode()
    refused = client.post(url, {"caseworker": "张敏", "phone": "13900000000"})
    assert refused.status_code == 409 and "该家庭尚未建立帮扶档案" in refused.content.decode()
    detail = client.get(reverse("web:household_detail", args=[household.pk])).content.decode()
    assert url not in detail
