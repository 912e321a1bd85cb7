"""Demo department data: sent through the officers' upload, flags and alerts land where the demo staff see them."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from bangfu.accounts.models import User
from bangfu.exchange import selectors
from bangfu.exchange.models import Alert, DepartmentFact, Disagreement, ImportJob

pytestmark = pytest.mark.django_db


def test_the_demo_sends_department_files_once_and_the_demo_caseworker_sees_flags_and_alerts():
    call_command("demo", households=60, stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_exchange", stdout=out)
    jobs = list(ImportJob.objects.filter(kind="department"))
    assert {j.department for j in jobs} == {"human_resources", "civil_affairs"}
    assert all(j.state == "done" and j.created_by.role == "department_officer" for j in jobs)
    assert DepartmentFact.objects.exists() and "处不一致" in out.getvalue()
    caseworker = User.objects.get(username="caseworker")
    assert selectors.disagreement_list(user=caseworker, state="open").exists()
    assert selectors.alerts_for(caseworker).filter(kind="death").exists()
    counts = (ImportJob.objects.count(), Disagreement.objects.count(), Alert.objects.count())
    call_command("demo_exchange", stdout=io.StringIO())
    assert (ImportJob.objects.count(), Disagreement.objects.count(), Alert.objects.count()) == counts
