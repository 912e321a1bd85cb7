"""The programme pages at a constant number of SQL queries however many programmes, rounds and lines (issue 19
item 2): the list, a programme, a round (both tabs), its sign sheet, and a household's payee page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangfu.programmes import services
from bangfu.programmes.models import Line

pytestmark = pytest.mark.django_db
MORE = 3


def queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def assert_same(first: list[str], second: list[str]) -> None:
    assert len(second) == len(first), f"{len(first)} then {len(second)} queries:\n" + "\n".join(second)


@pytest.mark.parametrize("role", ["caseworker_xuanwu", "admin_nanjing", "admin_province", "auditor_province"])
def test_the_programme_list_and_a_programme(role, login, staff, prepared, warmth, orgs, today) -> None:
    client = login(staff[role])
    listing, one = queries(client, "/programmes/"), queries(client, f"/programmes/{warmth.pk}/")
    for i in range(MORE):
        other = services.programme_create(actor=staff["admin_nanjing"], union=orgs["nanjing"], name=f"2026年助学{i}",
                                          kind="send_warmth", fund_source="union_funds", budget="1000",
                                          bank_format=warmth.bank_format)
        services.round_create(actor=staff["caseworker_xuanwu"], programme=other, union=orgs["xuanwu"], paid_on=today)
        services.round_create(actor=staff["caseworker_xuanwu"], programme=warmth, union=orgs["xuanwu"], paid_on=today,
                              title=f"第{i}批")
    assert_same(listing, queries(client, "/programmes/"))
    assert_same(one, queries(client, f"/programmes/{warmth.pk}/"))


def test_the_sign_sheet_and_the_payee_page(login, staff, prepared, area, make_household, archive, with_payee) -> None:
    client = login(staff["caseworker_xuanwu"])
    services.round_prepare(actor=staff["caseworker_xuanwu"], round_=prepared, version=prepared.version)
    prepared.refresh_from_db()
    household = area["a"]
    sheet, payee = queries(client, f"/rounds/{prepared.pk}/sign-sheet/"), queries(
        client, f"/households/{household.pk}/payee/")
    for _ in range(MORE):
        with_payee(archive(make_household()))
    services.round_prepare(actor=staff["caseworker_xuanwu"], round_=prepared, version=prepared.version)
    assert Line.objects.filter(round=prepared, included=True).count() == 3 + MORE
    assert_same(sheet, queries(client, f"/rounds/{prepared.pk}/sign-sheet/"))
    # The household's lines on its payee page: one per round it is in.
    second = services.round_create(actor=staff["caseworker_xuanwu"], programme=prepared.programme,
                                   union=prepared.union, paid_on=prepared.paid_on, title="第二批")
    services.round_prepare(actor=staff["caseworker_xuanwu"], round_=second, version=second.version)
    assert_same(payee, queries(client, f"/households/{household.pk}/payee/"))
