"""Demo department data: 民政's and 人社's files for a sample of the demo households, sent through the
same upload and job as an officer's, so that a fresh system shows facts, flags on files and alerts."""

from __future__ import annotations

import datetime
import random

from django.db.models import Q

from bangfu.accounts.models import Department, User
from bangfu.cases.workflow import ARCHIVED_STATES, CaseState
from bangfu.common import clock
from bangfu.common.spreadsheets import csv_bytes
from bangfu.registry import choices as c
from bangfu.registry.models import Member

from .departments.formats import FORMATS
from .jobs import run
from .models import ImportJob, JobKind, JobState
from .services import department_upload

EMPLOYERS = ("南京某物流有限公司", "无锡某电子科技有限公司", "苏州某商贸有限公司", "某物业服务有限公司")
DEMO_UNION = "320102-0001"  # the demo caseworker's union: some of everything lands there


def _csv(department: str, rows: list[list]) -> bytes:
    return csv_bytes(FORMATS[department].headers, rows)


def _sample(rng: random.Random, query, share: float, pinned: int) -> list[Member]:
    """`share` of the matching members, and at least `pinned` of them in the demo caseworker's union."""
    people = list(query.select_related("household__union").order_by("pk")[:200_000])
    chosen = [m for m in people if rng.random() < share]
    local = [m for m in people if m.household.union.code == DEMO_UNION and m not in chosen][:pinned]
    return chosen + local


def _send(officer: User, name: str, rows: list[list]) -> ImportJob | None:
    if not rows:
        return None
    job = department_upload(actor=officer, name=name, content=_csv(officer.department, rows))
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED)
    run(job.pk)  # at once, in this process: the demo must not wait for a worker
    return ImportJob.objects.get(pk=job.pk)


def load_exchange_demo(*, seed: int = 2019, share: float = 0.06) -> dict:
    """Once per database: 人社 reports some members declared out of work as employed (flags), 民政 lists some
    households on 低保 that did not say so (flags) and a few members as dead (alerts)."""
    if ImportJob.objects.filter(kind=JobKind.DEPARTMENT).exists():
        return {"jobs": 0, "flagged": 0}
    officers = {u.department: u for u in User.objects.filter(role="department_officer", is_active=True,
                                                               organisation__level="province")}
    rng = random.Random(seed)
    statuses = [*ARCHIVED_STATES, CaseState.DRAFT, CaseState.SUBMITTED, CaseState.VERIFYING]
    active = Member.objects.filter(active=True, removed=False, household__status__in=statuses)
    died_on = (clock.today() - datetime.timedelta(days=45)).isoformat()
    jobs = []
    if Department.HUMAN_RESOURCES in officers:
        out_of_work = active.filter(employment__in=(c.Employment.REGISTERED_UNEMPLOYED, c.Employment.UNEMPLOYED))
        rows = [[m.id_number, m.name, "就业", rng.choice(EMPLOYERS), "", ""]
                for m in _sample(rng, out_of_work, share, 2)]
        jobs.append(_send(officers[Department.HUMAN_RESOURCES], "人社就业登记.csv", rows))
    if Department.CIVIL_AFFAIRS in officers:
        workers = active.filter(relation=c.Relation.SELF).filter(Q(household__dibao=False))
        rows = [[m.id_number, m.name, "低保", "2024-01-01", "850.00", "", ""]
                for m in _sample(rng, workers, share / 2, 1)]
        spouses = active.filter(relation=c.Relation.SPOUSE)
        rows += [[m.id_number, m.name, "死亡", "", "", died_on, ""] for m in _sample(rng, spouses, share / 10, 1)]
        jobs.append(_send(officers[Department.CIVIL_AFFAIRS], "民政救助名单.csv", rows))
    jobs = [j for j in jobs if j is not None]
    return {"jobs": len(jobs), "flagged": sum(j.flagged for j in jobs)}
