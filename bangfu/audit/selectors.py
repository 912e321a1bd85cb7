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


# Rows that record a reading, not a change (a file taken out, a number revealed): they move no figure.
READ_ACTIONS = frozenset({
    "household.export", "member.view_id_number", "document.download", "case.print_leaflet", "ledger.export",
    "round.export", "payee.reveal_account", "exchange.result_download", "population.export",
})


def last_change(*, area_path: str, ancestors: list[str]) -> int:
    """The id of the newest audit row of a change in the subtree at `area_path` or at one of its `ancestors` (a
    standard set for the province moves a city's figures): every change writes one, so a summary computed after
    it is still current while this stays the same. 0 before any."""
    from django.db.models import Max, Q

    found = (AuditEntry.objects.filter(Q(area_path__startswith=area_path) | Q(area_path__in=ancestors))
             .exclude(action__in=READ_ACTIONS).aggregate(last=Max("id"))["last"])
    return found or 0
