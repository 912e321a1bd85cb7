"""Helpers of the case services: access and four-eyes checks, optimistic versions, the event log and audit."""

from __future__ import annotations

import datetime

from django.utils import timezone

from bangfu.accounts.access import CHANGE, VERIFY, VIEW, in_area, may
from bangfu.accounts.models import OrgLevel, Role
from bangfu.audit.services import audit_log
from bangfu.common.errors import AccessDenied, Conflict, NotFound, ValidationFailed

from ..models import Case, CaseEvent
from ..workflow import TRANSITIONS, check_move
from .household_state import household_follow_case

# The union level whose 审核人 approve (Article 2: "县级以上总工会"; issue 4: the county union's reviewer).
APPROVER_LEVELS = frozenset({OrgLevel.COUNTY})


def today() -> datetime.date:
    return timezone.localdate()


def check_area(actor, path: str, action: str, missing: str = "未找到该帮扶档案") -> None:
    """Outside the area it does not exist for the actor; inside, the role must allow the action."""
    if not may(actor, VIEW) or not in_area(actor, path):
        raise NotFound(missing)
    if not may(actor, action):
        raise AccessDenied("您没有执行此操作的权限")


def check_approver(actor, path: str) -> None:
    """Approvals belong to a county union's 审核人 over that area."""
    check_area(actor, path, VIEW)
    if not may(actor, VERIFY) or actor.role != Role.REVIEWER or actor.organisation.level not in APPROVER_LEVELS:
        raise AccessDenied("审批须由县(市、区)总工会的审核人办理")


def check_four_eyes(actor, proposers: set) -> None:
    if actor.pk in proposers:
        raise AccessDenied("双人审核:提交或发起该事项的人员不能审批")


def changes_since(case: Case, version: int) -> list[dict]:
    """What others did since `version`: shown with a refused stale save, so nothing is silently lost."""
    events = case.events.filter(version__gt=version).select_related("actor").order_by("id")
    return [{"at": e.at.isoformat(), "actor": str(e.actor) if e.actor else "", "action": e.action,
             "from_state": e.from_state, "to_state": e.to_state, "reason": e.reason, "data": e.data,
             "version": e.version} for e in events]


def lock_case(case: Case, version: int) -> Case:
    """Re-read under a lock; refuse a stale version (409) with the changes made since."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if version != locked.version:
        raise Conflict("该档案已被他人修改,请刷新后重试", field="version",
                       extra={"version": locked.version, "changes": changes_since(locked, version)})
    for f in Case._meta.concrete_fields:
        setattr(case, f.attname, getattr(locked, f.attname))
    return case


def proposer_ids(case: Case) -> set:
    """Who proposed what is being approved: the submitter, and whoever moved the case into its state."""
    last = case.events.exclude(to_state="").order_by("-id").values_list("actor_id", flat=True).first()
    return {case.submitted_by_id, last} - {None}


def begin(*, actor, case: Case, version: int, name: str) -> Case:
    """Check access, lock, check the version and the state, and the four eyes for an approval."""
    move = TRANSITIONS[name]
    path = case.household.union.path
    if move.approval:
        check_approver(actor, path)
    else:
        check_area(actor, path, CHANGE)
    case = lock_case(case, version)
    check_move(case.state, name)
    if move.approval:
        check_four_eyes(actor, proposer_ids(case))
    return case


def finish(*, actor, case: Case, name: str, reason: str = "", data: dict | None = None,
           category: str | None = None) -> Case:
    """Apply the move's target state, bump the version, write the event and the audit row, move the household."""
    move = TRANSITIONS[name]
    before = case.state
    if move.target is not None:
        case.state = move.target
    case.version += 1
    case.save()
    log_event(actor=actor, case=case, action=name, from_state=before,
              to_state=case.state if move.target else "", reason=reason, data=data or {})
    if move.target is not None:
        household_follow_case(actor=actor, case=case, category=category)
    return case


def log_event(*, actor, case: Case, action: str, from_state: str = "", to_state: str = "", reason: str = "",
              data: dict | None = None) -> CaseEvent:
    event = CaseEvent.objects.create(case=case, actor=actor, action=action, from_state=from_state,
                                     to_state=to_state, reason=reason, data=data or {}, version=case.version)
    audit_log(actor=actor, action=f"case.{action}", object_type="case", object_id=case.pk,
              area_path=case.household.union.path,
              before={"state": from_state, "version": case.version - 1} if from_state else None,
              after={"state": case.state, "version": case.version, "reason": reason, **(data or {})})
    return event


def required_reason(reason: str, what: str = "原因") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(f"须填写{what}", field="reason")
    return reason
