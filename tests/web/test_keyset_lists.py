"""Keyset pagination of the long lists (issue 19 item 3): audit, alerts, ledger, imports, through the one home of the
code (bangfu.common.paging.keyset_page) that the household list uses too. Pages end exactly at their boundaries,
ties on the sort column are broken by the id, rows added while someone pages neither repeat nor vanish, the filters
stay, and a cursor from outside the user's area is no cursor."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from bangfu.audit.models import AuditEntry
from bangfu.audit.selectors import AUDIT_ORDER, audit_list
from bangfu.common import clock
from bangfu.common.paging import keyset_page
from bangfu.exchange.models import Alert, ImportJob, JobKind
from bangfu.ledger import services as ledger

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 11, 10, 12, 0, tzinfo=clock.ZONE)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def trail(orgs):
    """Seven audit rows of g1 at four moments (ties at the first two), and one of 无锡; newest first by (at, id)."""
    def row(minutes: int, area: str = "g1", action: str = "household.update") -> AuditEntry:
        return AuditEntry.objects.create(at=NOON + minutes * MINUTE, actor_name="caseworker_g1", action=action,
                                         object_type="household", object_id="1", area_path=orgs[area].path)

    made = [row(m) for m in (0, 0, 1, 1, 1, 2, 3)]
    row(5, area="g4")
    return sorted(made, key=lambda e: (e.at, e.id), reverse=True), row


def pks(rows) -> list[int]:
    return [r.pk for r in rows]


def walk(rows, order, per_page: int) -> list[list[int]]:
    pages, page = [], keyset_page(rows, order=order, per_page=per_page)
    while True:
        pages.append(pks(page.items))
        if page.after is None:
            return pages
        page = keyset_page(rows, order=order, per_page=per_page, page=page.page + 1, after=page.after)


def test_the_cursors_walk_every_row_once_across_ties(trail, users) -> None:
    expected, _ = trail
    rows = audit_list(user=users["admin_nanjing"])
    assert walk(rows, AUDIT_ORDER, 2) == [pks(expected[i:i + 2]) for i in (0, 2, 4, 6)]
    assert walk(rows, AUDIT_ORDER, 3) == [pks(expected[0:3]), pks(expected[3:6]), pks(expected[6:7])]
    # Ascending order over the same rows: the comparisons turn round.
    assert sum(walk(rows, ("at", "id"), 3), []) == pks(reversed(expected))


def test_going_back_gives_the_same_pages(trail, users) -> None:
    expected, _ = trail
    rows = audit_list(user=users["admin_nanjing"])
    last = keyset_page(rows, order=AUDIT_ORDER, per_page=2, page=4, after=expected[5].pk)
    assert pks(last.items) == pks(expected[6:7]) and last.after is None and last.before == expected[6].pk
    back = keyset_page(rows, order=AUDIT_ORDER, per_page=2, page=3, before=last.before)
    assert pks(back.items) == pks(expected[4:6]) and back.after == expected[5].pk
    first = keyset_page(rows, order=AUDIT_ORDER, per_page=2, page=1, before=expected[2].pk)
    assert pks(first.items) == pks(expected[0:2]) and first.before is None


def test_rows_added_while_paging_neither_repeat_nor_vanish(trail, users) -> None:
    expected, row = trail
    rows = audit_list(user=users["admin_nanjing"])
    first = keyset_page(rows, order=AUDIT_ORDER, per_page=3)
    row(10), row(11)  # newer than everything: they belong before page 1
    row(1)  # at the cursor's own moment but a higher id: before the cursor, not after it
    second = keyset_page(rows, order=AUDIT_ORDER, per_page=3, page=2, after=first.after)
    assert pks(second.items) == pks(expected[3:6])
    offset = keyset_page(rows, order=AUDIT_ORDER, per_page=3, page=2)  # what offset paging would have shown
    assert pks(offset.items) != pks(expected[3:6])


def test_a_cursor_outside_the_area_is_no_cursor(trail, orgs, users) -> None:
    expected, _ = trail
    outside = AuditEntry.objects.get(area_path=orgs["g4"].path)
    rows = audit_list(user=users["admin_nanjing"])
    page = keyset_page(rows, order=AUDIT_ORDER, per_page=2, page=2, after=outside.pk)
    assert pks(page.items) == pks(expected[2:4])  # page 2 by offset: the cursor told nothing
    assert keyset_page(audit_list(user=users["auditor_wuxi"]), order=AUDIT_ORDER, after=expected[0].pk).items == [
        outside]


def test_the_total_is_of_the_rows_counted_when_given(trail, users) -> None:
    """`counted`: the same rows without what only the page needs, cheaper to count; the total is theirs."""
    rows = audit_list(user=users["admin_nanjing"])
    page = keyset_page(rows, order=AUDIT_ORDER, per_page=2, counted=rows.filter(pk__in=[r.pk for r in rows[:3]]))
    assert page.total == 3 and len(page.items) == 2 and page.pages == 2


def test_an_order_must_end_with_the_id(trail, users) -> None:
    with pytest.raises(ValueError):
        keyset_page(audit_list(user=users["admin_nanjing"]), order=("-at",))


def test_the_audit_page_and_api_carry_the_cursor_and_the_filters(trail, login, users, monkeypatch) -> None:
    from bangfu.web.views import admin_pages

    expected, _ = trail
    monkeypatch.setattr(admin_pages, "AUDIT_PER_PAGE", 3)
    client = login(users["auditor_province"])
    url = reverse("web:audit_log")
    body = client.get(url, {"action": "household.update", "object_type": "household"}).content.decode()
    assert "page=2&amp;after=" in body and "action=household.update" in body
    body = client.get(url, {"action": "household.update", "page": 2, "after": expected[2].pk}).content.decode()
    assert f"page=1&amp;before={expected[3].pk}" in body and f"page=3&amp;after={expected[5].pk}" in body
    api = client.get("/api/v1/audit", {"per_page": 3, "action": "household.update"}).json()
    assert api["total"] == 8 and api["next_after"] is not None and api["previous_before"] is None
    second = client.get("/api/v1/audit", {"per_page": 3, "page": 2, "after": api["next_after"],
                                          "action": "household.update"}).json()
    everyone = pks(AuditEntry.objects.filter(action="household.update").order_by(*AUDIT_ORDER))  # 无锡's first
    assert [e["id"] for e in api["items"] + second["items"]] == everyone[:6]


def test_the_alerts_page_and_api(make_household, login, users, monkeypatch) -> None:
    from bangfu.web.views import verification

    monkeypatch.setattr(verification, "ALERTS_PER_PAGE", 2)
    households = [make_household("g1") for _ in range(3)]
    alerts = [Alert.objects.create(household=households[i % 3], kind="death", key=f"k{i}", message=f"预警{i}",
                                   created_at=NOON + (i // 2) * MINUTE) for i in range(5)]  # ties in pairs
    expected = sorted(alerts, key=lambda a: (a.created_at, a.id), reverse=True)
    client = login(users["caseworker_g1"])
    body = client.get(reverse("web:alert_list"), {"kind": "death", "state": "open"}).content.decode()
    assert f"page=2&amp;after={expected[1].pk}" in body and "kind=death" in body
    body = client.get(reverse("web:alert_list"), {"kind": "death", "page": 2, "after": expected[1].pk}).content.decode()
    assert all(f"预警{alerts.index(a)}" in body for a in expected[2:4]) and f"after={expected[3].pk}" in body
    pages, query = [], {"per_page": 2}
    while True:
        got = client.get("/api/v1/exchange/alerts", query).json()
        pages.append([a["id"] for a in got["items"]])
        if got["next_after"] is None:
            break
        query = {"per_page": 2, "after": got["next_after"]}
    assert pages == [pks(expected[0:2]), pks(expected[2:4]), pks(expected[4:5])]


def test_the_ledger_entries_and_requests(make_household, drive, login, users) -> None:
    household = make_household("g1")
    drive(household, "archived")
    household.refresh_from_db()
    days = [3, 1, 3, 2, 1]  # paid_on out of id order, with ties
    entries = []
    for i, day in enumerate(days):
        request, _ = ledger.ledger_request_payment(actor=users["caseworker_g1"], household=household,
                                                   amount=f"{100 + i}.00", fund_source="fiscal",
                                                   paid_on=datetime.date(2026, 11, day), description=f"慰问{i}")
        entries.append(ledger.ledger_approve(actor=users["reviewer_xuanwu"], ledger_request=request)[0])
    expected = pks(sorted(entries, key=lambda e: (e.paid_on, e.id)))
    client = login(users["reviewer_xuanwu"])
    pages, query = [], {"per_page": 2, "year": 2026}
    while True:
        got = client.get("/api/v1/ledger/entries", query).json()
        pages.append([e["id"] for e in got["items"]])
        if got["next_after"] is None:
            break
        query = {"per_page": 2, "year": 2026, "after": got["next_after"]}
    assert pages == [expected[0:2], expected[2:4], expected[4:5]]
    back = client.get("/api/v1/ledger/entries", {"per_page": 2, "before": expected[4]}).json()
    assert [e["id"] for e in back["items"]] == expected[2:4]
    requests = client.get("/api/v1/ledger/requests", {"per_page": 3}).json()
    assert requests["total"] == 5 and requests["next_after"] == requests["items"][2]["id"]


def test_the_approval_queue_pages_oldest_first(make_household, drive, login, users, monkeypatch) -> None:
    from bangfu.web.views import ledger_pages

    monkeypatch.setattr(ledger_pages, "QUEUE_PER_PAGE", 2)
    household = make_household("g1")
    drive(household, "archived")
    household.refresh_from_db()
    made = [ledger.ledger_request_payment(actor=users["caseworker_g1"], household=household, amount="50.00",
                                          fund_source="fiscal", paid_on=clock.today(), description=f"慰问{i}")[0]
            for i in range(3)]
    client = login(users["reviewer_xuanwu"])
    body = client.get(reverse("web:ledger_requests")).content.decode()
    assert "慰问0" in body and "慰问1" in body and "慰问2" not in body and f"after={made[1].pk}" in body
    body = client.get(reverse("web:ledger_requests"), {"page": 2, "after": made[1].pk}).content.decode()
    assert "慰问2" in body and "慰问1" not in body and f"before={made[2].pk}" in body


def test_the_imports_page_and_api(orgs, login, users, monkeypatch) -> None:
    from bangfu.web.views import exchange

    monkeypatch.setattr(exchange, "RECENT", 2)
    jobs = [ImportJob.objects.create(kind=JobKind.HOUSEHOLDS, union=orgs["g1"], original_name=f"第{i}批.xlsx",
                                     created_by=users["caseworker_g1"]) for i in range(5)]
    newest = pks(reversed(jobs))
    client = login(users["caseworker_g1"])
    body = client.get(reverse("web:imports")).content.decode()
    assert "第4批" in body and "第3批" in body and "第2批" not in body and f"page=2&amp;after={newest[1]}" in body
    body = client.get(reverse("web:imports"), {"page": 3, "after": newest[3]}).content.decode()
    assert "第0批" in body and "第1批" not in body and f"page=2&amp;before={newest[4]}" in body
    first = client.get("/api/v1/exchange/jobs", {"per_page": 2}).json()
    second = client.get("/api/v1/exchange/jobs", {"per_page": 2, "after": first["next_after"]}).json()
    assert [j["id"] for j in first["items"] + second["items"]] == newest[:4]
