"""Area-based access: what each role may do (roles × actions) and the restricted querysets every read starts from.

It sits below every app (the audit trail's reads need it as much as the accounts' writes); the apps import it as
`bangfu.accounts.access`."""

from __future__ import annotations

from django.db import models

from bangfu.common.errors import AccessDenied, NotFound

from .roles import Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
VIEW_ID_NUMBER, EXPORT, VIEW_AUDIT, MANAGE_USERS = "view_id_number", "export", "view_audit", "manage_users"
VERIFY = "verify"  # 核定: set the verified category and take the household into the archive
APPROVE = "approve"  # 审批 of a case's or the ledger's approval moves (four eyes; the approver's level, cases/approvals)
SET_BUDGET, SET_STANDARD = "set_budget", "set_standard"
SEND_DEPARTMENT_DATA = "send_department_data"  # a department's data officer sends its file for matching
ACTIONS = (VIEW, ADD, CHANGE, DELETE, VIEW_ID_NUMBER, EXPORT, VIEW_AUDIT, MANAGE_USERS, VERIFY, APPROVE, SET_BUDGET,
           SET_STANDARD, SEND_DEPARTMENT_DATA)

# Department data officers see no households: their work is their department's files.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.CASEWORKER: frozenset({VIEW, ADD, CHANGE, DELETE, VIEW_ID_NUMBER, EXPORT}),
    Role.REVIEWER: frozenset({VIEW, CHANGE, VIEW_ID_NUMBER, EXPORT, VERIFY, APPROVE}),
    Role.ADMIN: frozenset({VIEW, ADD, CHANGE, DELETE, VIEW_ID_NUMBER, EXPORT, VIEW_AUDIT, MANAGE_USERS, VERIFY,
                           SET_BUDGET, SET_STANDARD}),
    Role.AUDITOR: frozenset({VIEW, VIEW_AUDIT}),
    Role.DEPARTMENT_OFFICER: frozenset({SEND_DEPARTMENT_DATA}),
}


class AreaScope:
    """Reading as an area, not as a person: whatever lies under `organisation`, for viewing only. Figures stored for
    a union and shown to everyone who may see it (`reports.snapshots`) are computed so, never under the restrictions
    of whichever user happened to trigger them; each viewer's own access to the area is checked before reading."""

    is_authenticated = True
    is_active = True
    role = None
    pk = None

    def __init__(self, organisation):
        self.organisation = organisation
        self.organisation_id = organisation.pk

    def __repr__(self) -> str:
        return f"AreaScope({self.organisation.path!r})"


def may(user, action: str) -> bool:
    """Whether the user's role allows `action` at all (where is `restrict`'s business)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.organisation_id is None:
        return False
    if isinstance(user, AreaScope):
        return action == VIEW
    return action in ROLE_ACTIONS.get(user.role, frozenset())


def roles_allowed(action: str) -> frozenset[str]:
    """The roles whose table row allows `action` (for a query of who could do it)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    return frozenset(role for role, actions in ROLE_ACTIONS.items() if action in actions)


def require(user, action: str, message: str = "您没有执行此操作的权限") -> None:
    if not may(user, action):
        raise AccessDenied(message)


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows which field holds an organisation path (`area_path_field` on the model)."""

    def restrict(self, user, action: str = VIEW):
        """Only the rows `user` may `action`: none when the role forbids it, else those under their organisation."""
        if not may(user, action) or not user.organisation.path:  # no path, no area: fail closed
            return self.none()
        field = self.model.area_path_field
        return self.filter(**{f"{field}__startswith": user.organisation.path})


def in_area(user, path: str) -> bool:
    return user.organisation is not None and bool(user.organisation.path) and path.startswith(user.organisation.path)


def check_area(user, path: str, action: str, missing: str = "未找到该记录") -> None:
    """An object under `path`: outside the user's area (or to a role that sees nothing) it does not exist for them
    (NotFound, `missing`); inside, the role must allow `action` (AccessDenied)."""
    if not may(user, VIEW) or not in_area(user, path):
        raise NotFound(missing)
    if not may(user, action):
        raise AccessDenied("您没有执行此操作的权限")


FOUR_EYES = "双人审核:提交或发起该事项的人员不能审批"


def check_four_eyes(actor, proposers: set) -> None:
    """Four eyes: whoever proposed a thing (a case's move, a payment, a standard) may not approve it."""
    if actor.pk in proposers:
        raise AccessDenied(FOUR_EYES)


def is_department_officer(user) -> bool:
    """A department's data officer (with the department named): their work is its files, not households."""
    return may(user, SEND_DEPARTMENT_DATA) and bool(user.department)
