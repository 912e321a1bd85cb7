"""Article 24: a new standard approved by a second administrator re-assesses the archive in its area; the changed
households become the caseworkers' task list; nothing in a case changes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from bangfu.reports.models import Recomputation, RunState
from bangfu.standards import services

pytestmark = pytest.mark.django_db
START = datetime.date(2025, 11, 1)


@pytest.fixture
def unable(make_household, build, orgs):
    """An archived 南京 household whose only adult cannot work: Article 2's gap to the 低保 line applies."""
    from bangfu.cases.models import Case
    from bangfu.registry.models import Household

    h = make_household("g1", members=[build.member("self", region="320100", work_ability="none",
                                                   serious_illness=True)])
    Household.objects.filter(pk=h.pk).update(status="archived", verified_category="extreme_hardship")
    Case.objects.create(household=h, state="archived", category="extreme_hardship", archived_on=datetime.date(2025, 1, 2),
                        next_review_on=datetime.date(2026, 1, 2))
    return h


def propose(users, value="1050"):
    return services.standard_request_propose(actor=users["admin_nanjing"], parameter="sync.dibao.standard",
                                             region_code="320100", start=START, value=Decimal(value),
                                             document="宁民发〔2025〕1号", note="")


def test_approval_in_the_web_runs_the_recomputation_and_the_caseworker_sees_the_task(
        area, unable, users, orgs, login, django_capture_on_commit_callbacks):
    from bangfu.registry.models import Household

    request = propose(users)
    status_before = dict(Household.objects.values_list("pk", "status"))
    with django_capture_on_commit_callbacks(execute=True):
        response = login(users["admin_province"]).post(f"/standards/requests/{request.pk}/approve/", {"reason": ""})
    assert response.status_code in (200, 302)
    run = Recomputation.objects.get(request=request)
    assert run.state == RunState.DONE and run.as_of == START
    assert run.households == 4  # the archived households of 南京: h1, h2, h4 and the new one (not 无锡's h6)
    changed = {c.household_id: c for c in run.changes.all()}
    assert unable.pk in changed and changed[unable.pk].kind == "up"
    # the gap to the line grows by 150 a month for one person: 1,800 a year
    assert changed[unable.pk].delta == Decimal("1800.00")
    assert Decimal(run.summary["by_benefit"]["living.minimum_living_guarantee"]) >= Decimal("1800.00")
    assert dict(Household.objects.values_list("pk", "status")) == status_before  # nothing changes by itself

    page = login(users["caseworker_g1"]).get(f"/reports/recomputations/{run.pk}/")
    assert page.status_code == 200
    assert unable.pk in [t.household_id for t in page.context["tasks"]]
    assert all(t.union.path.startswith(orgs["g1"].path) for t in page.context["tasks"])
    assert "1800.00" in page.content.decode()
    listing = login(users["caseworker_g1"]).get("/reports/recomputations/")
    assert run in listing.context["rows"]


def test_outside_the_area_nothing_is_seen(area, unable, users):
    from bangfu.reports.selectors import recomputation_list, recomputation_tasks

    request = propose(users)
    services.standard_request_approve(actor=users["admin_province"], request_id=request.pk)
    from bangfu.reports.tasks import recompute_approved_standards

    recompute_approved_standards.call_local()  # the periodic task catches an approval by another route (API)
    run = Recomputation.objects.get(request=request)
    assert run.state == RunState.DONE
    assert list(recomputation_list(user=users["caseworker_g4"])) == []
    assert recomputation_tasks(user=users["caseworker_g4"], recomputation=run).count() == 0
    assert recomputation_tasks(user=users["caseworker_g1"], recomputation=run).count() >= 1


def test_a_rejected_proposal_recomputes_nothing(area, users, login):
    request = propose(users)
    login(users["admin_province"]).post(f"/standards/requests/{request.pk}/reject/", {"reason": "文件未公布"})
    assert not Recomputation.objects.exists()


@pytest.fixture
def earner(make_household, build):
    """An archived 南京 household of one, 2,000 a month for the 12 months before November 2025: above the 困难 line
    (900 × 2 = 1,800) before the new standard, below it (1,050 × 2 = 2,100) after."""
    from bangfu.cases.models import Case
    from bangfu.registry.models import Household, IncomeRecord

    h = make_household("g1", members=[build.member("self", region="320100")])
    Household.objects.filter(pk=h.pk).update(status="archived", verified_category="hardship")
    Case.objects.create(household=h, state="archived", category="hardship", archived_on=datetime.date(2024, 6, 1),
                        next_review_on=datetime.date(2026, 6, 1))
    IncomeRecord.objects.bulk_create([IncomeRecord(household=h, month=datetime.date(2024 + (m > 12), (m - 1) % 12 + 1, 1),
                                                   source="wages", amount=Decimal("2000.00")) for m in range(11, 23)])
    return h


def test_the_recomputation_lists_a_changed_proposal_and_exit_suggestion(area, earner, users, login):
    from bangfu.reports.recompute import recomputation_for, recomputation_run

    request = propose(users)
    services.standard_request_approve(actor=users["admin_province"], request_id=request.pk)
    run = recomputation_run(recomputation_for(request).pk)
    assert run.state == RunState.DONE, run.message
    change = run.changes.get(household=earner)
    assert (change.proposal_before, change.proposal_after) == ("none", "hardship")
    assert (change.exit_before, change.exit_after) == (True, False)
    assert run.summary["proposals_changed"] >= 1 and run.summary["exits_changed"] >= 1
    page = login(users["caseworker_g1"]).get(f"/reports/recomputations/{run.pk}/")
    body = page.content.decode()
    assert "非困难 → 困难" in body and "建议退出 → 不建议退出" in body


def test_a_caseworker_marks_a_task_checked_with_an_audit_row_and_reopens_it(area, unable, users, login):
    from bangfu.audit.models import AuditEntry
    from bangfu.reports.recompute import recomputation_for, recomputation_run

    request = propose(users)
    services.standard_request_approve(actor=users["admin_province"], request_id=request.pk)
    run = recomputation_run(recomputation_for(request).pk)
    task = run.changes.get(household=unable)
    client = login(users["caseworker_g1"])
    url = f"/reports/recomputations/{run.pk}/tasks/{task.pk}/"
    response = client.post(url, {"done": "1", "shown": "open"})
    assert response.status_code == 302 and response["Location"].endswith("?done=open")
    task.refresh_from_db()
    assert task.done_at is not None and task.done_by == users["caseworker_g1"]
    assert AuditEntry.objects.filter(action="recomputation_task.done", object_id=str(task.pk)).count() == 1
    open_tasks = client.get(f"/reports/recomputations/{run.pk}/?done=open").context["tasks"]
    assert task.pk not in [t.pk for t in open_tasks]
    assert task.pk in [t.pk for t in client.get(f"/reports/recomputations/{run.pk}/?done=done").context["tasks"]]
    client.post(url, {"done": "1"})  # twice: refused in Chinese, nothing changes
    assert AuditEntry.objects.filter(action="recomputation_task.done").count() == 1
    client.post(url, {"done": "0"})
    task.refresh_from_db()
    assert task.done_at is None and task.done_by is None
    # a caseworker of another area cannot reach it
    assert login(users["caseworker_g4"]).post(url, {"done": "1"}).status_code == 404
    task.refresh_from_db()
    assert task.done_at is None


def test_a_task_is_marked_only_under_its_own_recomputation(area, unable, users, login):
    from bangfu.reports.recompute import recomputation_for, recomputation_run

    first = propose(users)
    services.standard_request_approve(actor=users["admin_province"], request_id=first.pk)
    run = recomputation_run(recomputation_for(first).pk)
    task = run.changes.get(household=unable)
    second = services.standard_request_propose(
        actor=users["admin_nanjing"], parameter="sync.dibao.standard", region_code="320100",
        start=datetime.date(2025, 12, 1), value=Decimal("1060"), document="宁民发〔2025〕2号", note="")
    other = Recomputation.objects.create(request=second, as_of=second.start, area_path=run.area_path, state="done",
                                         households=0, summary={})
    client = login(users["caseworker_g1"])
    assert client.post(f"/reports/recomputations/{other.pk}/tasks/{task.pk}/", {"done": "1"}).status_code == 404
    task.refresh_from_db()
    assert task.done_at is None
