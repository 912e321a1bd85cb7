"""The one way an answer is written as JSON: the command line, the API and the web pages send the same bytes."""

from __future__ import annotations

import json
from decimal import Decimal


def _number(x: object) -> float:
    if isinstance(x, Decimal):
        return float(x)
    raise TypeError(f"{type(x).__name__} is not JSON serialisable")


# One encoder for every answer (json.dumps with options makes one per call): money as numbers, Chinese as it is.
# No check for cycles (an answer is a tree of fresh dicts and lists): it cost a tenth of a batch's encoding.
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_number, check_circular=False)


def answer_json(answer: dict) -> str:
    """An answer (or an error object) as one line of JSON, without the newline."""
    return _ENCODER.encode(answer)
