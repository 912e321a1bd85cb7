"""Transactional tests may record ledger entries: the shared fixture (tests/conftest.py) empties the ledger before
the flush, which the append-only triggers would otherwise refuse on SQLite, and leaves the triggers in place."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from bangfu.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db(transaction=True)


def refused(sql: str, params: list) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as exc:
        return "append-only" in str(exc)
    return False


@pytest.mark.parametrize("run", [1, 2])  # the second run finds a flushed database and the triggers back
def test_a_transactional_test_records_entries_and_the_triggers_hold(household, pay, run):
    assert not LedgerEntry.objects.exists()
    entry = pay(household, "120.50")
    assert refused("UPDATE ledger_ledgerentry SET amount = 1 WHERE id = %s", [entry.pk])
    assert refused("DELETE FROM ledger_ledgerentry WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.get().amount == entry.amount
