"""Only the audited password change of Django's auth views is mounted; searches leave no full ID in the audit."""

import pytest

from bangfu.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_changing_ones_password_is_audited(client, users) -> None:
    user = users["caseworker_g1"]
    client.force_login(user)
    response = client.post("/accounts/password_change/", {
        "old_password": "pw-for-tests-123", "new_password1": "a-new-Passw0rd-2026",
        "new_password2": "a-new-Passw0rd-2026"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="user.password_change")
    assert entry.object_id == str(user.pk) and entry.actor == user
    assert "password" not in str(entry.after).lower()


def test_a_wrong_old_password_changes_nothing(client, users) -> None:
    client.force_login(users["caseworker_g1"])
    response = client.post("/accounts/password_change/", {
        "old_password": "wrong", "new_password1": "a-new-Passw0rd-2026", "new_password2": "a-new-Passw0rd-2026"})
    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="user.password_change").exists()


@pytest.mark.parametrize("path", ["/accounts/password_reset/", "/accounts/reset/x/y/"])
def test_no_email_reset_is_exposed(client, path) -> None:
    assert client.get(path).status_code == 404


def test_an_export_searched_by_id_number_keeps_it_masked_in_the_audit(client, users, make_household) -> None:
    household = make_household()
    number = household.members.first().id_number
    client.force_login(users["caseworker_g1"])
    assert client.get("/api/v1/households/export.xlsx", {"q": number}).status_code == 200
    entry = AuditEntry.objects.filter(action__contains="export").latest("pk")
    assert number not in str(entry.after)
    assert entry.after["filters"]["q"] == number[:4] + "*" * 10 + number[-4:]
