"""The policy engine of 苏政办发[2019]2号: households and a date in, every benefit with its article out.

Pure Python and numpy: no Django, no database, no clock. A single household is a batch of one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from bangfu.policy.parameters import ParameterSet, default_parameters
from bangfu.policy.schema import InputError, parse_document

if TYPE_CHECKING:
    from bangfu.policy.documents import Household

# The engine and the explanations are imported by the functions that answer documents, not by the package:
# `bangfu assess-table` (bulk.py) imports bangfu.policy first and reads no explanation.


def assess_households(households: list[Household], *, parameters: ParameterSet | None = None) -> list[dict]:
    """Answers for already validated documents, evaluated as one batch."""
    if not households:
        return []
    from bangfu.policy.engine import evaluate
    from bangfu.policy.explain import answers
    from bangfu.policy.table import from_households

    return answers(evaluate(from_households(households), parameters), households)


def assess_many(documents: Iterable[Any], *, parameters: ParameterSet | None = None) -> list[dict]:
    """Answers for many documents in one vectorised evaluation; the first bad document raises InputError."""
    return assess_households([parse_document(d) for d in documents], parameters=parameters)


def assess_under(documents: Iterable[Any], parameter_sets: list[ParameterSet]) -> list[list[dict | None]]:
    """Per document, its answer under each set of figures (a re-computation's before and after): each document
    parsed and laid out once, evaluated once per set. A document the format refuses is answered None."""
    households: list[Household] = []
    kept: list[int] = []
    documents = list(documents)
    for i, document in enumerate(documents):
        try:
            households.append(parse_document(document))
            kept.append(i)
        except InputError:
            continue
    out: list[list[dict | None]] = [[None] * len(parameter_sets) for _ in documents]
    if not households:
        return out
    from bangfu.policy.engine import evaluate
    from bangfu.policy.explain import answers
    from bangfu.policy.table import from_households

    population = from_households(households)
    for k, parameters in enumerate(parameter_sets):
        for i, answer in zip(kept, answers(evaluate(population, parameters), households), strict=True):
            out[i][k] = answer
    return out


def assess(document: Any, *, parameters: ParameterSet | None = None) -> dict:
    """The answer for one document (a dict, or JSON text); bad input raises InputError naming the field."""
    return assess_many([document], parameters=parameters)[0]


__all__ = ["assess", "assess_many", "assess_households", "assess_under", "InputError", "ParameterSet", "default_parameters"]
