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
HOUSEHOLD = pa.schema([
    ("as_of", pa.date32()), ("region", REGION), ("category", ENUM), ("archived", pa.bool_()),
    ("dibao", pa.bool_()), ("dibao_edge", pa.bool_()), ("monthly_income", pa.float64()),
    ("hardship_causes", pa.list_(ENUM)), ("cpi_yoy_percent", pa.float64()),
])
# One row per member: the members of a household on consecutive rows, numbered alike in `household` (ascending
# through the file), the household's own fields repeated on each (read from the first). Arrow decodes these flat
# columns in two thirds of the time of a list of member structs per household (the repetition levels of every
# member field, its list offsets rebuilt), and the engine's member columns are them without a flatten. Repeated
# rather than null after the first row: runs of one dictionary index decode faster than a null per row.
KEY = "household"
SCHEMA = pa.schema([(KEY, pa.int64()), *HOUSEHOLD, *MEMBER])
# The layout before: one row per household, its members a list. Still read (a file exported earlier) and written
# by nothing.
NESTED = pa.schema([*HOUSEHOLD, ("members", pa.list_(MEMBER))])

# How bangfu writes a population file (the synthetic one, the archive's export): one home for the options. Each
# row group ends with a household where the writer can (a table written at a time, as one row group); the household numbers as deltas (a bit or two a row, where a
# dictionary of 10⁵ numbers per row group was most of the column).


def _leaves(name: str, t: pa.DataType) -> list[str]:
    """The Parquet paths of a field's leaf columns (the names `use_dictionary` takes)."""
    if pa.types.is_struct(t):
        return [leaf for f in t for leaf in _leaves(f"{name}.{f.name}", f.type)]
    if pa.types.is_list(t):
        return _leaves(f"{name}.list.element", t.value_type)
    return [name]


def write_options(schema: pa.Schema) -> dict[str, Any]:
    """`WRITE_OPTIONS` for this layout with more household fields (the archive's export adds its union)."""
    return {"compression": "lz4", "column_encoding": {KEY: "DELTA_BINARY_PACKED"},
            "use_dictionary": [leaf for f in schema if f.name != KEY for leaf in _leaves(f.name, f.type)]}


WRITE_OPTIONS = write_options(SCHEMA)


def is_nested(schema: pa.Schema) -> bool:
    """A file of the former layout (a row per household, its members a list)."""
    return "members" in schema.names


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
    """One row of the former layout (a household with its list of members) as the spec's input document (nulls
    dropped where the spec wants them absent)."""
    doc = {k: _iso(v) for k, v in row.items() if k != "members" and v is not None}
    doc["members"] = [_member(m) for m in row["members"] or []]
    return doc


def to_documents(table: pa.Table, limit: int | None = None) -> list[dict]:
    """The first `limit` households (all when None) as input documents, for cross-checks and JSON Lines."""
    if is_nested(table.schema):
        return [document(row) for row in (table if limit is None else table.slice(0, limit)).to_pylist()]
    households: list[dict] = []
    key, members = object(), [f.name for f in MEMBER]
    for row in table.to_pylist():
        if row[KEY] != key:
            if limit is not None and len(households) == limit:
                break
            key = row[KEY]
            households.append({k: v for k, v in row.items() if k != KEY and k not in members} | {"members": []})
        households[-1]["members"].append({k: row[k] for k in members})
    return [document(row) for row in households]


def count_households(table: pa.Table) -> int:
    """How many households a table holds (either layout)."""
    if is_nested(table.schema):
        return table.num_rows
    numbers = table.column(KEY).to_numpy()
    return int(len(numbers) > 0) + int(np.count_nonzero(numbers[1:] != numbers[:-1]))


def table(households: list[dict], schema: pa.Schema = SCHEMA, first: int = 0) -> pa.Table:
    """Households given as rows of the former layout (dates as dates, `members` a list of dicts) in this layout,
    numbered from `first`. A household without members is a row without member fields (the reader refuses it)."""
    names = [f.name for f in MEMBER]
    rows = []
    for number, household in enumerate(households, start=first):
        own = {k: v for k, v in household.items() if k != "members"}
        rows += [{KEY: number, **own, **{k: member.get(k) for k in names}} for member in household.get("members") or [{}]]
    return pa.Table.from_pylist(rows, schema=schema)
