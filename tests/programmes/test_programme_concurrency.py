"""Two reconciliations of the same return file at once on PostgreSQL: every line is paid exactly once."""

from __future__ import annotations

import pytest
from concurrency import at_once
from django.db import connection
from programme_helpers import approve, return_csv

from bangfu.common.errors import DomainError
from bangfu.ledger.models import LedgerEntry
from bangfu.programmes import services
from bangfu.programmes.models import Line, LineState

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and real concurrency: PostgreSQL only"),
]


def test_two_reconciliations_of_one_file_pay_once(prepared, staff):
    round_ = approve(prepared, staff)
    content = return_csv(round_, {})
    # the second may find the round completed
    records = at_once(lambda _i: services.round_reconcile(actor=staff["caseworker_xuanwu"], round_=round_,
                                                          content=content, file_name="back.csv"),
                      2, allowed=(DomainError,))
    assert sum(r.paid for r in records) == 3
    assert LedgerEntry.objects.count() == 3
    assert Line.objects.filter(round=round_, state=LineState.PAID).count() == 3


def test_the_database_refuses_a_second_paid_line_for_the_period(prepared, staff, warmth, orgs, today):
    from django.db import IntegrityError, transaction

    round_ = approve(prepared, staff)
    services.round_reconcile(actor=staff["caseworker_xuanwu"], round_=round_, content=return_csv(round_, {}),
                             file_name="back.csv")
    paid = Line.objects.filter(round=round_, state=LineState.PAID).first()
    other = services.round_create(actor=staff["admin_nanjing"], programme=warmth, union=orgs["nanjing"],
                                  paid_on=today, prepare=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Line.objects.create(round=other, programme=warmth, household=paid.household, period_key=paid.period_key,
                            reason="x", amount=1, state=LineState.PAID, entry=LedgerEntry.objects.exclude(
                                pk=paid.entry_id).first())
