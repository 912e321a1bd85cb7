"""Passwords hash with the server's Argon2 profile; a hash with Django's heavier default is upgraded at login."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher

from bangfu.accounts.hashers import ServerArgon2PasswordHasher
from bangfu.config.settings import base

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-123"


@pytest.fixture
def server_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    return settings


def test_the_server_profile_is_preferred_and_lighter_than_djangos() -> None:
    assert base.PASSWORD_HASHERS[0] == "bangfu.accounts.hashers.ServerArgon2PasswordHasher"
    ours, django = ServerArgon2PasswordHasher(), Argon2PasswordHasher()
    assert ours.algorithm == django.algorithm == "argon2"
    assert ours.memory_cost < django.memory_cost and ours.parallelism < django.parallelism


def test_a_hash_with_the_old_parameters_is_upgraded_at_the_next_login(server_hashers, client, users) -> None:
    user = users["caseworker_g1"]
    old = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.password = old
    user.save(update_fields=["password"])
    assert "m=102400,t=2,p=8" in old

    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password != old
    assert "m=19456,t=2,p=1" in user.password
    assert isinstance(identify_hasher(user.password), ServerArgon2PasswordHasher)
    assert not ServerArgon2PasswordHasher().must_update(user.password)


def test_a_current_hash_is_left_alone_at_login(server_hashers, client, users) -> None:
    user = users["caseworker_g1"]
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    current = user.password

    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302

    user.refresh_from_db()
    assert user.password == current


def test_a_wrong_password_does_not_rewrite_an_old_hash(server_hashers, client, users) -> None:
    user = users["caseworker_g1"]
    old = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.password = old
    user.save(update_fields=["password"])

    assert client.post("/accounts/login/", {"username": user.username, "password": "wrong-one"}).status_code == 200

    user.refresh_from_db()
    assert user.password == old
