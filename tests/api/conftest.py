"""API test helpers: a client logged in as a given user."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def client_for(users):
    def make(who) -> Client:
        client = Client()
        client.force_login(users[who] if isinstance(who, str) else who)
        return client

    return make
