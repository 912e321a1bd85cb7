"""Huey tasks: the re-computation of the archive once a new standard is approved (Article 24)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from bangfu.common.context import request_scope


@db_task()
def recompute(recomputation_id: int) -> None:
    from .recompute import recomputation_run

    with request_scope():
        recomputation_run(recomputation_id)


@db_periodic_task(crontab(minute="*"))
def recompute_approved_standards() -> None:
    """Every minute: each newly approved standard gets its re-computation, whichever route approved it."""
    from .recompute import pending_requests, recomputation_for, recomputation_run

    for request in pending_requests():
        with request_scope():
            recomputation_run(recomputation_for(request).pk)


@db_task()
def refresh_snapshot(kind: str, union_id: int, argument: str) -> None:
    """Compute a report's stored figures anew after a change: the union's area's figures, whoever asked."""
    import datetime

    from bangfu.accounts.access import AreaScope
    from bangfu.accounts.models import Organisation

    from .snapshots import below_dibao, entitlement_figures, report_figures

    with request_scope():
        union = Organisation.objects.filter(pk=union_id).first()
        if union is None:
            return
        if kind == "report":
            report_figures(user=AreaScope(union), union=union, year=int(argument), background=False)
        elif kind == "below":
            below_dibao(union=union, background=False)
        else:
            entitlement_figures(user=AreaScope(union), union=union, as_of=datetime.date.fromisoformat(argument),
                                background=False)
