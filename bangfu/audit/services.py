"""Writing audit rows. Called by every service inside its own transaction, so the row commits with the change."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from bangfu.common.context import current_request_info
from bangfu.common.ids import mask_id_numbers_in

from .models import AuditEntry


def audit_log(
    *,
    actor,
    action: str,
    object_type: str,
    object_id: Any = "",
    area_path: str,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """One row, with the request's IP and user agent; must run inside the caller's atomic block."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_log must be called inside the service's transaction")
    info = current_request_info()
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "system",
        ip=info.ip,
        user_agent=info.user_agent,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        area_path=area_path,
        before=before,
        after=after,
    )


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values changed, on each side."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def filters_for_audit(filters: dict) -> dict:
    """Filters of a list or export as an audit row keeps them: objects by code, ID numbers masked
    (auditors may not see full numbers, and a search by one must not hand it to them)."""
    return {k: mask_id_numbers_in(v) if isinstance(v, str) else getattr(v, "code", v)
            for k, v in filters.items() if v}
