"""The one-stop settlement of a medical bill (Article 9, ../shared/spec/settlement.md): a bill in, every layer out.

A single bill is a batch of one: the same vectorised code settles one bill or a million.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bangfu.policy.parameters import ParameterSet
from bangfu.policy.settlement.engine import LAYERS, Settlement, settle_bills
from bangfu.policy.settlement.explain import answers
from bangfu.policy.settlement.schema import BillDocument, parse_bill
from bangfu.policy.settlement.table import Bills, from_documents


def settle_documents(documents: list[BillDocument], *, parameters: ParameterSet | None = None) -> list[dict]:
    """Answers for already validated bills, settled as one batch."""
    if not documents:
        return []
    return answers(settle_bills(from_documents(documents), parameters), documents)


def settle_many(documents: Iterable[Any], *, parameters: ParameterSet | None = None) -> list[dict]:
    """Answers for many bills in one vectorised settlement; the first bad document raises InputError."""
    return settle_documents([parse_bill(d) for d in documents], parameters=parameters)


def settle(document: Any, *, parameters: ParameterSet | None = None) -> dict:
    """The answer for one bill (a dict, or JSON text); bad input raises InputError naming the field."""
    return settle_many([document], parameters=parameters)[0]


__all__ = ["settle", "settle_many", "settle_documents", "settle_bills", "parse_bill", "from_documents",
           "Bills", "BillDocument", "Settlement", "LAYERS"]
