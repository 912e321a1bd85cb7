"""Writes of the reports app: queue the re-computation of an approved new standard (Article 24); a caseworker marks
a household of its task list checked (or reopens it)."""

from __future__ import annotations

from django.db import transaction

from bangfu.accounts.access import CHANGE
from bangfu.audit.services import audit_log
from bangfu.common import clock
from bangfu.common.errors import NotFound, ValidationFailed
from bangfu.standards.models import RequestKind, RequestState, StandardRequest

from .models import Recomputation, RecomputedHousehold


def recomputation_schedule(*, request_id: int) -> Recomputation | None:
    """After a new standard is approved: its re-computation, run by the job queue once the approval commits.
    Nothing for a withdrawal or a request not approved (the periodic task catches other routes' approvals)."""
    from .recompute import recomputation_for
    from .tasks import recompute

    request = StandardRequest.objects.filter(pk=request_id, kind=RequestKind.SET, state=RequestState.APPROVED).first()
    if request is None:
        return None
    row = recomputation_for(request)
    transaction.on_commit(lambda: recompute(row.pk))
    return row


@transaction.atomic
def recomputation_task_mark(*, actor, task_id: int, done: bool, recomputation_id: int | None = None
                            ) -> RecomputedHousehold:
    """The caseworker has checked the household against the new answer (or reopens it); nothing else changes.
    `recomputation_id`: the run whose task list the request came from (a task of another run is not found)."""
    tasks = RecomputedHousehold.objects.restrict(actor, CHANGE).select_for_update().select_related("union")
    if recomputation_id is not None:
        tasks = tasks.filter(recomputation_id=recomputation_id)
    task = tasks.filter(pk=task_id).first()
    if task is None:
        raise NotFound("未找到该待核对家庭")
    if done == (task.done_at is not None):
        raise ValidationFailed("该家庭已标记为核对完成" if done else "该家庭尚未标记为核对完成", field="done")
    before = {"done_at": task.done_at.isoformat() if task.done_at else None, "done_by": task.done_by_id}
    task.done_at, task.done_by = (clock.now(), actor) if done else (None, None)
    task.save(update_fields=["done_at", "done_by"])
    audit_log(actor=actor, action="recomputation_task.done" if done else "recomputation_task.reopen",
              object_type="recomputation_task", object_id=task.pk, area_path=task.union.path,
              before=before, after={"done_at": task.done_at.isoformat() if task.done_at else None,
                                    "done_by": task.done_by_id})
    return task
