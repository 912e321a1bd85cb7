"""Huey tasks of the programmes: a large area's payment list is prepared by the worker (`manage.py run_huey`);
in tests Huey runs it at once."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from bangfu.common.context import request_scope


@db_task()
def prepare_round(round_id: int) -> None:
    from .services.prepare_job import prepare_run

    with request_scope():  # the standards' version is checked once per job, not per household
        prepare_run(round_id)


@on_startup()
def take_up_rounds() -> None:
    """A worker that starts takes up the rounds a dead worker left half prepared."""
    from .services.prepare_job import rounds_recover

    rounds_recover()


@db_periodic_task(crontab(minute="*/2"))
def recover_stale_rounds() -> None:
    """Every two minutes: rounds whose preparing worker died (lease expired) are started again or failed."""
    from .services.prepare_job import rounds_recover

    rounds_recover()
