"""Area-based access, as the apps import it: the roles × actions table and `restrict` live in
`bangfu.common.access`, below every app (the audit trail reads with them)."""

from bangfu.common.access import (
    ACTIONS,
    ADD,
    APPROVE,
    CHANGE,
    DELETE,
    EXPORT,
    FOUR_EYES,
    MANAGE_USERS,
    ROLE_ACTIONS,
    SEND_DEPARTMENT_DATA,
    SET_BUDGET,
    SET_STANDARD,
    VERIFY,
    VIEW,
    VIEW_AUDIT,
    VIEW_ID_NUMBER,
    AreaScope,
    RestrictedQuerySet,
    check_area,
    check_four_eyes,
    in_area,
    is_department_officer,
    may,
    require,
    roles_allowed,
)

__all__ = ["ACTIONS", "ADD", "APPROVE", "AreaScope", "CHANGE", "DELETE", "EXPORT", "FOUR_EYES", "MANAGE_USERS",
    "ROLE_ACTIONS",
    "RestrictedQuerySet", "SEND_DEPARTMENT_DATA", "SET_BUDGET", "SET_STANDARD", "VERIFY", "VIEW",
    "VIEW_AUDIT", "VIEW_ID_NUMBER", "check_area", "check_four_eyes", "in_area", "is_department_officer", "may", "require",
    "roles_allowed"]
