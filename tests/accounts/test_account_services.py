"""Accounts services: the hierarchy from real division data, users by administrators, hashed API tokens."""

from __future__ import annotations

import datetime

import pytest

from bangfu.accounts.models import ApiToken, Organisation
from bangfu.accounts.organisations import grassroots_create, organisations_sync
from bangfu.accounts.services import (
    token_authenticate,
    token_create,
    token_revoke,
    user_create,
    user_deactivate,
)
from bangfu.audit.models import AuditEntry
from bangfu.common.errors import AccessDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def test_organisations_sync_builds_the_real_hierarchy_and_is_idempotent():
    day = datetime.date(2025, 1, 1)
    count = organisations_sync(on=day)
    assert organisations_sync(on=day) == count == Organisation.objects.count()
    assert Organisation.objects.filter(level="city").count() == 13
    xuanwu = Organisation.objects.get(code="320102")
    assert xuanwu.name == "南京市玄武区总工会" and xuanwu.path == "320000/320100/320102/"
    assert Organisation.objects.get(code="320281").name == "江阴市总工会"
    assert not Organisation.objects.filter(code="320101").exists(), "no 市辖区 placeholder"
    assert Organisation.objects.filter(path__startswith="320000/320100/").count() == 1 + Organisation.objects.filter(
        level="county", division_code__startswith="3201").count()


def test_grassroots_create_numbers_unions_under_their_county(orgs):
    union = grassroots_create(county=orgs["xuanwu"], name="玄武某社区工会", kind="community")
    assert union.code == "320102-0003" and union.path == "320000/320100/320102/320102-0003/"
    with pytest.raises(ValidationFailed):
        grassroots_create(county=orgs["nanjing"], name="x", kind="community")
    with pytest.raises(ValidationFailed):
        grassroots_create(county=orgs["xuanwu"], name="x", kind="club")


def test_admins_create_users_in_their_area_with_a_role_fitting_the_level(users, orgs):
    admin = users["admin_nanjing"]
    user = user_create(actor=admin, username="new_cw", password="a-Long-pass-2019!", organisation=orgs["g3"],
                       role="caseworker", full_name="赵六")
    assert user.check_password("a-Long-pass-2019!") and user.organisation == orgs["g3"]
    assert AuditEntry.objects.filter(action="user.create", object_id=str(user.pk)).exists()
    with pytest.raises(AccessDenied):
        user_create(actor=admin, username="x1", password="a-Long-pass-2019!", organisation=orgs["g4"],
                    role="caseworker")
    with pytest.raises(AccessDenied):
        user_create(actor=users["caseworker_g1"], username="x2", password="a-Long-pass-2019!",
                    organisation=orgs["g1"], role="caseworker")
    with pytest.raises(ValidationFailed, match="审核人"):
        user_create(actor=admin, username="x3", password="a-Long-pass-2019!", organisation=orgs["g3"],
                    role="reviewer")
    with pytest.raises(ValidationFailed, match="部门"):
        user_create(actor=admin, username="x4", password="a-Long-pass-2019!", organisation=orgs["nanjing"],
                    role="department_officer")
    with pytest.raises(ValidationFailed, match="password|密码"):
        user_create(actor=admin, username="x5", password="123", organisation=orgs["g3"], role="caseworker")
    with pytest.raises(ValidationFailed, match="已存在"):
        user_create(actor=admin, username="NEW_CW", password="a-Long-pass-2019!", organisation=orgs["g3"],
                    role="caseworker")


def test_argon2_hashes_passwords_in_production_settings():
    from django.conf import settings

    from bangfu.config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.AUTH_USER_MODEL == "accounts.User"


def test_deactivation_blocks_login_and_revokes_tokens(users):
    target = users["caseworker_g1"]
    _, raw = token_create(actor=target, name="脚本")
    assert token_authenticate(raw) == target
    with pytest.raises(AccessDenied):
        user_deactivate(actor=users["admin_nanjing"], user=users["caseworker_g4"])
    user_deactivate(actor=users["admin_nanjing"], user=target)
    target.refresh_from_db()
    assert not target.is_active and token_authenticate(raw) is None
    with pytest.raises(ValidationFailed):
        user_deactivate(actor=users["admin_nanjing"], user=users["admin_nanjing"])


def test_tokens_are_stored_hashed_and_can_be_revoked(users):
    user = users["reviewer_xuanwu"]
    token, raw = token_create(actor=user, name="对接")
    assert raw not in token.key_hash and len(token.key_hash) == 64 and raw.startswith(token.prefix)
    assert token_authenticate(raw) == user and token_authenticate(raw + "x") is None
    assert ApiToken.objects.get().last_used_at is not None
    with pytest.raises(AccessDenied):
        token_revoke(actor=users["caseworker_g1"], token=token)
    token_revoke(actor=user, token=token)
    assert token_authenticate(raw) is None


def test_names_longer_than_their_columns_are_refused_naming_the_field(users, orgs):
    token, _ = token_create(actor=users["caseworker_g1"], name="令" * 100)
    assert token.name == "令" * 100
    with pytest.raises(ValidationFailed) as caught:
        token_create(actor=users["caseworker_g1"], name="令" * 101)
    assert caught.value.field == "name"
    admin = users["admin_nanjing"]
    args = {"password": "a-Long-pass-2019!", "organisation": orgs["g3"], "role": "caseworker"}
    assert user_create(actor=admin, username="u" * 150, **args).username == "u" * 150
    for field, extra in (("username", {"username": "w" * 151}), ("full_name", {"username": "w", "full_name": "张" * 152})):
        with pytest.raises(ValidationFailed) as caught:
            user_create(actor=admin, **args, **extra)
        assert caught.value.field == field
