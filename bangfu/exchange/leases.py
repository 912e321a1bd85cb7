"""Jobs that finish or fail, never hang: a worker claims a job with a lease and renews it while it works; a job
whose lease ran out (its worker was killed, its database connection dropped) is started again from the start, or
after MAX_ATTEMPTS marked failed with the reason, so that the user can retry.

A job's write phase is one transaction, so an interrupted job has written nothing: starting again is safe."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q

from bangfu.common import clock

from .models import ImportJob, JobState

log = logging.getLogger(__name__)

RUNNING = (JobState.VALIDATING, JobState.WRITING)
MAX_ATTEMPTS = 2
INTERRUPTED = ("处理中断(工作进程停止或数据库连接中断),已自动重试{n}次仍未完成。数据库未做任何修改;"
               "请点击「重新开始」或重新上传。")
RESTARTED = "上次处理中断(工作进程停止),已自动从头重新开始。"


def lease_seconds() -> int:
    return int(getattr(settings, "BANGFU_JOB_LEASE_SECONDS", 600))


def lease_until(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or clock.now()) + datetime.timedelta(seconds=lease_seconds())


def job_claim(job_id: int) -> bool:
    """Take a queued job for this worker (once: a second delivery of the same task finds it taken)."""
    return bool(ImportJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.VALIDATING, lease_until=lease_until(), attempts=F("attempts") + 1, processed=0))


def _enqueue(job_id: int) -> None:
    from .tasks import run_job

    run_job(job_id)


def jobs_recover(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Every job whose lease expired: queued ones are queued again, running ones restarted from the start (or
    failed with the reason after MAX_ATTEMPTS). Each in its own transaction; rows another sweeper holds are
    skipped. Run when a worker starts and every few minutes."""
    now = now or clock.now()
    stale = Q(lease_until__lt=now) | Q(lease_until__isnull=True,
                                       created_at__lt=now - datetime.timedelta(seconds=lease_seconds()))
    counts = {"requeued": 0, "restarted": 0, "failed": 0}
    ids = list(ImportJob.objects.filter(stale, state__in=(JobState.QUEUED, *RUNNING)).values_list("pk", flat=True))
    for job_id in ids:
        with transaction.atomic():
            job = (ImportJob.objects.select_for_update(skip_locked=True)
                   .filter(stale, pk=job_id, state__in=(JobState.QUEUED, *RUNNING)).first())
            if job is None:
                continue
            if job.state == JobState.QUEUED:
                outcome = "requeued"
                ImportJob.objects.filter(pk=job.pk).update(lease_until=lease_until(now))
            elif job.attempts < MAX_ATTEMPTS:
                outcome = "restarted"
                ImportJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED, processed=0,
                                                           lease_until=lease_until(now), message=RESTARTED)
            else:
                outcome = "failed"
                ImportJob.objects.filter(pk=job.pk).update(state=JobState.FAILED, finished_at=now, lease_until=None,
                                                           message=INTERRUPTED.format(n=job.attempts - 1))
            if outcome != "failed":
                transaction.on_commit(lambda pk=job.pk: _enqueue(pk))
            counts[outcome] += 1
            log.warning("job %s with an expired lease: %s", job.pk, outcome)
    return counts


def job_record_failure(job_id: int, message: str) -> None:
    """The job ends failed with `message`, even when the connection it ran on is gone (a new one is opened)."""
    for attempt in range(2):
        try:
            ImportJob.objects.filter(pk=job_id).exclude(state__in=(JobState.DONE, JobState.INVALID)).update(
                state=JobState.FAILED, finished_at=clock.now(), lease_until=None, message=message)
            return
        except DatabaseError:
            if attempt or connection.in_atomic_block:
                raise
            connection.close()  # a dropped connection: the next query opens a fresh one
