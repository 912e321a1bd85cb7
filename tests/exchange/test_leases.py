"""Jobs finish or fail, never hang (exchange/leases.py): claims, expired leases restarted or failed, a failed
job started again by its uploader."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from bangfu.exchange import leases
from bangfu.exchange.jobs import household_import_upload, import_start, run
from bangfu.exchange.models import ImportJob, JobState
from bangfu.registry.models import Household

pytestmark = pytest.mark.django_db
LATER = datetime.timedelta(hours=1)


@pytest.fixture
def uploaded(users, orgs, household_file):
    def make(n: int = 2) -> ImportJob:
        return household_import_upload(actor=users["caseworker_g1"], union=orgs["g1"], name="a.xlsx",
                                       content=household_file(n))
    return make


def test_a_job_is_claimed_once_with_a_lease(uploaded):
    job = uploaded()
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED)
    assert leases.job_claim(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.VALIDATING and job.attempts == 1 and job.lease_until > timezone.now()
    assert not leases.job_claim(job.pk)
    run(job.pk)  # a second delivery of the task: nothing happens
    job.refresh_from_db()
    assert job.state == JobState.VALIDATING and Household.objects.count() == 0


def test_a_finished_job_renewed_its_lease_and_is_left_alone(uploaded, users):
    job = import_start(actor=users["caseworker_g1"], job=uploaded())
    assert job.state == JobState.DONE and job.lease_until is not None
    assert leases.jobs_recover(now=timezone.now() + LATER) == {"requeued": 0, "restarted": 0, "failed": 0}


def test_a_job_whose_worker_died_is_restarted_from_the_start(uploaded, django_capture_on_commit_callbacks):
    job = uploaded(3)
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.WRITING, attempts=1, processed=5,
                                               lease_until=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        counts = leases.jobs_recover(now=timezone.now() + LATER)
    assert counts["restarted"] == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.written == 3 and job.attempts == 2
    assert Household.objects.count() == 3


def test_a_job_interrupted_again_and_again_fails_with_the_reason_and_can_be_restarted(uploaded, users):
    job = uploaded()
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.VALIDATING, attempts=leases.MAX_ATTEMPTS,
                                               lease_until=timezone.now())
    assert leases.jobs_recover(now=timezone.now() + LATER)["failed"] == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "处理中断" in job.message and job.finished_at
    job = import_start(actor=users["caseworker_g1"], job=job)  # 重新开始
    assert job.state == JobState.DONE and Household.objects.count() == 2


def test_a_queued_job_that_was_lost_is_queued_again(uploaded, django_capture_on_commit_callbacks):
    job = uploaded()
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED, lease_until=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert leases.jobs_recover(now=timezone.now() + LATER)["requeued"] == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE


def test_the_page_offers_restart_of_a_failed_job_to_its_uploader(uploaded, users, client):
    job = uploaded()
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.FAILED, message="处理中断")
    client.force_login(users["caseworker_g1"])
    assert "重新开始" in client.get(f"/jobs/{job.pk}/").content.decode()
    client.post(f"/jobs/{job.pk}/restart/")
    job.refresh_from_db()
    assert job.state == JobState.DONE
