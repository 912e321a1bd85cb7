"""Every report page runs the same number of SQL queries however many rows it shows (issue 19 item 2); the annual
report itself is pinned in test_report_pages.py. Each test loads the page, adds rows, and loads it again."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangfu.reports.models import Recomputation, RecomputedHousehold, WhatIf
from bangfu.standards import services

pytestmark = pytest.mark.django_db
MORE = 3


def queries(client, url: str, params: dict | None = None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def assert_same(first: list[str], second: list[str]) -> None:
    assert len(second) == len(first), f"{len(first)} then {len(second)} queries:\n" + "\n".join(second)


def archived(make_household, union: str = "g1"):
    from bangfu.cases.models import Case
    from bangfu.registry.models import Household

    h = make_household(union)
    Household.objects.filter(pk=h.pk).update(status="archived", verified_category="hardship")
    Case.objects.create(household=h, state="archived", category="hardship", archived_on=datetime.date(2025, 1, 2),
                        next_review_on=datetime.date(2026, 1, 2))
    return h


def test_the_entitlements_report(area, users, login, make_household) -> None:
    client = login(users["admin_nanjing"])
    params = {"as_of": "2025-10-01"}
    queries(client, "/reports/entitlements/", params)  # the standards cache warmed, the figures stored
    stored = queries(client, "/reports/entitlements/", params)
    archived(make_household)  # a change: the next view refreshes the stored figures (the job runs at once in tests)
    first = queries(client, "/reports/entitlements/", params)
    for _ in range(MORE):
        archived(make_household)
    assert_same(first, queries(client, "/reports/entitlements/", params))  # refreshing: constant in the rows
    assert_same(stored, queries(client, "/reports/entitlements/", params))  # stored again: as cheap as before


@pytest.fixture
def recompute(users, orgs):
    """`recompute(households)`: a finished re-computation of 南京 with those households changed."""
    starts = iter(datetime.date(2025, 1 + i, 1) for i in range(12))

    def run(households) -> Recomputation:
        request = services.standard_request_propose(
            actor=users["admin_nanjing"], parameter="sync.dibao.standard", region_code="320100", start=next(starts),
            value=Decimal("1050"), document="宁民发〔2025〕1号")
        row = Recomputation.objects.create(request=request, as_of=request.start, area_path=orgs["nanjing"].path,
                                           state="done", households=len(households),
                                           summary={"counts": {"up": len(households)}})
        for h in households:
            RecomputedHousehold.objects.create(recomputation=row, household=h, union=h.union, kind="up",
                                               cash_before=Decimal("0"), cash_after=Decimal("1800.00"),
                                               gained=["living.minimum_living_guarantee"])
        return row

    return run


@pytest.mark.parametrize("role", ["caseworker_g1", "admin_nanjing"])
def test_the_recomputations_and_their_task_lists(role, area, users, login, make_household, recompute) -> None:
    one = recompute([area["h1"]])
    client = login(users[role])
    listing, detail = queries(client, "/reports/recomputations/"), queries(client, f"/reports/recomputations/{one.pk}/")
    more = recompute([area["h1"], area["h2"], *(archived(make_household) for _ in range(MORE))])
    for _ in range(MORE):
        recompute([area["h2"]])
    assert_same(listing, queries(client, "/reports/recomputations/"))
    assert_same(detail, queries(client, f"/reports/recomputations/{more.pk}/"))


def test_the_whatif_pages(area, users, orgs, login) -> None:
    def saved(i: int) -> WhatIf:
        return WhatIf.objects.create(name=f"方案{i}", parameter="sync.dibao.standard", region_code="320100",
                                     start=datetime.date(2025, 11, 1), value=Decimal(1000 + i),
                                     area_path=orgs["nanjing"].path, created_by=users["admin_nanjing"],
                                     summary={"households": 3 + i})

    first_row = saved(0)
    client = login(users["admin_nanjing"])
    listing, detail = queries(client, "/reports/whatif/"), queries(client, f"/reports/whatif/{first_row.pk}/")
    rows = [saved(i + 1) for i in range(MORE)]
    assert_same(listing, queries(client, "/reports/whatif/"))
    assert_same(detail, queries(client, f"/reports/whatif/{rows[-1].pk}/"))
