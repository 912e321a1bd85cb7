"""Reading standards: the effective parameter set every assessment uses, and lists for administrators."""

from __future__ import annotations

import hashlib
import json
import threading
from functools import cache

from django.db import connection

from bangfu.common.context import request_memo
from bangfu.common.errors import NotFound
from bangfu.policy import assess_households
from bangfu.policy.parameters import ParameterSet, Value, default_parameters
from bangfu.policy.regions import PROVINCE, get_region
from bangfu.policy.schema import parse_document

from .models import StandardRequest, StandardValue

_lock = threading.Lock()
_cache: dict[tuple, ParameterSet] = {}


MEMO_KEY = "standards.effective_parameters"


def _version_sql() -> str:
    table = StandardValue._meta.db_table
    return f"SELECT COUNT(id), MAX(updated_at), MAX(id) FROM {connection.ops.quote_name(table)}"


def _version() -> tuple:
    """Changes whenever a value is set, changed or withdrawn: one cheap aggregate, so app servers agree.

    Every request that assesses asks it once, so it is plain SQL: the ORM's building of the same aggregate cost
    four times the query itself."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        return tuple(cursor.fetchone())


@cache
def shipped_fingerprint() -> str:
    """A short hash of the engine's shipped parameters (its YAML bundle), computed once per process: it changes with a
    release that changes any shipped figure, as `_version` changes with any administrator's value. What is computed
    from the parameters in effect and stored (`reports.snapshots.stamp`) holds both: the shipped set by this, the
    administrators' values by the audit row each of them writes."""
    text = json.dumps(default_parameters().to_bundle(), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def overlay(rows) -> ParameterSet:
    """The engine's shipped parameters with administrators' values (rows of StandardValue) laid over them."""
    def value(row) -> Value:
        reference = {"document": row.document}
        if row.note:
            reference["note"] = row.note
        return Value(row.start, None if row.value is None else float(row.value), reference, row.status)

    shipped = default_parameters()
    known = {p.name for p in shipped}
    # A value of a parameter the engine no longer has (renamed in a later version) must not stop every assessment.
    return shipped.with_values((row.parameter, row.region_code, value(row)) for row in rows if row.parameter in known)


def effective_parameters() -> ParameterSet:
    """The engine's parameters with every administrator's value laid over them (Article 24).

    Every route reads them here (the assessment API, the household page and its preview, identification,
    reviews): the figures are the same everywhere. The version is checked once per request or job (one cheap
    aggregate, kept in the request's memo); the parameter set itself is built once per process and version.
    """
    memo = request_memo()
    if memo is not None and MEMO_KEY in memo:
        return memo[MEMO_KEY]
    version = _version()
    found = _cache.get(version)
    if found is None:
        found = overlay(StandardValue.objects.order_by("start", "id"))
        with _lock:
            _cache.clear()
            _cache[version] = found
    if memo is not None:
        memo[MEMO_KEY] = found
    return found


def assessment_answer(document) -> dict:
    """The engine's answer to one assessment document (a dict, or JSON text) with the system's figures, as the
    API's `POST /v1/assessments` and the public self-check give it; bad input raises InputError naming the field."""
    return assess_households([parse_document(document)], parameters=effective_parameters())[0]


def forget_effective_parameters() -> None:
    """After a change, the request that made it reads the parameters again (other requests check the version)."""
    memo = request_memo()
    if memo is not None:
        memo.pop(MEMO_KEY, None)


def parameter_bundle() -> dict:
    """The effective parameters as a bundle for `bangfu assess --parameters FILE` (an offline what-if with the
    province's own figures)."""
    return effective_parameters().to_bundle()


def standard_value_list(*, user):
    """The values set in the user's area (administrators and auditors)."""
    return StandardValue.objects.restrict(user).select_related("created_by").order_by(
        "parameter", "region_code", "start")


def standard_request_list(*, user, state: str | None = None):
    """Proposed changes in the user's area, the newest first (administrators and auditors)."""
    rows = StandardRequest.objects.restrict(user).select_related("requested_by", "decided_by")
    return rows.filter(state=state) if state else rows.order_by("-id")


def standard_request_get(*, user, pk: int) -> StandardRequest:
    row = standard_request_list(user=user).filter(pk=pk).first()
    if row is None:
        raise NotFound("没有这个标准审批事项")
    return row


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


def region_name(code: str) -> str:
    if code == PROVINCE:
        return "江苏省(全省)"
    region = get_region(code)
    return region.name if region else code


def parameter_description(name: str) -> str:
    try:
        return default_parameters()[name].description or name
    except KeyError:
        return name


def _source(reference: dict) -> str:
    """A value's source in one line: the document, else the article and its words."""
    if reference.get("document"):
        return str(reference["document"])
    if "article" in reference:
        return f"第{reference['article']}条:{reference.get('quote', '')}"
    return ""


def parameter_history(*, user, name: str) -> dict:
    """One parameter with every dated value by region (value, date, status, source, who set it), the values in
    force today marked, and the proposals about it waiting for a second administrator."""
    parameters = effective_parameters()
    try:
        parameter = parameters[name]
    except KeyError:
        raise NotFound("没有这个参数") from None
    set_by = {(row.region_code, row.start): row for row in StandardValue.objects.restrict(user).filter(
        parameter=name).select_related("created_by")}
    rows = []
    for code, series in sorted(parameter.values.items()):
        for value in series:
            row = set_by.get((code, value.start))
            rows.append({"region_code": code, "region": region_name(code), "start": value.start,
                         "value": value.value, "status": value.status, "illustrative": value.illustrative,
                         "source": _source(value.reference), "note": value.reference.get("note", ""),
                         "standard": row})
    pending = standard_request_list(user=user, state="pending").filter(parameter=name)
    return {"name": parameter.name, "description": parameter.description, "unit": parameter.unit,
            "values": rows, "pending": list(pending.order_by("id"))}


def parameter_table(*, q: str = "", illustrative_only: bool = False) -> list[dict]:
    """Every parameter in one line each: its description, how many values and how many still illustrative."""
    out = []
    for p in sorted(effective_parameters(), key=lambda p: p.name):
        values = [v for series in p.values.values() for v in series]
        n_illustrative = sum(v.illustrative for v in values)
        if q and q.lower() not in p.name.lower() and q not in p.description:
            continue
        if illustrative_only and not n_illustrative:
            continue
        out.append({"name": p.name, "description": p.description, "unit": p.unit, "values": len(values),
                    "illustrative": n_illustrative, "regions": len(p.values)})
    return out
