"""Helpers of the case services: optimistic versions, the event log and audit; the access and four-eyes checks
of `..approvals`, re-exported."""

from __future__ import annotations

from collections.abc import Callable

from bangfu.accounts.access import CHANGE, check_area, check_four_eyes
from bangfu.audit.locking import conflict_payload, lock_version
from bangfu.audit.services import audit_log
from bangfu.common.errors import Conflict, ValidationFailed

from ..approvals import APPROVER_LEVELS, check_approver, proposer_ids
from ..models import Case, CaseEvent
from ..selectors import case_changes as changes_since
from ..workflow import TRANSITIONS, check_move
from .household_state import household_follow_case

# Re-exported: the ledger and the web's start page use the same checks.
__all__ = ["APPROVER_LEVELS", "archive_check_register", "archive_checks", "begin", "changes_since", "check_approver", "check_area", "check_four_eyes", "finish",
           "lock_case", "log_event", "proposer_ids", "required_reason", "stale_case"]


STALE_CASE = "该档案已被他人修改,请刷新后重试"
# What an archive must pass beyond the workflow, registered by the app that holds the facts when it is ready (the
# exchange: open disagreements with other departments' data refuse it unless overridden, Article 26). Each is
# called with actor, household and override_reason inside the archive's transaction.
ARCHIVE_CHECKS: list[Callable[..., object]] = []


def archive_check_register(check: Callable[..., object]) -> None:
    if check not in ARCHIVE_CHECKS:
        ARCHIVE_CHECKS.append(check)


def archive_checks(*, actor, household, override_reason: str = "") -> None:
    for check in ARCHIVE_CHECKS:
        check(actor=actor, household=household, override_reason=override_reason)


def _case_lock(case: Case) -> dict:
    return {"snapshot": lambda c: {"state": c.state, "category": c.category},
            "trail": {"object_type": "case", "object_id": case.pk}, "changes": changes_since}


def lock_case(case: Case, version: int) -> Case:
    """Re-read under a lock; refuse a stale version (409) with the changes made since."""
    return lock_version(case, version, message=STALE_CASE, **_case_lock(case))


def stale_case(case: Case, version: int) -> Conflict:
    """The refusal of a move made on a stale copy of the case, where no service checks the version (a new case)."""
    return Conflict(STALE_CASE, field="version", extra=conflict_payload(case, version, **_case_lock(case)))


def begin(*, actor, case: Case, version: int, name: str) -> Case:
    """Check access, lock, check the version and the state, and the four eyes for an approval."""
    move = TRANSITIONS[name]
    path = case.household.union.path
    if move.approval:
        check_approver(actor, path)
    else:
        check_area(actor, path, CHANGE, "未找到该帮扶档案")
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
