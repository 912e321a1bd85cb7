"""Helpers of the programme services: access to a programme and a round, locks, periods, audit."""

from __future__ import annotations

import datetime

from bangfu.accounts.access import CHANGE, VIEW, in_area, may
from bangfu.audit.locking import lock_version
from bangfu.audit.services import audit_log
from bangfu.common.errors import AccessDenied, Conflict, NotFound

from ..models import Line, PeriodKind, PrepareJob, Programme, Round

BUSY = (PrepareJob.QUEUED, PrepareJob.RUNNING)
STALE_ROUND = "该批次已被他人修改,请刷新后重试"
STALE_LINE = "该明细已被他人修改,请刷新后重试"


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


def round_snapshot(round_: Round) -> dict:
    """A round's stored values, as a refused stale step shows them (`current`)."""
    return {"state": round_.state, "title": round_.title, "paid_on": round_.paid_on.isoformat(),
            "approver_union": round_.approver_union_id, "decision_reason": round_.decision_reason}


def line_snapshot(line: Line) -> dict:
    return {"included": line.included, "amount": str(line.amount) if line.amount is not None else None,
            "state": line.state, "exclusion": line.exclusion, "adjust_reason": line.adjust_reason}


def lock_round(round_: Round, version: int | None, states: tuple = (), *, versioned: bool = True) -> Round:
    """The round locked (the caller's instance refreshed), refused when stale (`lock_version`: 409 with the
    standard conflict payload, 422 without a version), while its list is being prepared, or in another state.
    `versioned=False`: a step that names no version of the round (a line's adjustment, a bank file's return)."""
    if versioned:
        locked = lock_version(round_, version, snapshot=round_snapshot, message=STALE_ROUND, update_caller=False,
                              trail={"object_type": "round", "object_id": round_.pk})
    else:
        locked = Round.objects.select_for_update().get(pk=round_.pk)
    if locked.job_state in BUSY:
        raise Conflict(f"该批次的发放名单{locked.get_job_state_display()}(已处理{locked.job_processed}/"
                       f"{locked.job_total}),请稍后再办理", field="state")
    if states and locked.state not in states:
        raise Conflict(f"该批次{locked.get_state_display()},不能办理此操作", field="state")
    for f in Round._meta.concrete_fields:
        setattr(round_, f.attname, getattr(locked, f.attname))
    return round_


def lock_line(line: Line, version: int | None) -> Line:
    """The line locked and returned apart, refused when stale (`lock_version`); what others did since comes from
    its adjustments' audit rows."""
    return lock_version(line, version, snapshot=line_snapshot, message=STALE_LINE, update_caller=False,
                        trail={"object_type": "round", "object_id": line.round_id, "action": "round.line_adjust",
                               "after__line": line.pk})


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
