"""Changing one's own password: linked from the menu for every role, in the site's layout, audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
NEW = "a-new-Passw0rd-2026"


@pytest.mark.parametrize("who", ["caseworker_g1", "reviewer_xuanwu", "admin_province", "auditor_province", "officer"])
def test_the_menu_links_to_the_password_change_for_every_role(login, users, who):
    body = login(users[who]).get(reverse("web:home")).content.decode()
    assert f'href="{reverse("password_change")}"' in body and ">修改密码</a>" in body


def test_the_page_is_in_the_sites_layout_not_the_admins(login, users):
    response = login(users["officer"]).get(reverse("password_change"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Django" not in body and "城市困难职工帮扶系统" in body and 'aria-label="主菜单"' in body
    assert "原密码" in body and "再次输入新密码" in body and 'class="form-control"' in body
    assert " style=" not in body


def test_a_password_change_works_is_audited_and_ends_on_a_chinese_page(login, users):
    user = users["caseworker_g1"]
    response = login(user).post(reverse("password_change"), {
        "old_password": "pw-for-tests-123", "new_password1": NEW, "new_password2": NEW}, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "密码已修改" in body and "Django" not in body and 'aria-label="主菜单"' in body  # still logged in
    user.refresh_from_db()
    assert user.check_password(NEW)
    entry = AuditEntry.objects.get(action="user.password_change")
    assert entry.actor == user and entry.object_id == str(user.pk) and NEW not in str(entry.after)
    audit = login(users["auditor_province"]).get(reverse("web:audit_log")).content.decode()
    assert "修改本人密码" in audit


def test_a_wrong_old_password_or_a_mismatch_is_refused_in_chinese(login, users):
    client = login(users["caseworker_g1"])
    wrong = client.post(reverse("password_change"), {
        "old_password": "wrong", "new_password1": NEW, "new_password2": NEW}).content.decode()
    assert "原密码不正确" in wrong
    mismatch = client.post(reverse("password_change"), {
        "old_password": "pw-for-tests-123", "new_password1": NEW, "new_password2": NEW + "x"}).content.decode()
    assert "两次输入的新密码不一致" in mismatch
    assert not AuditEntry.objects.filter(action="user.password_change").exists()


def test_the_pages_need_a_login(client):
    for name in ("password_change", "password_change_done"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
