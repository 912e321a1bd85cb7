"""Faults on PostgreSQL (issue 13): a worker killed in the middle of its write, a database connection dropped in
the middle of a job. The job ends done or failed, never stuck, and the registry is whole (all or nothing).

Only this test database's own backends are terminated (pg_terminate_backend filtered by datname)."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import close_old_connections, connection, connections
from django.utils import timezone

from bangfu.exchange import jobs, leases
from bangfu.exchange.models import ImportJob, JobState
from bangfu.registry.models import Household

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("fault tests terminate PostgreSQL backends")


def _terminate(pid: int) -> None:
    """End one backend of this test database, from a connection of its own."""
    side = connections.create_connection("default")
    try:
        with side.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid = %s", [pid])
    finally:
        side.close()


def _upload(users, orgs, household_file, n: int) -> ImportJob:
    job = jobs.household_import_upload(actor=users["caseworker_g1"], union=orgs["g1"], name="a.xlsx",
                                       content=household_file(n))
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED)
    return job


WORKER = textwrap.dedent("""
    import sys, time, django
    django.setup()
    from bangfu.exchange import jobs
    write_all = jobs.write_all

    def half_then_hang(actor, job_id, households, progress=lambda n: None):
        write_all(actor, job_id, households[: len(households) // 2], progress=progress)
        print("written half", flush=True)
        time.sleep(120)

    jobs.write_all = half_then_hang
    jobs.run(int(sys.argv[1]))
""")


def test_a_worker_killed_mid_write_leaves_no_trace_and_the_job_is_restarted(users, orgs, household_file,
                                                                            settings):
    job = _upload(users, orgs, household_file, 6)
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bangfu.config.settings.test",
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "BANGFU_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT), "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen([sys.executable, "-c", WORKER, str(job.pk)], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = worker.stdout.readline()
        assert line.strip() == "written half", worker.stderr.read()
        job.refresh_from_db()
        assert job.state == JobState.WRITING and job.lease_until > timezone.now()
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    assert Household.objects.count() == 0  # the half written died with the worker's transaction
    job.refresh_from_db()
    assert job.state == JobState.WRITING  # … and the job would say so for ever, but for its lease:
    # The moment after the lease the dead worker took ran out (it ran unfrozen, on the machine's own clock).
    counts = leases.jobs_recover(now=job.lease_until + datetime.timedelta(seconds=1))
    assert counts["restarted"] == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.written == 6 and job.attempts == 2
    assert Household.objects.count() == 6


def test_a_connection_dropped_mid_job_fails_the_job_and_the_next_job_runs(users, orgs, household_file,
                                                                          monkeypatch):
    job = _upload(users, orgs, household_file, 4)
    write_all = jobs.write_all

    def half_then_drop(actor, job_id, households, progress=lambda n: None):
        write_all(actor, job_id, households[:2], progress=progress)
        _terminate(connection.connection.info.backend_pid)
        return write_all(actor, job_id, households[2:], progress=progress)

    monkeypatch.setattr(jobs, "write_all", half_then_drop)
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "数据库未做任何修改" in job.message
    assert Household.objects.count() == 0
    monkeypatch.setattr(jobs, "write_all", write_all)
    following = _upload(users, orgs, household_file, 3)
    jobs.run(following.pk)  # the worker's next job is not stuck behind the dropped connection
    following.refresh_from_db()
    assert following.state == JobState.DONE and Household.objects.count() == 3


def test_a_dropped_connection_is_replaced_before_the_next_request(users):
    """CONN_HEALTH_CHECKS: what Django does between requests notices the dead connection (no 500 once)."""
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    from bangfu.accounts.models import User

    User.objects.count()
    _terminate(connection.connection.info.backend_pid)
    close_old_connections()  # request_started / request_finished
    assert User.objects.count() >= 1
