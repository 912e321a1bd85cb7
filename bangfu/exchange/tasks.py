"""Huey tasks: the worker (`manage.py run_huey`) runs import jobs; in tests Huey runs them at once."""

from huey.contrib.djhuey import db_task

from .jobs import run


@db_task()
def run_job(job_id: int) -> None:
    run(job_id)
