"""Four eyes without dead ends, for rounds and for single ledger payments."""

from __future__ import annotations

import pytest

from bangfu.common.errors import AccessDenied
from bangfu.ledger import services as ledger
from bangfu.ledger.models import LedgerEntry


def test_a_payment_recorded_by_the_countys_only_reviewer_goes_to_the_city(area, staff, today):
    request, _ = ledger.ledger_request_payment(actor=staff["reviewer_xuanwu"], household=area["a"], amount="300",
                                               fund_source="union_funds", paid_on=today, description="临时救助")
    with pytest.raises(AccessDenied):
        ledger.ledger_approve(actor=staff["reviewer_xuanwu"], ledger_request=request)
    entry, _ = ledger.ledger_approve(actor=staff["reviewer_nanjing"], ledger_request=request)
    assert entry.approved_by == staff["reviewer_nanjing"] and LedgerEntry.objects.count() == 1


def test_the_city_does_not_approve_what_the_county_can(area, staff, today):
    request, _ = ledger.ledger_request_payment(actor=staff["caseworker_g1"], household=area["a"], amount="300",
                                               fund_source="union_funds", paid_on=today, description="临时救助")
    with pytest.raises(AccessDenied):
        ledger.ledger_approve(actor=staff["reviewer_nanjing"], ledger_request=request)


def test_the_queue_offers_the_city_reviewer_the_dead_end(area, staff, today, login):
    request, _ = ledger.ledger_request_payment(actor=staff["reviewer_xuanwu"], household=area["a"], amount="300",
                                               fund_source="union_funds", paid_on=today, description="临时救助")
    page = login(staff["reviewer_nanjing"]).get("/ledger/requests/").content.decode()
    assert f"/ledger/requests/{request.pk}/approve/" in page
    page = login(staff["reviewer_xuanwu"]).get("/ledger/requests/").content.decode()
    assert "待其他审核人" in page
