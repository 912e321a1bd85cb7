"""Preparing a large area's payment list in the background (a Huey job): queued by `round_prepare`, claimed with a
lease that its progress renews (`exchange.progress.Progress`), written in one transaction (a failed job leaves
the list as it was), and taken up again by `rounds_recover` when its worker died (`exchange.leases`' rules)."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q

from bangfu.common import clock
from bangfu.exchange.leases import MAX_ATTEMPTS, lease_until
from bangfu.exchange.progress import Progress
from bangfu.registry.models import Household

from ..models import Line, PrepareJob, Round
from .common import BUSY, audit
from .preparing import build_lines

log = logging.getLogger(__name__)

FAILED = "名单生成失败:系统错误,名单保持生成前的样子(数据库未做任何修改)。请点击「重新生成名单」重试或联系管理员。"
INTERRUPTED = ("名单生成中断(工作进程停止或数据库连接中断),已自动重试{n}次仍未完成。名单保持生成前的样子;"
               "请点击「重新生成名单」重试。")
RESTARTED = "上次生成中断(工作进程停止),已自动从头重新开始。"


class Superseded(Exception):
    """The job's lease ran out while it worked and another attempt took the round over: this one writes nothing."""


def background_from() -> int:
    """An area with at least this many households is prepared by a background job, a smaller one at once."""
    return int(getattr(settings, "BANGFU_ROUND_BACKGROUND_FROM", 5000))


def area_size(round_: Round) -> int:
    return Household.objects.filter(union__path__startswith=round_.union.path).count()


def _enqueue(round_id: int) -> None:
    from ..tasks import prepare_round

    prepare_round(round_id)


def prepare_queue(actor, round_: Round, households: int) -> dict:
    """Inside the caller's transaction, the round locked: the list is to be prepared by a worker (after the commit,
    so that it sees the round). `actor` becomes the preparer, in whose name the job writes."""
    round_.job_state, round_.job_total, round_.job_processed = PrepareJob.QUEUED, 2 * households, 0
    round_.job_attempts, round_.job_message, round_.lease_until = 0, "", lease_until()
    round_.prepared_by, round_.version = actor, round_.version + 1
    round_.save()
    audit(actor, "round.prepare_queue", round_, round_.union.path,
          after={"round": round_.pk, "households": households})
    transaction.on_commit(lambda pk=round_.pk: _enqueue(pk))
    return {"queued": households}


def _claim(round_id: int) -> bool:
    return bool(Round.objects.filter(pk=round_id, job_state=PrepareJob.QUEUED).update(
        job_state=PrepareJob.RUNNING, lease_until=lease_until(), job_attempts=F("job_attempts") + 1,
        job_processed=0))


def _write(round_: Round, progress: Progress) -> dict:
    """The list, the round's end of job and its audit row in one transaction."""
    attempt = round_.job_attempts
    with transaction.atomic():
        lines = Line.objects.filter(round=round_)
        lines._raw_delete(lines.db)
        counts = build_lines(round_, progress)
        locked = Round.objects.select_for_update().get(pk=round_.pk)  # the round's row only now: progress renews it
        if locked.job_state != PrepareJob.RUNNING or locked.job_attempts != attempt:
            raise Superseded
        included = counts.get("included", 0) + counts.get("carried", 0)
        Round.objects.filter(pk=round_.pk).update(
            job_state="", job_processed=F("job_total"), lease_until=None, prepared_at=clock.now(),
            version=F("version") + 1, job_message=f"名单已生成:{locked.job_total // 2}户中纳入{included}户")
        audit(round_.prepared_by, "round.prepare", round_, round_.union.path,
              after={"round": round_.pk, **counts, "background": True})
    return counts


def prepare_run(round_id: int) -> None:
    """The worker's entry point: claim, prepare, and whatever fails, the list stays as it was and the round says so."""
    try:
        if not _claim(round_id):
            return  # another delivery of the task took it, or it is no longer queued
        round_ = Round.objects.select_related("programme", "union", "prepared_by").get(pk=round_id)
        progress = Progress(round_id, model=Round, field="job_processed")
        try:
            _write(round_, progress)
        finally:
            progress.close()
    except Superseded:
        log.warning("round %s: an earlier attempt's lease ran out and a later attempt took over", round_id)
    except Exception:
        log.exception("preparing round %s failed", round_id)
        _record_failure(round_id, FAILED)


def _record_failure(round_id: int, message: str) -> None:
    """The job ends failed with `message`, on a fresh connection if the one it ran on is gone."""
    for attempt in range(2):
        try:
            Round.objects.filter(pk=round_id, job_state__in=BUSY).update(
                job_state=PrepareJob.FAILED, lease_until=None, job_message=message)
            return
        except DatabaseError:
            if attempt or connection.in_atomic_block:
                raise
            connection.close()


def rounds_recover(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Every round whose preparing job's lease ran out: queued ones queued again, running ones started again from
    the start (or failed with the reason after MAX_ATTEMPTS), each in its own transaction."""
    now = now or clock.now()
    stale = Q(lease_until__lt=now, job_state__in=BUSY)
    counts = {"requeued": 0, "restarted": 0, "failed": 0}
    for round_id in list(Round.objects.filter(stale).values_list("pk", flat=True)):
        with transaction.atomic():
            found = Round.objects.select_for_update(skip_locked=True).filter(stale, pk=round_id).first()
            if found is None:
                continue
            if found.job_state == PrepareJob.QUEUED:
                outcome, change = "requeued", {"lease_until": lease_until(now)}
            elif found.job_attempts < MAX_ATTEMPTS:
                outcome, change = "restarted", {"job_state": PrepareJob.QUEUED, "job_processed": 0,
                                                "lease_until": lease_until(now), "job_message": RESTARTED}
            else:
                outcome, change = "failed", {"job_state": PrepareJob.FAILED, "lease_until": None,
                                             "job_message": INTERRUPTED.format(n=found.job_attempts - 1)}
            Round.objects.filter(pk=round_id).update(**change)
            if outcome != "failed":
                transaction.on_commit(lambda pk=round_id: _enqueue(pk))
            counts[outcome] += 1
            log.warning("round %s preparing with an expired lease: %s", round_id, outcome)
    return counts
