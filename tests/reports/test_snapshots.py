"""Stored report figures refreshed on change: a change in the area (or a standard above it) refreshes them, a change
elsewhere or a mere reading does not; the entitlements of a date are stored the same way."""

from __future__ import annotations

import datetime

import pytest

from bangfu.common import clock
from bangfu.reports import snapshots

pytestmark = pytest.mark.django_db


def audit(action: str, path: str) -> None:
    from django.db import transaction

    from bangfu.audit.services import audit_log

    with transaction.atomic():
        audit_log(actor=None, action=action, object_type="household", object_id=1, area_path=path)


def test_what_refreshes_a_union_s_figures(area, users, orgs, make_household):
    user, nanjing = users["admin_province"], orgs["nanjing"]
    calls = []

    def figures():
        calls.append(1)
        return snapshots.report_figures(user=user, union=nanjing, year=2025).value["house"]["total"]["total"]

    stamp = snapshots.stamp(nanjing)
    assert figures() == 5
    make_household("g4")  # 无锡: not 南京's area
    audit("household.export", nanjing.path)  # a reading
    assert snapshots.stamp(nanjing) == stamp
    assert snapshots.report_figures(user=user, union=orgs["province"], year=2025).value["house"]["total"]["total"] == 7
    make_household("g1")  # 玄武某企业工会, under 南京
    assert snapshots.stamp(nanjing) != stamp
    assert figures() == 6
    stamp = snapshots.stamp(nanjing)
    audit("standard.set", orgs["province"].path)  # a standard for the whole province moves 南京's figures too
    assert snapshots.stamp(nanjing) != stamp


def test_a_stored_summary_is_read_without_computing(area, users, orgs, monkeypatch):
    from bangfu.reports import entitlements

    user, as_of = users["admin_province"], datetime.date(2025, 10, 1)
    first = snapshots.entitlement_figures(user=user, union=orgs["province"], as_of=as_of).value
    monkeypatch.setattr(entitlements, "entitlement_report", lambda **kw: pytest.fail("computed again"))
    again = snapshots.entitlement_figures(user=user, union=orgs["province"], as_of=as_of)
    assert again.fresh and again.value["total_cash"] == first["total_cash"]
    assert again.value["areas"][0]["households"] == 4
    with pytest.raises(pytest.fail.Exception):
        snapshots.entitlement_figures(user=user, union=orgs["province"], as_of=datetime.date(2025, 11, 1))


def test_after_a_change_the_stored_figures_are_shown_while_the_queue_computes_them(area, users, orgs, login,
                                                                                  make_household, monkeypatch):
    from bangfu.reports import tasks

    client = login(users["admin_province"])
    assert client.get("/reports/", {"year": 2025}).context["house"]["total"]["total"] == 6
    queued = []
    monkeypatch.setattr(tasks, "refresh_snapshot", lambda *args: queued.append(args))  # a worker not yet run
    make_household("g1")
    response = client.get("/reports/", {"year": 2025})
    assert response.context["house"]["total"]["total"] == 6 and not response.context["stored"].fresh
    assert "正在重新统计" in response.content.decode()
    assert queued == [("report", orgs["province"].pk, "2025")]
    monkeypatch.undo()
    tasks.refresh_snapshot(*queued[0])  # the worker
    response = client.get("/reports/", {"year": 2025})
    assert response.context["house"]["total"]["total"] == 7 and response.context["stored"].fresh


def test_the_first_entitlements_of_a_province_are_left_to_the_queue(area, users, orgs, login, monkeypatch):
    from bangfu.reports import tasks

    queued = []
    monkeypatch.setattr(tasks, "refresh_snapshot", lambda *args: queued.append(args))
    response = login(users["admin_province"]).get("/reports/entitlements/", {"as_of": "2025-10-01"})
    assert response.status_code == 200 and "正在按现行标准逐户测算" in response.content.decode()
    assert queued == [("entitlements", orgs["province"].pk, "2025-10-01")]


def test_figures_stored_in_another_format_are_neither_shown_nor_current(area, users, orgs, monkeypatch):
    """A release that changes the figures' shape raises FORMAT: rows of the earlier shape are computed anew, never
    read (a stale row of another shape would miss keys the page reads)."""
    from bangfu.reports.models import ReportSnapshot

    user, nanjing = users["admin_province"], orgs["nanjing"]
    snapshots.report_figures(user=user, union=nanjing, year=2025, background=False)
    ReportSnapshot.objects.filter(key=f"report:{nanjing.pk}:2025").update(data='{"house": "an older shape"}')
    assert isinstance(snapshots.report_figures(user=user, union=nanjing, year=2025).value["house"], str)  # current
    monkeypatch.setattr(snapshots, "FORMAT", str(int(snapshots.FORMAT) + 1))
    figures = snapshots.report_figures(user=user, union=nanjing, year=2025, background=False)
    assert figures.fresh and figures.value["house"]["total"]["total"] == 5


def test_stale_views_queue_one_refresh_per_change_and_again_once_overdue(area, users, orgs, login, make_household,
                                                                         monkeypatch):
    """Many views of stale figures, on any server and by any user, queue one job for the change they missed (the
    claim is a row of the database, not a process's memory); a job lost for longer than QUEUE_TIMEOUT is queued
    again."""
    from bangfu.reports import tasks
    from bangfu.reports.models import ReportSnapshot

    province, nanjing = login(users["admin_province"]), login(users["auditor_province"])
    assert province.get("/reports/", {"year": 2025}).status_code == 200  # computed and stored
    queued = []
    monkeypatch.setattr(tasks, "refresh_snapshot", lambda *args: queued.append(args))  # a worker not yet run
    make_household("g1")
    for client in (province, nanjing, province, nanjing):
        response = client.get("/reports/", {"year": 2025})
        assert not response.context["stored"].fresh
        assert client.get("/targets/", {"union": orgs["province"].pk, "year": 2025}).status_code == 200
    assert queued == [("report", orgs["province"].pk, "2025")]
    make_household("g3")  # another change: its own refresh
    for _ in range(3):
        province.get("/reports/", {"year": 2025})
    assert len(queued) == 2
    key = f"report:{orgs['province'].pk}:2025"
    ReportSnapshot.objects.filter(key=key).update(
        queued_at=clock.now() - snapshots.QUEUE_TIMEOUT - datetime.timedelta(minutes=1))  # that job was lost
    for _ in range(3):
        province.get("/reports/", {"year": 2025})
    assert len(queued) == 3
    monkeypatch.undo()
    tasks.refresh_snapshot(*queued[-1])  # the worker
    assert province.get("/reports/", {"year": 2025}).context["stored"].fresh


def test_the_first_entitlements_are_queued_once(area, users, orgs, login, monkeypatch):
    from bangfu.reports import tasks

    queued = []
    monkeypatch.setattr(tasks, "refresh_snapshot", lambda *args: queued.append(args))
    for user in ("admin_province", "auditor_province", "admin_province"):
        response = login(users[user]).get("/reports/entitlements/", {"as_of": "2025-10-01"})
        assert "正在按现行标准逐户测算" in response.content.decode()
    assert queued == [("entitlements", orgs["province"].pk, "2025-10-01")]


def test_figures_are_the_area_s_whoever_triggered_them(area, users, orgs, monkeypatch):
    """Stored figures are keyed by union and shown to whoever may see it, so they are computed as the area: a user
    whose own restrictions hide some rows (here 秦淮's, as a narrower role would) triggers the computation, and
    another user, and that user too, see the whole area's figures. A user outside the area reads nothing."""
    from bangfu.common.access import RestrictedQuerySet
    from bangfu.common.errors import NotFound

    narrow, other, nanjing = users["auditor_province"], users["admin_nanjing"], orgs["nanjing"]
    restrict = RestrictedQuerySet.restrict

    def narrower(self, user, action="view"):
        qs = restrict(self, user, action)
        if getattr(user, "pk", None) == narrow.pk:
            return qs.exclude(**{f"{self.model.area_path_field}__startswith": orgs["qinhuai"].path})
        return qs

    monkeypatch.setattr(RestrictedQuerySet, "restrict", narrower)
    mine = snapshots.report_figures(user=narrow, union=nanjing, year=2025).value  # the first view computes them
    theirs = snapshots.report_figures(user=other, union=nanjing, year=2025).value
    # 南京: h1, h2, h3 in 玄武 and h4, h5 in 秦淮; h1, h2, h4 archived
    assert theirs["house"]["total"]["total"] == mine["house"]["total"]["total"] == 5
    assert theirs["targets"]["figures"]["archived"] == 3 and theirs["flows"]["exits"] == 1
    with pytest.raises(NotFound):
        snapshots.report_figures(user=users["auditor_wuxi"], union=nanjing, year=2025)


def test_figures_of_a_job_started_before_the_stored_ones_do_not_replace_them(db):
    """Job A is queued for change 2 and is slow; job B, queued for change 3, starts later and stores first. A's
    figures, older than B's, are not stored over them (else every view would find them stale while the claim for
    change 3 is held: nothing queued for QUEUE_TIMEOUT); B's store released the claim it answered."""
    from bangfu.reports.models import ReportSnapshot

    key = "report:1:2025"
    snapshots.snapshot(key, "3/p/1", lambda: {"v": 1})
    assert snapshots.claim_refresh(key, "3/p/2")  # a view sees change 2: job A queued

    def job_a():  # B is queued, runs and stores while A computes
        assert snapshots.claim_refresh(key, "3/p/3")
        assert snapshots.snapshot(key, "3/p/3", lambda: {"v": 3}).value == {"v": 3}
        return {"v": 2}

    snapshots.snapshot(key, "3/p/2", job_a)
    queued = []
    found = snapshots.snapshot(key, "3/p/3", lambda: pytest.fail("computed again"), refresh=lambda: queued.append(1))
    assert found.value == {"v": 3} and found.fresh and queued == []
    row = ReportSnapshot.objects.get(key=key)
    assert row.queued_stamp == "" and row.queued_at is None
    found = snapshots.snapshot(key, "3/p/4", lambda: pytest.fail("computed in the request"),
                               refresh=lambda: queued.append(1))
    assert found.value == {"v": 3} and not found.fresh and queued == [1]  # the next change is queued at once


def test_a_release_changing_only_the_shipped_parameters_makes_stored_figures_stale(area, users, orgs, monkeypatch):
    """The stored entitlements and 低保 comparisons depend on the engine's YAML figures: a release that changes one
    (and nothing else, no audit row) gives another stamp, so they are computed again."""
    from bangfu.policy.parameters import Value, default_parameters
    from bangfu.reports import entitlements
    from bangfu.standards import selectors

    user, as_of = users["admin_province"], datetime.date(2025, 10, 1)
    snapshots.entitlement_figures(user=user, union=orgs["province"], as_of=as_of, background=False)
    before, dated = snapshots.stamp(orgs["province"]), snapshots.stamp(orgs["province"], dated=True)
    released = default_parameters().with_values(
        [("sync.dibao.standard", "320100", Value(datetime.date(2025, 1, 1), 2000.0, {"document": "下一版本"}))])
    monkeypatch.setattr(selectors, "default_parameters", lambda: released)
    selectors.shipped_fingerprint.cache_clear()
    try:
        assert snapshots.stamp(orgs["province"]) != before
        assert snapshots.stamp(orgs["province"], dated=True) != dated
        calls = []
        report = entitlements.entitlement_report
        monkeypatch.setattr(entitlements, "entitlement_report", lambda **kw: calls.append(1) or report(**kw))
        assert snapshots.entitlement_figures(user=user, union=orgs["province"], as_of=as_of, background=False).fresh
        assert calls == [1]
    finally:
        selectors.shipped_fingerprint.cache_clear()


def test_a_refresh_that_cannot_be_queued_releases_its_claim_and_the_page_still_works(area, users, orgs, login,
                                                                                     make_household, monkeypatch):
    """The queue is down (Redis): the report page shows the figures stored before, the claim is released (the next
    view tries again, not after QUEUE_TIMEOUT), and a report never computed is computed in the request."""
    from bangfu.reports import tasks
    from bangfu.reports.models import ReportSnapshot

    client = login(users["admin_province"])
    assert client.get("/reports/", {"year": 2025}).context["house"]["total"]["total"] == 6

    def down(*args):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks, "refresh_snapshot", down)
    make_household("g1")
    response = client.get("/reports/", {"year": 2025})
    assert response.status_code == 200 and response.context["house"]["total"]["total"] == 6
    assert not response.context["stored"].fresh
    row = ReportSnapshot.objects.get(key=f"report:{orgs['province'].pk}:2025")
    assert row.queued_stamp == "" and row.queued_at is None
    queued = []
    monkeypatch.setattr(tasks, "refresh_snapshot", lambda *args: queued.append(args))
    client.get("/reports/", {"year": 2025})
    assert queued == [("report", orgs["province"].pk, "2025")]
    monkeypatch.setattr(tasks, "refresh_snapshot", down)
    response = client.get("/reports/entitlements/", {"as_of": "2025-10-01"})  # the first: computed here
    assert response.status_code == 200 and response.context["stored"].fresh
    assert response.context["result"]["areas"][0]["households"] == 4
