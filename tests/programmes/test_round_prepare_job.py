"""Issue 11: a large area's payment list is prepared by a Huey job (immediate in tests) with progress and a lease;
a failed job leaves the list as it was; a job whose worker died is started again or failed with the reason."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from programme_helpers import lines_of

from bangfu.audit.models import AuditEntry
from bangfu.common import clock
from bangfu.common.errors import Conflict
from bangfu.programmes import services
from bangfu.programmes.models import Line, PrepareJob, Round
from bangfu.programmes.services import prepare_job
from bangfu.programmes.services.preparing import build_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def background(settings):
    """Every area goes to the background (玄武区 has five households)."""
    settings.BANGFU_ROUND_BACKGROUND_FROM = 1


def create(warmth, orgs, staff, today):
    return services.round_create(actor=staff["caseworker_xuanwu"], programme=warmth, union=orgs["xuanwu"],
                                 paid_on=today, title="春节送温暖")


def test_a_large_area_is_prepared_by_the_worker_with_its_progress(background, warmth, orgs, staff, area, today,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        round_ = create(warmth, orgs, staff, today)
    assert len(queued) == 1
    round_.refresh_from_db()
    assert round_.job_state == "" and (round_.job_processed, round_.job_total) == (10, 10)
    assert round_.job_message == "名单已生成:5户中纳入3户" and round_.lease_until is None
    lines = lines_of(round_)
    assert len(lines) == 5 and lines[area["a"].pk].amount == Decimal("500.00")
    assert lines[area["x"].pk].amount == Decimal("1000.00")
    queue = AuditEntry.objects.get(action="round.prepare_queue")
    assert queue.after == {"round": round_.pk, "households": 5}
    done = AuditEntry.objects.get(action="round.prepare")
    assert done.actor_id == staff["caseworker_xuanwu"].pk and done.after["background"] is True
    assert done.after["included"] == 3


def test_while_queued_nothing_else_may_touch_the_round_and_the_page_shows_where_it_stands(
        background, warmth, orgs, staff, area, today, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        round_ = create(warmth, orgs, staff, today)
    round_.refresh_from_db()
    assert round_.job_state == PrepareJob.QUEUED and round_.job_total == 10 and not lines_of(round_)
    for step in (services.round_submit, services.round_prepare, services.round_discard):
        with pytest.raises(Conflict, match="排队中"):
            step(actor=staff["caseworker_xuanwu"], round_=round_, version=round_.version)
    client = login(staff["caseworker_xuanwu"])
    page = client.get(f"/rounds/{round_.pk}/").content.decode()
    assert "发放名单排队中:已处理 0 / 10" in page and "提交审核</button>" not in page
    api = client.get(f"/api/v1/programmes/rounds/{round_.pk}").json()
    assert api["preparing"] == {"state": "queued", "state_label": "排队中", "processed": 0, "total": 10,
                                "message": ""}
    queued[0]()  # the worker takes it
    round_.refresh_from_db()
    assert round_.job_state == "" and len(lines_of(round_)) == 5


def test_progress_counts_each_household_picked_then_written(prepared):
    seen = []
    Line.objects.filter(round=prepared).delete()
    build_lines(prepared, seen.append)
    assert seen == sorted(seen) and seen[0] == 5 and seen[-1] == 10


def test_a_failed_job_leaves_the_list_as_it_was(prepared, staff, area, settings, monkeypatch,
                                                django_capture_on_commit_callbacks):
    line = lines_of(prepared)[area["a"].pk]
    services.line_adjust(actor=staff["caseworker_xuanwu"], line=line, version=line.version, reason="酌情增发",
                         amount="600")
    before = sorted(Line.objects.filter(round=prepared).values_list("household_id", "amount", "adjust_reason"))

    def half_then_fail(round_, progress):
        build_lines(round_, progress)  # the new list is written …
        raise RuntimeError("database went away")  # … and the job dies before its end

    monkeypatch.setattr(prepare_job, "build_lines", half_then_fail)
    settings.BANGFU_ROUND_BACKGROUND_FROM = 1
    prepared.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.round_prepare(actor=staff["caseworker_xuanwu"], round_=prepared, version=prepared.version)
    prepared.refresh_from_db()
    assert prepared.job_state == PrepareJob.FAILED and prepared.job_message == prepare_job.FAILED
    assert sorted(Line.objects.filter(round=prepared).values_list("household_id", "amount", "adjust_reason")) == before
    assert lines_of(prepared)[area["a"].pk].amount == Decimal("600.00")
    # the user tries again (a small area now prepared at once): the failure is gone
    settings.BANGFU_ROUND_BACKGROUND_FROM = 5000
    services.round_prepare(actor=staff["caseworker_xuanwu"], round_=prepared, version=prepared.version)
    prepared.refresh_from_db()
    assert prepared.job_state == "" and lines_of(prepared)[area["a"].pk].amount == Decimal("500.00")


def _orphan(round_: Round, attempts: int) -> None:
    """The worker that claimed the round died: its lease ran out a minute ago."""
    Round.objects.filter(pk=round_.pk).update(job_state=PrepareJob.RUNNING, job_attempts=attempts, job_total=10,
                                              job_processed=4,
                                              lease_until=clock.now() - datetime.timedelta(minutes=1))


def test_a_job_whose_worker_died_starts_again_then_fails_with_the_reason(prepared, django_capture_on_commit_callbacks):
    _orphan(prepared, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert prepare_job.rounds_recover() == {"requeued": 0, "restarted": 1, "failed": 0}
    prepared.refresh_from_db()
    assert prepared.job_state == "" and prepared.job_attempts == 2 and len(lines_of(prepared)) == 5
    _orphan(prepared, attempts=2)
    assert prepare_job.rounds_recover() == {"requeued": 0, "restarted": 0, "failed": 1}
    prepared.refresh_from_db()
    assert prepared.job_state == PrepareJob.FAILED and "已自动重试1次仍未完成" in prepared.job_message
    assert prepare_job.rounds_recover() == {"requeued": 0, "restarted": 0, "failed": 0}  # a failed job stays so


def test_a_running_job_with_a_live_lease_is_left_alone(prepared):
    Round.objects.filter(pk=prepared.pk).update(job_state=PrepareJob.RUNNING, job_attempts=1,
                                                lease_until=clock.now() + datetime.timedelta(minutes=5))
    assert prepare_job.rounds_recover() == {"requeued": 0, "restarted": 0, "failed": 0}


def test_a_superseded_attempt_writes_nothing(prepared, monkeypatch):
    """The lease ran out while the job worked and another attempt took the round: the first one's list is rolled
    back when it ends."""
    Round.objects.filter(pk=prepared.pk).update(job_state=PrepareJob.QUEUED)
    real = prepare_job.build_lines

    def overtaken(round_, progress):
        counts = real(round_, progress)
        Round.objects.filter(pk=round_.pk).update(job_attempts=9)  # a later attempt's claim
        return counts

    monkeypatch.setattr(prepare_job, "build_lines", overtaken)
    ids = set(Line.objects.filter(round=prepared).values_list("id", flat=True))
    prepare_job.prepare_run(prepared.pk)
    assert set(Line.objects.filter(round=prepared).values_list("id", flat=True)) == ids
    prepared.refresh_from_db()
    assert prepared.job_state == PrepareJob.RUNNING  # the later attempt's to finish
