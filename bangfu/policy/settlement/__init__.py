"""The one-stop settlement of a medical bill (Article 9, ../shared/spec/settlement.md): a bill in, every layer out.

A single bill is a batch of one: the same vectorised code settles one bill or a million.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np

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


def settle_chained(documents: list[BillDocument], keys: list[Hashable], *,
                   parameters: ParameterSet | None = None) -> list[dict]:
    """Answers for bills of which those with one key (a member's year) chain in the order given.

    The first bill of a chain keeps its own `year_to_date`; each later one takes the answer before it.
    Vectorised over chains: round k settles the k-th bill of every chain as one batch.
    """
    if not documents:
        return []
    bills = from_documents(documents)
    position, seen = np.empty(len(documents), np.int64), {}
    for i, key in enumerate(keys):
        position[i] = seen[key] = seen.get(key, -1) + 1
    carried: dict[Hashable, dict[str, float]] = {}
    out: list[dict | None] = [None] * len(documents)
    for k in range(int(position.max()) + 1):
        rows = np.flatnonzero(position == k)
        batch = bills.take(rows)
        for j, row in enumerate(rows.tolist()):
            previous = carried.get(keys[row])
            if previous is not None:
                for name, value in previous.items():
                    batch.ytd[name][j] = value
        settled = settle_bills(batch, parameters)
        for j, answer in enumerate(answers(settled, [documents[r] for r in rows.tolist()])):
            row = int(rows[j])
            out[row] = answer
            carried[keys[row]] = {name: float(settled.ytd[name][j]) for name in settled.ytd}
    return out  # type: ignore[return-value]


def settle_many(documents: Iterable[Any], *, parameters: ParameterSet | None = None) -> list[dict]:
    """Answers for many bills in one vectorised settlement; the first bad document raises InputError."""
    return settle_documents([parse_bill(d) for d in documents], parameters=parameters)


def settle(document: Any, *, parameters: ParameterSet | None = None) -> dict:
    """The answer for one bill (a dict, or JSON text); bad input raises InputError naming the field."""
    return settle_many([document], parameters=parameters)[0]


__all__ = ["settle", "settle_many", "settle_documents", "settle_chained", "settle_bills", "parse_bill", "from_documents",
           "Bills", "BillDocument", "Settlement", "LAYERS"]
