"""Actions on a file (reveal an ID number, documents, income, archiving) and the auditor's and admin's pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bangfu.accounts.models import User
from bangfu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_reveal_a_full_id_number_is_logged(login, users, household):
    child = household.members.get(relation="child")
    client = login(users["caseworker_g1"])
    url = reverse("web:member_id_number", args=[child.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and child.id_number in response.content.decode()
    assert AuditEntry.objects.filter(action="member.view_id_number", object_id=str(child.pk),
                                     actor_name="caseworker_g1").exists()


def test_reveal_is_refused_to_auditors_and_outside_the_area(login, users, household):
    child = household.members.get(relation="child")
    url = reverse("web:member_id_number", args=[child.pk])
    assert login(users["auditor_province"]).post(url).status_code == 403
    assert login(users["caseworker_g4"]).post(url).status_code == 404
    assert not AuditEntry.objects.filter(action="member.view_id_number").exists()


def test_file_page_offers_the_reveal_only_to_those_allowed(login, users, household):
    url = reverse("web:household_detail", args=[household.pk])
    assert "显示完整号码" in login(users["caseworker_g1"]).get(url).content.decode()
    assert "显示完整号码" not in login(users["auditor_province"]).get(url).content.decode()


def test_upload_and_download_a_document(login, users, household):
    client = login(users["caseworker_g1"])
    upload = SimpleUploadedFile("申请表.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("web:document_upload", args=[household.pk]),
                           {"doc_type": "application_form", "file": upload})
    assert response.status_code == 302
    document = household.documents.get()
    page = client.get(reverse("web:household_detail", args=[household.pk])).content.decode()
    assert "申请表.pdf" in page
    download = client.get(reverse("web:document_download", args=[document.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert login(users["caseworker_g4"]).get(reverse("web:document_download", args=[document.pk])).status_code == 404


def test_upload_refuses_a_file_of_the_wrong_type(login, users, household):
    client = login(users["caseworker_g1"])
    upload = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    response = client.post(reverse("web:document_upload", args=[household.pk]),
                           {"doc_type": "other", "file": upload}, follow=True)
    assert "只能上传PDF、JPG或PNG文件" in response.content.decode()
    assert not household.documents.exists()


def test_income_updates_the_file(login, users, household):
    client = login(users["caseworker_g1"])
    url = reverse("web:income_set", args=[household.pk])
    response = client.post(url, {"month": "2024-05", "source": "wages", "amount": "2100.50"}, follow=True)
    assert "2,100.50 元" in response.content.decode()
    bad = client.post(url, {"month": "2024-05", "source": "wages", "amount": "-3"}, follow=True)
    assert "金额" in bad.content.decode() and household.incomes.count() == 1


def test_reviewer_archives_through_the_case_and_the_entitlements_follow(login, users, household, drive):
    case = drive(household, "public_notice")
    client = login(users["reviewer_xuanwu"])
    response = client.post(reverse("web:case_move", args=[household.pk, "archive"]),
                           {"archive-version": case.version, "archive-category": "extreme_hardship"}, follow=True)
    body = response.content.decode()
    assert "已审批建档" in body and "特困职工家庭" in body and "按申请类别" not in body
    household.refresh_from_db()
    assert household.verified_category == "extreme_hardship" and household.status == "archived"


def test_caseworkers_cannot_archive(login, users, household, drive):
    case = drive(household, "public_notice")
    response = login(users["caseworker_g1"]).post(
        reverse("web:case_move", args=[household.pk, "archive"]),
        {"archive-version": case.version, "archive-category": "hardship"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403 and "审批须由县(市、区)总工会的审核人办理" in response.content.decode()
    household.refresh_from_db()
    assert household.status == "public_notice"


def test_auditor_browses_and_filters_the_audit_log(login, users, household):
    client = login(users["auditor_province"])
    body = client.get(reverse("web:audit_log")).content.decode()
    assert "household.create" in body and "member.add" in body
    filtered = client.get(reverse("web:audit_log"), {"action": "household.create"}, HTTP_HX_REQUEST="true")
    text = filtered.content.decode()
    assert "<html" not in text and "household.create" in text and "member.add" not in text
    dates = client.get(reverse("web:audit_log"), {"since": "2030-01-02", "until": "2030-01-01"})
    assert "截止日期不能早于起始日期" in dates.content.decode()


def test_audit_log_is_closed_to_caseworkers_and_shows_only_the_auditors_area(login, users, household):
    assert login(users["caseworker_g1"]).get(reverse("web:audit_log")).status_code == 403
    body = login(users["auditor_wuxi"]).get(reverse("web:audit_log")).content.decode()
    assert "household.create" not in body.split('id="results"')[1]  # the filter's list names every action


def test_admin_creates_and_deactivates_a_user(login, users, orgs):
    client = login(users["admin_nanjing"])
    assert "caseworker_g1" in client.get(reverse("web:user_list")).content.decode()
    data = {"username": "new_caseworker", "full_name": "赵敏", "password": "a-long-Passw0rd!",
            "organisation": str(orgs["g2"].pk), "role": "caseworker", "department": ""}
    assert client.post(reverse("web:user_list"), data).status_code == 302
    created = User.objects.get(username="new_caseworker")
    assert created.organisation == orgs["g2"] and created.last_name == "赵"
    assert client.post(reverse("web:user_deactivate", args=[created.pk])).status_code == 302
    created.refresh_from_db()
    assert not created.is_active


def test_admin_gets_field_errors_and_others_get_403(login, users, orgs):
    client = login(users["admin_nanjing"])
    data = {"username": "x_reviewer", "full_name": "钱多", "password": "a-long-Passw0rd!",
            "organisation": str(orgs["g2"].pk), "role": "reviewer", "department": ""}
    response = client.post(reverse("web:user_list"), data)
    assert response.status_code == 200 and "审核人不能设在" in response.content.decode()
    assert login(users["caseworker_g1"]).get(reverse("web:user_list")).status_code == 403
    wuxi = users["caseworker_g4"]
    assert login(users["admin_nanjing"]).post(reverse("web:user_deactivate", args=[wuxi.pk])).status_code == 404


def test_audit_and_user_lists_query_count_does_not_grow(login, users, make_household,
                                                       django_assert_max_num_queries):
    for _ in range(5):
        make_household("g1")
    auditor = login(users["auditor_province"])
    with django_assert_max_num_queries(5):  # the page's names of unions, users, households: one query
        assert auditor.get(reverse("web:audit_log")).status_code == 200
    admin = login(users["admin_province"])
    with django_assert_max_num_queries(5):
        assert admin.get(reverse("web:user_list")).status_code == 200


def test_audit_log_clamps_a_huge_page_number(login, users, household):
    client = login(users["auditor_province"])
    assert "household.create" in client.get(reverse("web:audit_log"), {"page": "1"}).content.decode()
    for page in ("1e20", str(10**20)):
        assert client.get(reverse("web:audit_log"), {"page": page}).status_code == 200, page
