"""Huey tasks: the worker (`manage.py run_huey`) runs import jobs; in tests Huey runs them at once."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from bangfu.common import clock
from bangfu.common.context import request_scope

from .jobs import run


@db_task()
def run_job(job_id: int) -> None:
    with request_scope():  # the standards' version is checked once per job, not per household
        run(job_id)


@on_startup()
def worker_started() -> None:
    """A worker that starts applies its memory limit and takes up the jobs a dead worker left (leases.py)."""
    from .leases import jobs_recover
    from .limits import apply_worker_memory_limit

    apply_worker_memory_limit()
    jobs_recover()


@db_periodic_task(crontab(minute="*/2"))
def recover_stale_jobs() -> None:
    """Every two minutes: jobs whose worker died (lease expired) are restarted from the start or failed."""
    from .leases import jobs_recover

    jobs_recover()


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_relapse_scan() -> None:
    """Every night: exited households whose income fell (返贫预警), and the same person paid the same benefit in
    two households (重复享受)."""
    from .alerts import duplicate_benefit_scan, relapse_scan

    today = clock.today()
    with request_scope():
        relapse_scan(as_of=today)
        duplicate_benefit_scan(as_of=today)
