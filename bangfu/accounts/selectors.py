"""Reads of accounts: the organisations and users under the acting user's organisation."""

from __future__ import annotations

from django.db.models import QuerySet

from .access import MANAGE_USERS, require
from .models import Organisation, User


def organisation_list(*, user, level: str | None = None) -> QuerySet[Organisation]:
    """The user's organisation and everything under it (one prefix query on the materialised path)."""
    if user.organisation is None:
        return Organisation.objects.none()
    qs = Organisation.objects.filter(path__startswith=user.organisation.path)
    return qs.filter(level=level) if level else qs


def user_list(*, user) -> QuerySet[User]:
    require(user, MANAGE_USERS, "只有管理员可以查看用户")
    return (User.objects.select_related("organisation")
            .filter(organisation__path__startswith=user.organisation.path).order_by("username"))
