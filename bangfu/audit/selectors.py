"""Reading the audit trail: auditors (and administrators) see the rows of their own area."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from bangfu.common.access import VIEW_AUDIT, require

from .models import AuditEntry

AUDIT_ORDER = ("-at", "-id")  # newest first: the order of every page of the trail (keyset pagination)


def audit_list(
    *,
    user,
    actor: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """The rows the user may read, newest first, filtered; `since`/`until` are inclusive days (Asia/Shanghai)."""
    require(user, VIEW_AUDIT, "只有审计人员和管理员可以查看审计日志")
    qs = AuditEntry.objects.restrict(user, VIEW_AUDIT)
    if actor:
        qs = qs.filter(actor_name=actor)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=str(object_id))
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by(*AUDIT_ORDER)
