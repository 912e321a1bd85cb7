"""Writing audit rows. Called by every service inside its own transaction, so the row commits with the change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from bangfu.common import clock
from bangfu.common.bulk import blank_factory, fast_insert
from bangfu.common.context import current_request_info
from bangfu.common.ids import mask_id_numbers_in

from .models import AuditEntry


def _check_atomic() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit rows must be written inside the service's transaction")


def _who(actor) -> dict:
    """The acting person (None, or no user, is the system: a nightly scan) and the request's IP and user agent."""
    info = current_request_info()
    return {"actor_id": getattr(actor, "pk", None), "actor_name": getattr(actor, "username", "") or "system",
            "ip": info.ip, "user_agent": info.user_agent}


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
    _check_atomic()
    return AuditEntry.objects.create(**_who(actor), action=action, object_type=object_type,
                                     object_id=str(object_id or ""), area_path=area_path, before=before, after=after)


def audit_log_many(*, actor, action: str, object_type: str, rows: Iterable[dict]) -> int:
    """One row per item of `rows` (each with `object_id`, `area_path` and optionally `before`/`after`), all of one
    action by one actor at one moment, inserted in bulk (COPY on PostgreSQL): for imports and scans that touch
    thousands of objects. Must run inside the caller's atomic block; returns the number of rows."""
    _check_atomic()
    make, who, at = blank_factory(AuditEntry), _who(actor), clock.now()
    records = [make(**who, at=at, action=action, object_type=object_type, object_id=str(row["object_id"] or ""),
                    area_path=row["area_path"], before=row.get("before"), after=row.get("after")) for row in rows]
    if records:
        fast_insert(AuditEntry, records)
    return len(records)


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values changed, on each side."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def filters_for_audit(filters: dict) -> dict:
    """Filters of a list or export as an audit row keeps them: objects by code, ID numbers masked
    (auditors may not see full numbers, and a search by one must not hand it to them)."""
    return {k: mask_id_numbers_in(v) if isinstance(v, str) else getattr(v, "code", v)
            for k, v in filters.items() if v}
