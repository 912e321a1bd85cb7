"""What-if: a draft 低保 standard simulated over the live archive, saved for the union, turned into a standard
by one administrator and approved by another; the re-computation follows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from bangfu.audit.models import AuditEntry
from bangfu.common.errors import ValidationFailed
from bangfu.reports import whatif as w
from bangfu.reports.models import Recomputation

pytestmark = pytest.mark.django_db
START = datetime.date(2025, 11, 1)
DRAFT = {"parameter": "sync.dibao.standard", "region_code": "320100", "start": START, "value": Decimal("1050")}


@pytest.fixture
def unable(make_household, build):
    from bangfu.cases.models import Case
    from bangfu.registry.models import Household

    h = make_household("g1", members=[build.member("self", region="320100", work_ability="none")])
    Household.objects.filter(pk=h.pk).update(status="archived", verified_category="extreme_hardship")
    Case.objects.create(household=h, state="archived", category="extreme_hardship",
                        archived_on=datetime.date(2025, 1, 2), next_review_on=datetime.date(2026, 1, 2))
    return h


def test_a_draft_changes_nothing_and_reports_the_cost(area, unable, users):
    from bangfu.standards.models import StandardValue

    summary = w.whatif_simulate(user=users["admin_nanjing"], **DRAFT)
    assert summary["households"] == 4 and summary["counts"]["up"] >= 1
    assert Decimal(summary["by_benefit"]["living.minimum_living_guarantee"]) >= Decimal("1800.00")
    assert Decimal(summary["cost_change"]) == Decimal(summary["cost_after"]) - Decimal(summary["cost_before"])
    assert sum(d["households"] for d in summary["distribution"]) == summary["changed"]
    assert sum(d["households"] for d in summary["deciles"]) == summary["households"]
    assert sum(Decimal(d["change"]) for d in summary["deciles"]) == Decimal(summary["cost_change"])
    assert max(Decimal(d["change"]) for d in summary["deciles"]) >= Decimal("1800.00")
    assert not StandardValue.objects.exists()
    # a caseworker of g1 simulates over their own union only
    assert w.whatif_simulate(user=users["caseworker_g1"], **DRAFT)["households"] == 3
    with pytest.raises(ValidationFailed):
        w.whatif_simulate(user=users["admin_nanjing"], **{**DRAFT, "parameter": "no.such"})


def test_saved_shared_proposed_and_approved_by_a_second_administrator(
        area, unable, users, login, django_capture_on_commit_callbacks):
    row = w.whatif_save(actor=users["admin_nanjing"], name="南京低保1050", **DRAFT)
    assert AuditEntry.objects.filter(action="whatif.save", object_id=str(row.pk)).exists()
    assert row in w.whatif_list(user=users["admin_province"]) and row not in w.whatif_list(user=users["auditor_wuxi"])
    page = login(users["admin_nanjing"]).post(f"/reports/whatif/{row.pk}/propose/", {"document": "宁民发〔2025〕1号"})
    assert page.status_code == 302
    row.refresh_from_db()
    assert row.request is not None and row.request.requested_by == users["admin_nanjing"]
    with django_capture_on_commit_callbacks(execute=True):
        login(users["admin_province"]).post(f"/standards/requests/{row.request_id}/approve/", {"reason": ""})
    run = Recomputation.objects.get(request=row.request)
    assert run.summary["cost_change"] == row.summary["cost_change"]  # the draft's bill is the standard's bill


def test_the_page_simulates_saves_and_refuses_bad_input(area, unable, users, login):
    client = login(users["admin_nanjing"])
    assert client.get("/reports/whatif/").status_code == 200
    form = {"name": "南京低保1050", "parameter": "sync.dibao.standard", "region_code": "320100",
            "start": "2025-11-01", "value": "1050"}
    response = client.post("/reports/whatif/", {**form, "simulate": "1"})
    assert response.status_code == 200 and response.context["summary"]["changed"] >= 1
    response = client.post("/reports/whatif/", {**form, "save": "1"})
    assert response.status_code == 302
    bad = client.post("/reports/whatif/", {**form, "value": "很多", "simulate": "1"})
    assert bad.status_code == 422 and "数值" in bad.content.decode()
    wrong_place = client.post("/reports/whatif/", {**form, "region_code": "320200", "simulate": "1"})
    assert wrong_place.status_code == 422
