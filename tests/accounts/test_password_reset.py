"""An administrator resets a forgotten password in the web interface: within their area, audited, a temporary
password shown once, and the user must choose their own at the next login."""

from __future__ import annotations

import pytest
from django.test import Client

from bangfu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _reset(client, target) -> str:
    page = client.post(f"/users/{target.pk}/reset-password/")
    assert page.status_code == 200
    return page.context["temporary"]


def test_an_administrator_resets_a_password_and_the_user_must_change_it(users):
    admin, worker = users["admin_nanjing"], users["caseworker_g1"]
    client = Client()
    client.force_login(admin)
    assert "重置密码" in client.get("/users/").content.decode()
    temporary = _reset(client, worker)
    worker.refresh_from_db()
    assert worker.must_change_password and worker.check_password(temporary)
    entry = AuditEntry.objects.get(action="user.password_reset", object_id=str(worker.pk))
    assert entry.actor_id == admin.pk and temporary not in str(entry.after)

    person = Client()
    assert person.post("/accounts/login/", {"username": worker.username, "password": temporary}).status_code == 302
    page = person.get("/households/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/password_change/")
    assert person.get("/api/v1/accounts/me").status_code == 403
    assert "管理员已重置您的密码" in person.get("/accounts/password_change/").content.decode()
    changed = person.post("/accounts/password_change/", {"old_password": temporary,
                                                          "new_password1": "Bangfu-new-2026!",
                                                          "new_password2": "Bangfu-new-2026!"})
    assert changed.status_code == 302
    worker.refresh_from_db()
    assert not worker.must_change_password
    assert person.get("/households/").status_code == 200


@pytest.mark.parametrize(("actor", "target", "status"), [
    ("admin_nanjing", "caseworker_g4", 404),   # 无锡: outside the administrator's area
    ("reviewer_xuanwu", "caseworker_g1", 403),  # not an administrator
    ("caseworker_g1", "caseworker_g2", 403),
])
def test_only_administrators_of_the_area_may_reset(users, actor, target, status):
    client = Client()
    client.force_login(users[actor])
    assert client.post(f"/users/{users[target].pk}/reset-password/").status_code == status
    users[target].refresh_from_db()
    assert not users[target].must_change_password


def test_an_administrator_does_not_reset_their_own_password(users):
    from bangfu.accounts.services import user_password_reset
    from bangfu.common.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        user_password_reset(actor=users["admin_nanjing"], user=users["admin_nanjing"])
