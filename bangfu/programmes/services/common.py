"""Helpers of the programme services: access to a programme and a round, locks, periods, audit."""

from __future__ import annotations

import datetime

from bangfu.accounts.access import CHANGE, VIEW, in_area, may
from bangfu.audit.services import audit_log
from bangfu.common.errors import AccessDenied, Conflict, NotFound

from ..models import PeriodKind, PrepareJob, Programme, Round

BUSY = (PrepareJob.QUEUED, PrepareJob.RUNNING)


def audit(actor, action: str, obj, path: str, after: dict, before: dict | None = None,
          object_type: str = "round") -> None:
    audit_log(actor=actor, action=action, object_type=object_type, object_id=obj.pk, area_path=path,
              before=before, after=after)


def visible_programme(actor, programme: Programme) -> bool:
    """A programme is seen in its union's subtree and by the unions under it (who may run it for their area)."""
    if not may(actor, VIEW) or not actor.organisation or not actor.organisation.path:
        return False
    return in_area(actor, programme.union.path) or actor.organisation.path.startswith(programme.union.path)


def check_round(actor, round_: Round, action: str = CHANGE) -> None:
    """Outside the area the round does not exist for the actor; inside, the role must allow the action."""
    if not may(actor, VIEW) or not in_area(actor, round_.union.path):
        raise NotFound("未找到该发放批次")
    if not may(actor, action):
        raise AccessDenied("您没有执行此操作的权限")


def lock_round(round_: Round, version: int | None = None, states: tuple = ()) -> Round:
    """The round locked, refused when stale, in another state, or while its list is being prepared."""
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if locked.job_state in BUSY:
        raise Conflict(f"该批次的发放名单{locked.get_job_state_display()}(已处理{locked.job_processed}/"
                       f"{locked.job_total}),请稍后再办理", field="state")
    if version is not None and version != locked.version:
        raise Conflict("该批次已被他人修改,请刷新后重试", field="version", extra={"version": locked.version})
    if states and locked.state not in states:
        raise Conflict(f"该批次{locked.get_state_display()},不能办理此操作", field="state")
    for f in Round._meta.concrete_fields:
        setattr(round_, f.attname, getattr(locked, f.attname))
    return round_


def period_of(kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date, str]:
    """The period (first day, last day, key) of `kind` that contains `day`: 2026, 2026Q1, 2026-01."""
    if kind == PeriodKind.MONTH:
        start = day.replace(day=1)
        end = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
        return start, end, f"{day:%Y-%m}"
    if kind == PeriodKind.QUARTER:
        q = (day.month - 1) // 3
        start = datetime.date(day.year, 3 * q + 1, 1)
        end = (datetime.date(day.year + (q == 3), (3 * q + 3) % 12 + 1, 1) - datetime.timedelta(days=1))
        return start, end, f"{day.year}Q{q + 1}"
    return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31), f"{day.year}"
