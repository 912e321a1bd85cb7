"""Reading pages: login, start page, household list, export, the file, its print view; access by role and area."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bangfu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_login_with_good_credentials_goes_to_the_start_page(client, users):
    response = client.post(reverse("web:login"), {"username": "caseworker_g1", "password": "pw-for-tests-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


def test_login_with_a_wrong_password_says_so_in_chinese(client, users):
    response = client.post(reverse("web:login"), {"username": "caseworker_g1", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_five_failures_lock_the_account_with_a_chinese_message(client, users):
    for _ in range(4):
        client.post(reverse("web:login"), {"username": "caseworker_g1", "password": "wrong"})
    response = client.post(reverse("web:login"), {"username": "caseworker_g1", "password": "wrong"})
    assert response.status_code == 429
    assert "账号已被暂时锁定" in response.content.decode()
    # Even the right password is refused while locked.
    again = client.post(reverse("web:login"), {"username": "caseworker_g1", "password": "pw-for-tests-123"})
    assert again.status_code == 429


def test_logout_is_a_post(login, users):
    client = login(users["caseworker_g1"])
    assert client.get(reverse("web:logout")).status_code == 405
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 302


def test_pages_need_a_login(client, household):
    for url in (reverse("web:home"), reverse("web:household_list"), reverse("web:household_detail", args=[household.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login"))


def test_start_page_counts_the_users_area(login, users, household, make_household):
    make_household("g4")
    body = login(users["caseworker_g1"]).get(reverse("web:home")).content.decode()
    assert 'data-testid="count-total">1<' in body
    assert 'id="chart-data"' in body
    province = login(users["admin_province"]).get(reverse("web:home")).content.decode()
    assert 'data-testid="count-total">2<' in province


def test_each_role_gets_its_own_menu_though_menus_are_rendered_once_per_process(login, users):
    """The menu's HTML is kept per process (`nav_menu`) by section and permissions: one role's menu never reaches
    another role, and the page's own entry is the active one."""
    import re

    def menu(user, name="web:home"):
        page = login(user).get(reverse(name)).content.decode()
        links = re.findall(r'<a class="nav-link( active)?" href="([^"]+)"', page)
        return {href for _, href in links}, {href for active, href in links if active}

    everything = {reverse(f"web:{name}") for name in ("audit_log", "user_list", "household_create", "imports")}
    admin, active = menu(users["admin_province"])
    assert everything <= admin and active == {reverse("web:home")}
    caseworker, _ = menu(users["caseworker_g1"])
    assert {reverse("web:household_create"), reverse("web:imports")} <= caseworker
    assert reverse("web:audit_log") not in caseworker and reverse("web:user_list") not in caseworker
    auditor, _ = menu(users["auditor_province"])
    assert reverse("web:audit_log") in auditor and not {reverse("web:user_list"), reverse("web:household_create")} & auditor
    officer, _ = menu(users["officer"])
    assert officer == {reverse("web:home"), reverse("web:department_data")}
    _, active = menu(users["admin_province"], "web:household_list")
    assert active == {reverse("web:household_list")}


def test_department_officer_sees_no_household_pages(login, users, household):
    client = login(users["officer"])
    home = client.get(reverse("web:home"))
    assert home.status_code == 200 and "count-total" not in home.content.decode()
    assert client.get(reverse("web:household_list")).status_code == 403
    assert client.get(reverse("web:household_detail", args=[household.pk])).status_code == 403
    assert client.get(reverse("web:household_export")).status_code == 403
    assert client.get(reverse("web:household_print", args=[household.pk])).status_code == 403


def test_list_shows_masked_id_numbers_only(login, users, household):
    worker = household.members.get(relation="self")
    body = login(users["caseworker_g1"]).get(reverse("web:household_list")).content.decode()
    assert worker.name in body
    assert worker.id_number[:4] + "**********" + worker.id_number[-4:] in body
    assert worker.id_number not in body


def test_list_searches_by_id_number_and_htmx_gets_the_results_only(login, users, household, make_household):
    other = make_household("g2")
    number = other.members.get(relation="self").id_number
    response = login(users["reviewer_xuanwu"]).get(reverse("web:household_list"), {"q": number},
                                                    HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert 'data-testid="total">1<' in body
    assert reverse("web:household_detail", args=[other.pk]) in body


def test_list_with_a_bad_filter_value_filters_nothing(login, users, household):
    response = login(users["caseworker_g1"]).get(reverse("web:household_list"), {"status": "bogus", "page": "x"})
    assert response.status_code == 200
    assert 'data-testid="total">1<' in response.content.decode()


def test_list_query_count_does_not_grow_with_households(login, users, make_household, django_assert_max_num_queries):
    for _ in range(6):
        make_household("g1")
    client = login(users["caseworker_g1"])
    with django_assert_max_num_queries(7):
        response = client.get(reverse("web:household_list"), {"cause": "illness"})
    assert 'data-testid="total">6<' in response.content.decode()


def test_export_downloads_what_the_user_may_see_masked(login, users, household, make_household):
    make_household("g4")
    response = login(users["caseworker_g1"]).get(reverse("web:household_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == household.pk
    assert "**********" in rows[1][2]
    assert AuditEntry.objects.filter(action="household.export").exists()


def test_auditors_may_not_export(login, users, household):
    assert login(users["auditor_province"]).get(reverse("web:household_export")).status_code == 403


def test_file_shows_members_and_the_entitlements(login, users, verified):
    body = login(users["caseworker_g1"]).get(reverse("web:household_detail", args=[verified.pk])).content.decode()
    assert "张小明" in body
    assert "义务教育家庭经济困难学生生活补助" in body
    assert "第14条" in body and "1,250.00 元" in body
    assert "可向当地教育部门申请" in body  # where to apply (issue 9)
    assert "不符合条件的政策及原因" in body


def test_unverified_file_shows_a_preview_under_the_proposed_category(login, users, household):
    body = login(users["caseworker_g1"]).get(reverse("web:household_detail", args=[household.pk])).content.decode()
    assert "按申请类别" in body and "义务教育家庭经济困难学生生活补助" in body


def test_caseworker_of_another_county_gets_404_for_the_file(login, users, household):
    client = login(users["caseworker_g4"])
    assert client.get(reverse("web:household_detail", args=[household.pk])).status_code == 404
    assert client.get(reverse("web:household_print", args=[household.pk])).status_code == 404
    assert client.get(reverse("web:household_entitlements", args=[household.pk])).status_code == 404


def test_entitlements_panel_for_another_date(login, users, verified):
    client = login(users["caseworker_g1"])
    response = client.get(reverse("web:household_entitlements", args=[verified.pk]), {"as_of": "2018-06-01"})
    body = response.content.decode()
    assert "<html" not in body and "2018年6月1日" in body
    assert "义务教育家庭经济困难学生生活补助" not in body.split("不符合条件")[0]
    fallback = client.get(reverse("web:household_entitlements", args=[verified.pk]), {"as_of": "not-a-date"})
    assert fallback.status_code == 200


def test_print_view_has_signature_lines_and_masked_numbers(login, users, verified):
    worker = verified.members.get(relation="self")
    body = login(users["caseworker_g1"]).get(reverse("web:household_print", args=[verified.pk])).content.decode()
    assert "申请人(签字)" in body and "审核人(签字)" in body
    assert worker.id_number not in body


def test_pages_send_the_content_security_policy_and_no_inline_script(login, users, verified):
    response = login(users["caseworker_g1"]).get(reverse("web:household_detail", args=[verified.pk]))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    assert "<script>" not in body and " style=" not in body and "onclick" not in body


def test_entitlements_panel_refuses_an_as_of_outside_the_engines_dates(login, users, verified):
    client = login(users["caseworker_g1"])
    url = reverse("web:household_entitlements", args=[verified.pk])
    assert "测算日期应在" not in client.get(url, {"as_of": "2025-06-01"}).content.decode()
    for as_of in ("0001-01-01", "9999-12-31"):
        response = client.get(url, {"as_of": as_of})
        assert response.status_code == 200 and "测算日期应在2000-01-01至2100-12-31之间" in response.content.decode()


def test_list_clamps_a_huge_page_number_and_keeps_the_filters(login, users, household):
    client = login(users["caseworker_g1"])
    link = reverse("web:household_detail", args=[household.pk])
    assert link in client.get(reverse("web:household_list"), {"page": "1"}).content.decode()
    for page in ("1e20", str(10**20)):
        response = client.get(reverse("web:household_list"), {"page": page, "status": "exited"})
        assert response.status_code == 200, page
        assert 'data-testid="total">0<' in response.content.decode(), "the filter still applies"
    for page in ("-3", "abc"):
        response = client.get(reverse("web:household_list"), {"page": page})
        assert response.status_code == 200 and link in response.content.decode(), page
