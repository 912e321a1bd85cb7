"""The login backend reads the signed-in user with their organisation in one query; a user deactivated meanwhile is
signed out on their next request, as with Django's own backend."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_user_and_their_organisation_in_one_query(login, users):
    client = login(users["caseworker_g1"])
    client.get(reverse("web:alert_list"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("web:alert_list")).status_code == 200
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].split(" FROM ", 1)[-1].startswith('"accounts_')]
    assert len(reads) == 1 and '"accounts_organisation"' in reads[0], reads
    assert not any("django_session" in q["sql"] for q in captured.captured_queries)  # the session from the cache


def test_a_deactivated_user_is_signed_out(login, users):
    client = login(users["caseworker_g1"])
    users["caseworker_g1"].__class__.objects.filter(pk=users["caseworker_g1"].pk).update(is_active=False)
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))


def test_the_user_is_read_anew_on_each_request(login, users, orgs):
    """Nothing of the user is kept between requests: a change of role or organisation applies to the next one."""
    user = users["caseworker_g1"]
    client = login(user)
    assert client.get(reverse("web:home")).wsgi_request.user.organisation == orgs["g1"]
    user.__class__.objects.filter(pk=user.pk).update(role="auditor", organisation=orgs["g2"])
    seen = client.get(reverse("web:home")).wsgi_request.user
    assert (seen.role, seen.organisation.path) == ("auditor", orgs["g2"].path)


def test_a_password_changed_elsewhere_signs_the_other_sessions_out(login, users):
    """The session carries the hash of the password it was opened with (Django's session verification, run on the
    user the backend reads): a password changed through another session or app server ends this one."""
    user = users["caseworker_g1"]
    client = login(user)
    assert client.get(reverse("web:home")).status_code == 200
    changed = user.__class__.objects.get(pk=user.pk)
    changed.set_password("another-pw-for-tests-456")
    changed.save(update_fields=["password"])
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
