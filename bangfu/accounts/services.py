"""Use cases of accounts: administrators create and deactivate users; users create and revoke API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from bangfu.audit.services import audit_log
from bangfu.common import clock
from bangfu.common.bounds import text_within
from bangfu.common.errors import AccessDenied, ValidationFailed

from .access import MANAGE_USERS, ROLE_ACTIONS, SEND_DEPARTMENT_DATA, in_area, require
from .models import ApiToken, Department, Organisation, OrgLevel, Role, User

# Which levels of union each role belongs to (caseworkers at grassroots, reviewers at county, …).
ROLE_LEVELS = {
    Role.CASEWORKER: {OrgLevel.GRASSROOTS, OrgLevel.COUNTY},
    Role.REVIEWER: {OrgLevel.COUNTY},
    Role.ADMIN: {OrgLevel.CITY, OrgLevel.PROVINCE},
    Role.AUDITOR: {OrgLevel.PROVINCE, OrgLevel.CITY, OrgLevel.COUNTY},
    Role.DEPARTMENT_OFFICER: {OrgLevel.PROVINCE, OrgLevel.CITY, OrgLevel.COUNTY},
}


def _user_data(user: User) -> dict:
    return {"username": user.username, "name": user.get_full_name(), "role": user.role,
            "organisation": user.organisation_id, "department": user.department, "is_active": user.is_active}


def _check_role(role: str, organisation: Organisation, department: str) -> None:
    if role not in Role.values:
        raise ValidationFailed(f"角色无效:{role}", field="role")
    if organisation.level not in ROLE_LEVELS[role]:
        raise ValidationFailed(f"{Role(role).label}不能设在{organisation.get_level_display()}", field="role")
    if (SEND_DEPARTMENT_DATA in ROLE_ACTIONS[role]) != bool(department):  # the role that sends a department's files
        raise ValidationFailed("部门数据专员必须且只有其可以指定部门", field="department")
    if department and department not in Department.values:
        raise ValidationFailed(f"部门无效:{department}", field="department")


@transaction.atomic
def user_create(
    *, actor: User | None, username: str, password: str, organisation: Organisation, role: str,
    full_name: str = "", department: str = "", check_password: bool = True,
) -> User:
    """A new user in the actor's area; `actor=None` is the system (the demo and the first administrator)."""
    if actor is not None:
        require(actor, MANAGE_USERS, "只有管理员可以创建用户")
        if not in_area(actor, organisation.path):
            raise AccessDenied("只能在本单位及下级单位创建用户")
    _check_role(role, organisation, department)
    username = text_within(User, "username", username, plain=True)
    if not username:
        raise ValidationFailed("用户名不能为空", field="username")
    text_within(User, "first_name", full_name[1:], field="full_name", plain=True)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(f"用户名已存在:{username}", field="username")
    user = User(username=username, organisation=organisation, role=role, department=department,
                last_name=full_name[:1], first_name=full_name[1:])
    if check_password:
        try:
            validate_password(password, user)
        except DjangoValidationError as exc:
            raise ValidationFailed(";".join(exc.messages), field="password") from exc
    user.set_password(password)
    user.save()
    audit_log(actor=actor, action="user.create", object_type="user", object_id=user.pk,
              area_path=organisation.path, after=_user_data(user))
    return user


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """The user can no longer log in; their tokens are revoked. Users are never deleted (the audit names them)."""
    require(actor, MANAGE_USERS, "只有管理员可以停用用户")
    if user.organisation is None or not in_area(actor, user.organisation.path):
        raise AccessDenied("只能停用本单位及下级单位的用户")
    if user.pk == actor.pk:
        raise ValidationFailed("不能停用自己的账号")
    before = _user_data(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.api_tokens.update(revoked=True)
    audit_log(actor=actor, action="user.deactivate", object_type="user", object_id=user.pk,
              area_path=user.organisation.path, before=before, after=_user_data(user))
    return user


# A temporary password read out or written down: no 0/O, 1/l/I to mistake.
_READABLE = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@transaction.atomic
def user_password_reset(*, actor: User, user: User) -> str:
    """An administrator resets a user's forgotten password (within their area): a temporary password is returned
    once, never stored or audited; the user must choose their own at the next login. Their sessions end."""
    require(actor, MANAGE_USERS, "只有管理员可以重置密码")
    if user.organisation is None or not in_area(actor, user.organisation.path):
        raise AccessDenied("只能重置本单位及下级单位用户的密码")
    if user.pk == actor.pk:
        raise ValidationFailed("不能重置自己的密码,请使用「修改密码」")
    if not user.is_active:
        raise ValidationFailed("该用户已停用")
    temporary = "".join(secrets.choice(_READABLE) for _ in range(12))
    user.set_password(temporary)  # a new hash: the user's open sessions are no longer valid
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit_log(actor=actor, action="user.password_reset", object_type="user", object_id=user.pk,
              area_path=user.organisation.path, after={"username": user.username, "must_change_password": True})
    return temporary


def user_password_changed(*, user: User) -> None:
    """The user chose their own password: no longer bound to change it."""
    if user.must_change_password:
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A token for the actor; the raw token is returned once and never stored."""
    if not actor.is_active or actor.organisation is None:
        raise AccessDenied("账号无效")
    name = text_within(ApiToken, "name", name, plain=True) or "API"
    raw = "bf_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name, prefix=raw[:8], key_hash=hash_token(raw))
    audit_log(actor=actor, action="token.create", object_type="api_token", object_id=token.pk,
              area_path=actor.organisation.path, after={"name": token.name, "prefix": token.prefix})
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise AccessDenied("只能吊销自己的令牌")
    token.revoked = True
    token.save(update_fields=["revoked"])
    audit_log(actor=actor, action="token.revoke", object_type="api_token", object_id=token.pk,
              area_path=actor.organisation.path, after={"revoked": True})


def token_authenticate(raw: str) -> User | None:
    """The active user owning this unrevoked, unexpired token, or None."""
    token = (ApiToken.objects.select_related("user__organisation")
             .filter(key_hash=hash_token(raw), revoked=False, user__is_active=True).first())
    if token is None or (token.expires_at and token.expires_at <= clock.now()):
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=clock.now())
    return token.user
