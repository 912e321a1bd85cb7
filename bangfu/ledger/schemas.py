"""API schemas of the ledger. Amounts are Decimal inside and JSON numbers outside (config/api.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Schema

from bangfu.common.bounds import Day, DbId, Year


class PaymentIn(Schema):
    household_id: DbId
    amount: Decimal
    fund_source: str
    paid_on: Day
    description: str
    measure_id: DbId | None = None
    kind: str = "cash"
    goods_description: str = ""


class ReasonIn(Schema):
    reason: str


class ApproveIn(Schema):
    reason: str = ""


class _PaymentOut(Schema):
    """What an entry and a request for one share: the payment itself."""

    id: int
    household_id: int
    union_id: int
    measure_id: int | None
    kind: str
    amount: Decimal
    goods_description: str
    paid_on: datetime.date
    fund_source: str
    description: str


class EntryOut(_PaymentOut):
    recorded_by: str
    approved_by: str
    reversal_of_id: int | None
    reversed: bool


class RequestOut(_PaymentOut):
    reverses_id: int | None
    status: str
    requested_by: str
    decided_by: str | None
    decision_reason: str
    entry_id: int | None
    warnings: list[str] = []


class ApprovedOut(Schema):
    entry: EntryOut
    warnings: list[str]


class GroupOut(Schema):
    key: str | int | None
    total: Decimal
    count: int


class TotalsOut(Schema):
    total: Decimal
    count: int
    groups: list[GroupOut]


class UnionTotalOut(Schema):
    union_id: int
    union: str
    total: Decimal
    count: int


class BudgetIn(Schema):
    union_id: DbId
    fund_source: str
    year: Year
    amount: Decimal
    refuse_over: bool = False


class BudgetOut(Schema):
    id: int
    union_id: int
    union: str
    fund_source: str
    year: int
    amount: Decimal
    refuse_over: bool
    spent: Decimal
    remaining: Decimal
