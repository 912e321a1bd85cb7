"""Writes of the reports app: queue the re-computation of an approved new standard (Article 24)."""

from __future__ import annotations

from django.db import transaction

from bangfu.standards.models import RequestKind, RequestState, StandardRequest

from .models import Recomputation


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
