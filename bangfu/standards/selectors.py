"""Reading standards: the effective parameter set every assessment uses, and lists for administrators."""

from __future__ import annotations

import threading

from django.db.models import Count, Max

from bangfu.policy.parameters import ParameterSet, Value, default_parameters

from .models import StandardValue

_lock = threading.Lock()
_cache: dict[tuple, ParameterSet] = {}


def _version() -> tuple:
    """Changes whenever a value is set, changed or withdrawn: one cheap aggregate, so app servers agree."""
    row = StandardValue.objects.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    return row["n"], row["last"], row["top"]


def _overlay(rows: list[StandardValue]) -> ParameterSet:
    parameters = default_parameters()
    for row in rows:
        reference = {"document": row.document}
        if row.note:
            reference["note"] = row.note
        value = None if row.value is None else float(row.value)
        parameters = parameters.with_value(row.parameter, row.region_code,
                                           Value(row.start, value, reference, row.status))
    return parameters


def effective_parameters() -> ParameterSet:
    """The engine's parameters with every administrator's value laid over them (Article 24)."""
    version = _version()
    found = _cache.get(version)
    if found is None:
        found = _overlay(list(StandardValue.objects.order_by("start", "id")))
        with _lock:
            _cache.clear()
            _cache[version] = found
    return found


def standard_value_list(*, user):
    """The values set in the user's area (administrators and auditors)."""
    return StandardValue.objects.restrict(user).select_related("created_by").order_by(
        "parameter", "region_code", "start")


def parameter_overview(*, parameters: ParameterSet | None = None) -> list[dict]:
    """Every engine parameter with its values by region and date, flagging figures still illustrative."""
    parameters = parameters or effective_parameters()
    out = []
    for p in sorted(parameters, key=lambda p: p.name):
        values = [
            {"region_code": region, "start": v.start.isoformat(), "value": v.value, "status": v.status,
             "reference": v.reference}
            for region, series in sorted(p.values.items()) for v in series
        ]
        out.append({"name": p.name, "description": p.description, "unit": p.unit, "values": values,
                    "illustrative": any(v["status"] == "illustrative" for v in values)})
    return out
