"""Each page runs the same number of SQL queries with one row and with several (issue 19): no query per row.

Every test loads the page once with one row of what it lists, adds rows, and loads it again; the counts must be equal.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.cases.models import Case
from bangfu.cases.parameters import add_months
from bangfu.common import clock
from bangfu.exchange.models import Alert
from bangfu.ledger import services as ledger
from bangfu.registry.models import Household, IncomeRecord

pytestmark = pytest.mark.django_db
TODAY = clock.today()
MORE = 3  # rows added between the two loads
# The household file's whole request: the user read with their organisation, the session from the cache (16 before),
# the area's last change (the cards' key: 14 before the cards were kept); with the cards kept (nothing changed in the
# area since they were rendered), the user, the household, the area's last change and the case panel's three; when
# they are rendered, the household read again after the area's last change (a change saved in between is not kept).
FILE_QUERIES, KEPT_FILE_QUERIES = 16, 6


def queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def assert_same(first: list[str], second: list[str]) -> None:
    assert len(second) == len(first), f"{len(first)} then {len(second)} queries:\n" + "\n".join(second)


@pytest.fixture
def for_review(make_household, drive):
    """A household in review with eight months of wages above its line (an exit suggestion) and one overdue."""
    first_month = add_months(TODAY.replace(day=1), -8)

    def make(earning: bool = True):
        household = make_household("g1")
        case = drive(household, "review")
        for i in range(8 if earning else 0):
            IncomeRecord.objects.create(household=household, month=add_months(first_month, i), source="wages",
                                        amount=Decimal("30000"))
        Case.objects.filter(pk=case.pk).update(next_review_on=TODAY - datetime.timedelta(days=1))
        return household

    return make


@pytest.mark.parametrize("role", ["caseworker_g1", "reviewer_xuanwu", "admin_nanjing", "admin_province",
                                  "auditor_province"])
def test_the_start_page(role, login, users, for_review) -> None:
    for_review()
    client = login(users[role])
    first = queries(client, reverse("web:home"))
    for _ in range(MORE):
        for_review()
    second = queries(client, reverse("web:home"))
    assert_same(first, second)
    assert sum("standards_standardvalue" in q and "COUNT" in q.upper() for q in second) <= 1


def test_the_start_page_when_no_household_earns_enough(login, users, for_review) -> None:
    """Then each suggestion asks the engine whether anyone can work (解困): still no query per household."""
    for_review(earning=False)
    client = login(users["reviewer_xuanwu"])
    first = queries(client, reverse("web:home"))
    for _ in range(MORE):
        for_review(earning=False)
    assert_same(first, queries(client, reverse("web:home")))


@pytest.mark.parametrize("role", ["reviewer_xuanwu", "admin_province"])
def test_targets(role, login, users, make_household, drive, monkeypatch) -> None:
    """The page reads the report's stored figures (no income of the archive read per view): the same queries with
    more households, fresh or stale (the stored ones shown while a job, not yet run here, computes them again)."""
    from bangfu.reports import snapshots, tasks

    monkeypatch.setattr(tasks, "refresh_snapshot", lambda *args: None)  # a worker not yet run
    user = users[role]

    def refreshed() -> None:  # what the worker does
        snapshots.report_figures(user=user, union=user.organisation, year=TODAY.year, background=False)

    drive(make_household("g1"), "archived")
    client = login(user)
    refreshed()
    client.get(reverse("web:targets"))  # the area's unions into the process's memory (`filter_choices`)
    first = queries(client, reverse("web:targets"))
    stale = []
    for _ in range(2):
        for _ in range(MORE):
            drive(make_household("g1"), "archived")
        stale.append(queries(client, reverse("web:targets")))
    assert_same(stale[0], stale[1])
    refreshed()
    assert_same(first, queries(client, reverse("web:targets")))


def test_the_household_file(login, users, make_household, drive, build) -> None:
    def file_of(children: int) -> str:
        household = make_household("g1", members=[build.member("self", region="320100")] + [
            build.member("child", born=datetime.date(2012 + i, 1, 1), region="320100", employment="student",
                         school_stage="primary", school_year=1, school_institution="public")
            for i in range(children)])
        drive(household, "helping")
        for i in range(children + 1):
            IncomeRecord.objects.create(household=household, month=add_months(TODAY.replace(day=1), -1 - i),
                                        source="wages", amount=Decimal("1000"))
        return reverse("web:household_detail", args=[household.pk])

    client = login(users["caseworker_g1"])
    few, more = file_of(1), file_of(1 + MORE)
    first = queries(client, few)
    assert_same(first, queries(client, more))
    # The page a caseworker opens most (issue 19): the household, its case and each card read once, the household's
    # area checked in memory after that (32 before the cards stopped reading the household again; 16 before the
    # session came from the cache and the user with their organisation).
    assert len(first) <= FILE_QUERIES, "\n".join(first)
    kept = queries(client, few)  # nothing changed in the area since its cards were rendered
    assert_same(kept, queries(client, more))
    assert len(kept) <= KEPT_FILE_QUERIES, "\n".join(kept)


def test_the_household_list(login, users, make_household) -> None:
    make_household("g1")
    client = login(users["caseworker_g1"])
    first = queries(client, reverse("web:household_list"))
    for _ in range(MORE):
        make_household("g1")
    assert_same(first, queries(client, reverse("web:household_list")))


def test_the_ledger(login, users, make_household, drive) -> None:
    household = make_household("g1")
    drive(household, "archived")
    household.refresh_from_db()

    def pay():
        request, _ = ledger.ledger_request_payment(actor=users["caseworker_g1"], household=household,
                                                   amount="300.10", fund_source="fiscal", paid_on=TODAY,
                                                   description="助学金")
        ledger.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=request)

    pay()
    client = login(users["reviewer_xuanwu"])
    first = [queries(client, reverse(name)) for name in ("web:union_ledger", "web:ledger_requests")]
    for _ in range(MORE):
        pay()
    second = [queries(client, reverse(name)) for name in ("web:union_ledger", "web:ledger_requests")]
    for a, b in zip(first, second, strict=True):
        assert_same(a, b)


def test_the_alerts(login, users, make_household) -> None:
    def alert(i: int) -> None:
        Alert.objects.create(household=make_household("g1"), kind="death", key=f"k{i}", message="民政部门报告某某已死亡")

    alert(0)
    client = login(users["caseworker_g1"])
    first = queries(client, reverse("web:alert_list"))
    for i in range(MORE):
        alert(i + 1)
    assert_same(first, queries(client, reverse("web:alert_list")))


def test_the_audit_log(login, users, make_household) -> None:
    make_household("g1")
    client = login(users["auditor_province"])
    first = queries(client, reverse("web:audit_log"))
    for _ in range(MORE):
        make_household("g1")
    assert_same(first, queries(client, reverse("web:audit_log")))


def test_the_print_leaflet_report_and_entitlements_of_a_file(login, users, make_household, drive, build) -> None:
    def pages_of(children: int) -> list[str]:
        household = make_household("g1", members=[build.member("self", region="320100")] + [
            build.member("child", born=datetime.date(2012 + i, 1, 1), region="320100", employment="student",
                         school_stage="primary", school_year=1, school_institution="public")
            for i in range(children)])
        drive(household, "helping")
        return [reverse(name, args=[household.pk]) for name in (
            "web:household_print", "web:household_leaflet", "web:verification_report", "web:household_entitlements",
            "web:household_ledger", "web:household_payee")]

    client = login(users["caseworker_g1"])
    for few, more in zip(pages_of(1), pages_of(1 + MORE), strict=True):
        assert_same(queries(client, few), queries(client, more))


@pytest.mark.parametrize("name", ["web:audit_log", "web:alert_list", "web:household_list"])
def test_a_deep_page_by_cursor_costs_what_the_first_does(name, login, users, make_household, monkeypatch) -> None:
    """Keyset pages: the page after a cursor at the same cost as the first (one more query at most, to read the
    cursor row's sort values), whatever the rows before it."""
    from bangfu.audit.models import AuditEntry

    for i in range(2 + MORE):
        household = make_household("g1")
        Alert.objects.create(household=household, kind="death", key=f"k{i}", message="民政部门报告某某已死亡")
    user = users["auditor_province"] if name == "web:audit_log" else users["caseworker_g1"]
    client = login(user)
    model = {"web:audit_log": AuditEntry, "web:alert_list": Alert, "web:household_list": Household}[name]
    ids = sorted(model.objects.values_list("pk", flat=True), reverse=True)
    client.get(reverse(name))  # the household list's filter choices into the process's memory (`filter_choices`)
    first = queries(client, reverse(name))
    deep = queries(client, reverse(name) + f"?page=2&after={ids[1]}")
    deeper = queries(client, reverse(name) + f"?page=3&after={ids[3]}")
    assert len(first) <= len(deep) <= len(first) + 1
    assert_same(deep, deeper)


def test_the_imports_and_users_pages(login, users, orgs, make_user) -> None:
    from bangfu.exchange.models import ImportJob, JobKind

    def job(i: int) -> None:
        ImportJob.objects.create(kind=JobKind.HOUSEHOLDS, union=orgs["g1"], original_name=f"{i}.xlsx",
                                 created_by=users["caseworker_g1"])

    job(0)
    client = login(users["caseworker_g1"])
    first = queries(client, reverse("web:imports"))
    for i in range(MORE):
        job(i + 1)
    assert_same(first, queries(client, reverse("web:imports")))
    client = login(users["admin_province"])
    first = queries(client, reverse("web:user_list"))
    for i in range(MORE):
        make_user("caseworker", "g2", f"cw-more-{i}")
    assert_same(first, queries(client, reverse("web:user_list")))
