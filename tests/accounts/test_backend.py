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
