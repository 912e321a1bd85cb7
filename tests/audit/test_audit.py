"""The audit trail: written with the change, from the request's origin, never changed or deleted."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.sites import site
from django.db import transaction

from bangfu.audit.admin import AuditEntryAdmin
from bangfu.audit.models import AuditEntry, AuditImmutable
from bangfu.audit.selectors import audit_list
from bangfu.audit.services import audit_log, audit_log_many
from bangfu.common import clock
from bangfu.common.errors import AccessDenied, ValidationFailed
from bangfu.registry import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(users):
    with transaction.atomic():
        return audit_log(actor=users["caseworker_g1"], action="household.update", object_type="household",
                         object_id=1, area_path="320000/320100/320102/320102-0001/", after={"x": 1})


def test_rows_cannot_be_changed_or_deleted(entry):
    entry.action = "household.delete"
    with pytest.raises(AuditImmutable):
        entry.save()
    with pytest.raises(AuditImmutable):
        entry.delete()
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "household.update"


def test_the_admin_refuses_add_change_and_delete(entry, rf, users):
    admin = AuditEntryAdmin(AuditEntry, site)
    request = rf.get("/")
    request.user = users["admin_province"]
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, entry)
    assert not admin.has_delete_permission(request, entry)


@pytest.mark.django_db(transaction=True)
def test_audit_log_must_run_inside_the_services_transaction(users):
    with pytest.raises(RuntimeError):
        audit_log(actor=users["caseworker_g1"], action="x", object_type="y", area_path="320000/")
    with pytest.raises(RuntimeError):
        audit_log_many(actor=None, action="x", object_type="y", rows=[{"object_id": 1, "area_path": "320000/"}])


def test_rows_in_bulk_are_the_rows_one_at_a_time(users):
    """Importers and scans write many rows at once; each reads as the single row would, a scan's as the system's."""
    area = "320000/320100/320102/320102-0001/"
    with transaction.atomic():
        single = audit_log(actor=users["caseworker_g1"], action="household.import", object_type="household",
                           object_id=7, area_path=area, after={"job": 3, "at": datetime.date(2026, 1, 2)})
        assert audit_log_many(actor=users["caseworker_g1"], action="household.import", object_type="household",
                              rows=[{"object_id": 7, "area_path": area,
                                     "after": {"job": 3, "at": datetime.date(2026, 1, 2)}}]) == 1
        assert audit_log_many(actor=None, action="exchange.alert_raise", object_type="household",
                              rows=[{"object_id": 8, "area_path": area, "after": {"alert": 1}}]) == 1
    bulk = AuditEntry.objects.filter(object_id="7").exclude(pk=single.pk).get()
    fields = ("actor_id", "actor_name", "action", "object_type", "object_id", "area_path", "before", "after")
    assert [getattr(bulk, f) for f in fields] == [getattr(AuditEntry.objects.get(pk=single.pk), f) for f in fields]
    scan = AuditEntry.objects.get(object_id="8")
    assert scan.actor is None and scan.actor_name == "system" and scan.after == {"alert": 1}


def test_a_failed_service_leaves_no_audit_row(make_household, users):
    household = make_household()
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed):
        services.household_update(actor=users["caseworker_g1"], household=household, data={"phone": "bad"},
                                  version=household.version)
    assert AuditEntry.objects.count() == before


def test_auditors_see_their_area_and_filter(make_household, users):
    make_household("g1")
    make_household("g4")
    everything = audit_list(user=users["auditor_province"])
    wuxi = audit_list(user=users["auditor_wuxi"])
    assert wuxi.count() == 4 and everything.count() >= 8
    assert {e.area_path.split("/")[1] for e in wuxi} == {"320200"}
    assert audit_list(user=users["auditor_province"], action="household.create").count() == 2
    assert audit_list(user=users["auditor_province"], actor="caseworker_g4").count() == 4
    today = clock.today()
    assert audit_list(user=users["auditor_province"], since=today + datetime.timedelta(days=2)).count() == 0
    household_id = str(wuxi.filter(object_type="household").first().object_id)
    assert audit_list(user=users["auditor_wuxi"], object_type="household", object_id=household_id).count() == 1


@pytest.mark.parametrize("who", ["caseworker_g1", "reviewer_xuanwu", "officer"])
def test_others_cannot_read_the_audit_trail(users, who):
    with pytest.raises(AccessDenied):
        audit_list(user=users[who])


def test_the_database_refuses_update_and_delete_in_sql(entry):
    """Triggers (audit/db.py), as the ledger has: not even SQL typed at a console changes history."""
    from django.db import DatabaseError, connection, transaction

    for sql in ("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", "DELETE FROM audit_auditentry WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "household.update"
