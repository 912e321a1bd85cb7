"""Use cases on flags and alerts: resolve with a note, and the archive check the cases app calls (Article 26)."""

from __future__ import annotations

from django.db import transaction

from bangfu.accounts.access import CHANGE, check_area
from bangfu.audit.services import audit_log
from bangfu.common import clock
from bangfu.common.errors import ValidationFailed
from bangfu.registry.models import Household

from .departments.runner import department_upload
from .jobs import household_import_upload, import_retry_clean, import_start, job_result_open
from .models import Alert, Disagreement, OpenState, Resolvable

__all__ = ["alert_resolve", "archive_check", "department_upload", "disagreement_resolve",
           "household_import_upload", "import_retry_clean", "import_start", "job_result_open"]


def _check(actor, household: Household, action: str = CHANGE) -> None:
    check_area(actor, household.union.path, action, "未找到该家庭档案")


def _note(note: str, what: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(f"须填写{what}", field="note")
    return note


def _resolve(actor, item: Resolvable, note: str, *, what: str, action: str) -> Resolvable:
    """Close an open flag or alert with the note of what was found, audited with the household."""
    _check(actor, item.household)
    note = _note(note, "处理说明")
    locked = type(item).objects.select_for_update().get(pk=item.pk)
    if locked.state != OpenState.OPEN:
        raise ValidationFailed(f"该{what}已处理", field="state")
    item.state, item.note, item.resolved_by, item.resolved_at = OpenState.RESOLVED, note, actor, clock.now()
    item.save()
    audit_log(actor=actor, action=action, object_type="household", object_id=item.household_id,
              area_path=item.household.union.path,
              after={type(item).__name__.lower(): item.pk, "kind": item.kind, "note": note})
    return item


@transaction.atomic
def disagreement_resolve(*, actor, disagreement: Disagreement, note: str) -> Disagreement:
    """Close a flag with what was found (e.g. "入户核实:已于3月离职,提供离职证明")."""
    return _resolve(actor, disagreement, note, what="不一致", action="exchange.disagreement_resolve")


@transaction.atomic
def alert_resolve(*, actor, alert: Alert, note: str) -> Alert:
    """Close an alert with what was done about it."""
    return _resolve(actor, alert, note, what="预警", action="exchange.alert_resolve")


def archive_check(*, actor, household: Household, override_reason: str = "") -> list[Disagreement]:
    """Called by the archive (建档) approval inside its transaction: open disagreements refuse it, unless the
    approver overrides them with a reason; they are then closed as overridden, with that reason, and audited."""
    open_ones = list(Disagreement.objects.select_for_update().filter(household=household, state=OpenState.OPEN))
    if not open_ones:
        return []
    reason = (override_reason or "").strip()
    if not reason:
        raise ValidationFailed(
            f"该家庭有{len(open_ones)}处部门核对不一致尚未处理,不能审批建档;请先处理,或填写理由后确认审批",
            field="override_reason", extra={"disagreements": [d.pk for d in open_ones]})
    now = clock.now()
    for item in open_ones:
        item.state, item.note, item.resolved_by, item.resolved_at = OpenState.OVERRIDDEN, reason, actor, now
        item.save(update_fields=["state", "note", "resolved_by", "resolved_at"])
    audit_log(actor=actor, action="exchange.disagreement_override", object_type="household",
              object_id=household.pk, area_path=household.union.path,
              after={"disagreements": [d.pk for d in open_ones], "reason": reason})
    return open_ones
