"""The stored report figures as JSON: a small typed encoding of exactly what the figures hold, so that a database
row is data and never code. Plain JSON values stay as they are; a Decimal is kept as its string (exact), a date or
a time in ISO form, a tuple as a tuple, a dict whose keys are not all text (or that has a `$` key) as its items, and
a union (an `Organisation`) as its primary key, the unions of one stored value re-read in one query on load.
Anything else is refused when storing (`TypeError`), and an unknown tag when loading (`ValueError`)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from bangfu.accounts.models import Organisation

TAG = "$"


def dumps(value) -> str:
    """`value` as JSON text, its dicts' keys in their order."""
    return json.dumps(encode(value), ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def loads(text: str, *, known: dict[int, Organisation] | None = None):
    return decode(json.loads(text), known=known)


def encode(value):
    """`value` as plain JSON (dicts, lists, text, numbers, booleans, None)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return {TAG: "float", "v": repr(value)}  # inf and nan too, which JSON lacks
    if isinstance(value, Decimal):
        return {TAG: "decimal", "v": str(value)}
    if isinstance(value, datetime.datetime):
        return {TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, datetime.date):
        return {TAG: "date", "v": value.isoformat()}
    if isinstance(value, Organisation):
        if value.pk is None:
            raise TypeError("an unsaved union cannot be stored")
        return {TAG: "union", "v": value.pk}
    if isinstance(value, tuple):
        return {TAG: "tuple", "v": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and TAG not in value:
            return {k: encode(v) for k, v in value.items()}
        return {TAG: "items", "v": [[encode(k), encode(v)] for k, v in value.items()]}
    raise TypeError(f"report figures cannot hold a {type(value).__name__}")


def _union_ids(data, found: set[int]) -> set[int]:
    if isinstance(data, list):
        for v in data:
            _union_ids(v, found)
    elif isinstance(data, dict):
        if data.get(TAG) == "union":
            found.add(int(data["v"]))
        else:
            for v in data.values():
                _union_ids(v, found)
    return found


class MissingUnion(LookupError):
    """A stored figure names a union that no longer exists: the figures are to be computed again."""


def decode(data, *, known: dict[int, Organisation] | None = None):
    """The value `encode` was given; its unions read in one query (none when `known` holds them all)."""
    unions = dict(known or {})
    wanted = _union_ids(data, set()) - set(unions)
    if wanted:
        unions.update(Organisation.objects.in_bulk(wanted))
        if wanted - set(unions):
            raise MissingUnion(sorted(wanted - set(unions)))
    return _decode(data, unions)


def _decode(data, unions: dict[int, Organisation]):
    if data is None or isinstance(data, bool | int | str):
        return data
    if isinstance(data, list):
        return [_decode(v, unions) for v in data]
    if not isinstance(data, dict):
        raise ValueError(f"not a stored figure: {type(data).__name__}")
    if TAG not in data:
        return {k: _decode(v, unions) for k, v in data.items()}
    tag, v = data[TAG], data.get("v")
    if tag == "decimal":
        return Decimal(v)
    if tag == "float":
        return float(v)
    if tag == "date":
        return datetime.date.fromisoformat(v)
    if tag == "datetime":
        return datetime.datetime.fromisoformat(v)
    if tag == "union":
        return unions[int(v)]
    if tag == "tuple":
        return tuple(_decode(x, unions) for x in v)
    if tag == "items":
        return {_decode(k, unions): _decode(x, unions) for k, x in v}
    raise ValueError(f"unknown tag in stored figures: {tag!r}")
