"""Optimistic locking of every versioned object: an edit names the version it read; a stale one is refused (409)
with one payload, so that nobody silently saves over another's change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bangfu.common.errors import Conflict, ValidationFailed

from .models import AuditEntry

STALE = "该记录已被他人修改,请刷新后重试"
MISSING = "缺少版本号(version),请刷新页面后重试"


def lock_version(obj, version: int | None, *, snapshot: Callable[[Any], dict], trail: dict,
                 changes: Callable[[Any, int], list[dict]] | None = None, message: str = STALE,
                 update_caller: bool = True):
    """Re-read `obj`'s row under a lock, so that concurrent writers queue up (the caller's instance becomes the
    stored row and is returned, or with `update_caller=False` the stored row is returned apart), and refuse a missing version (422) or a stale one (409, `conflict_payload`). `snapshot` gives the
    object's stored values; `trail` the audit rows about it (`object_type`, `object_id`, …) that say who changed it;
    `changes(obj, version)` what others did since `version`, where the object keeps its own history."""
    if version is None or isinstance(version, bool):
        raise ValidationFailed(MISSING, field="version")
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    if version != locked.version:
        raise Conflict(message, field="version", extra=conflict_payload(locked, version, snapshot=snapshot,
                                                                         trail=trail, changes=changes))
    if not update_caller:
        return locked
    for f in type(obj)._meta.concrete_fields:
        setattr(obj, f.attname, getattr(locked, f.attname))
    return obj


def conflict_payload(obj, version: int, *, snapshot, trail: dict, changes=None) -> dict:
    """The one shape of a refused stale edit: your version, the current one, what was changed since and by whom,
    and the values stored now."""
    since = changes(obj, version) if changes is not None else _audited_changes(trail, obj.version - version)
    last = since[-1] if since else {}
    return {"your_version": version, "version": obj.version, "changes": since, "changed_by": last.get("actor", ""),
            "changed_at": last.get("at", ""), "current": snapshot(obj)}


def _audited_changes(trail: dict, count: int) -> list[dict]:
    """The last `count` audit rows about the object (each edit bumps its version once), oldest first."""
    rows = AuditEntry.objects.filter(**{k: str(v) if k == "object_id" else v for k, v in trail.items()})
    rows = rows.order_by("-at", "-id")[:max(count, 1)]
    return [{"at": r.at.isoformat(), "actor": r.actor_name, "action": r.action, "before": r.before or {},
             "after": r.after or {}} for r in reversed(rows)]
