"""Households as Parquet, one row per input document: the Arrow schema, and back to documents."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
import pyarrow as pa

from bangfu.policy import schema as s

# Dictionaries indexed by int32: Arrow reads a Parquet dictionary's indices as int32, and a narrower index type
# in the file's schema was a cast of every such column read (twice the decoding of a column with nulls).
ENUM = pa.dictionary(pa.int32(), pa.string())
REGION = ENUM
# Member ids repeat (m1, m2, … in every household that names them so): read as a dictionary, not as a string
# per member (a fifth of the members' decoding).
ID = ENUM

SCHOOL = pa.struct([
    ("stage", ENUM), ("year", pa.int32()), ("institution", ENUM), ("excellent", pa.bool_()),
])
BUSINESS = pa.struct([
    ("kind", ENUM), ("registered_on", pa.date32()), ("employees", pa.int32()), ("first_time", pa.bool_()),
    ("premises", ENUM), ("other_rent_subsidy", pa.bool_()),
])
MEMBER = pa.struct([
    ("id", ID), ("relation", ENUM), ("sex", ENUM), ("birth_date", pa.date32()),
    ("retirement_group", ENUM), ("employment", ENUM), ("work_ability", ENUM), ("willing_to_work", pa.bool_()),
    ("disability_grade", pa.int8()), ("poverty_alleviation_target", pa.bool_()),
    ("resident_medical_insurance", pa.bool_()), ("resident_pension_insurance", pa.bool_()),
    ("serious_illness", pa.bool_()), ("school", SCHOOL), ("business", BUSINESS),
])
SCHEMA = pa.schema([
    ("as_of", pa.date32()), ("region", REGION), ("category", ENUM), ("archived", pa.bool_()),
    ("dibao", pa.bool_()), ("dibao_edge", pa.bool_()), ("monthly_income", pa.float64()),
    ("hardship_causes", pa.list_(ENUM)), ("cpi_yoy_percent", pa.float64()), ("members", pa.list_(MEMBER)),
])

# How bangfu writes a population file (the synthetic one, the archive's export): one home for the options.
WRITE_OPTIONS: dict[str, Any] = {"compression": "snappy"}

# Labels of each enumeration column, in the order of the integer codes a Population holds.
LABELS: dict[str, tuple[str, ...]] = {
    "category": s.CATEGORIES, "hardship_causes": s.CAUSES, "relation": s.RELATIONS, "sex": s.SEXES,
    "retirement_group": s.RETIREMENT_GROUPS, "employment": s.EMPLOYMENTS, "work_ability": s.WORK_ABILITIES,
    "stage": s.STAGES[1:], "institution": s.INSTITUTIONS, "kind": s.BUSINESS_KINDS[1:],
    "premises": s.PREMISES,
}


def labelled(codes: np.ndarray, labels: tuple[str, ...], mask: np.ndarray | None = None,
             index_type: type = np.int32) -> pa.DictionaryArray:
    """An enumeration column from integer codes (positions in `labels`); `mask` marks nulls."""
    indices = pa.array(codes.astype(index_type), mask=mask)
    return pa.DictionaryArray.from_arrays(indices, pa.array(labels, pa.string()))


def dates(days: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype("datetime64[D]"), type=pa.date32(), mask=mask)


def _iso(x: Any) -> Any:
    return x.isoformat() if isinstance(x, datetime.date) else x


def _member(m: dict) -> dict:
    out = {k: _iso(v) for k, v in m.items() if k not in ("school", "business") and v is not None}
    if "disability_grade" in m:
        out["disability_grade"] = m["disability_grade"]  # the spec allows an explicit null
    for key in ("school", "business"):
        part = m.get(key)
        out[key] = None if part is None else {k: _iso(v) for k, v in part.items() if v is not None}
    return out


def document(row: dict) -> dict:
    """One Parquet row as the spec's input document (nulls dropped where the spec wants them absent)."""
    doc = {k: _iso(v) for k, v in row.items() if k != "members" and v is not None}
    doc["members"] = [_member(m) for m in row["members"] or []]
    return doc


def to_documents(table: pa.Table, limit: int | None = None) -> list[dict]:
    """The first `limit` rows (all when None) as input documents, for cross-checks and JSON Lines."""
    if limit is not None:
        table = table.slice(0, limit)
    return [document(row) for row in table.to_pylist()]

