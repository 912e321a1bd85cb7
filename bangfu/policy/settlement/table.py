"""Bills in columns: one row per bill, the same arrays for one bill or a million."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bangfu.policy.regions import region_index
from bangfu.policy.schema import CATEGORIES
from bangfu.policy.settlement.schema import LEVELS, YTD_KEYS, BillDocument
from bangfu.policy.table import _days


@dataclass
class Bills:
    as_of: np.ndarray  # datetime64[D]
    region: np.ndarray  # index into regions.all_regions()
    category: np.ndarray  # index into CATEGORIES
    archived: np.ndarray
    is_self: np.ndarray
    resident: np.ndarray  # the resident scheme (else the employee scheme)
    serious_illness: np.ndarray
    mutual_aid: np.ndarray
    inpatient: np.ndarray  # else a special-illness outpatient bill
    level: np.ndarray  # index into LEVELS
    total: np.ndarray
    in_scope: np.ndarray
    emergency: np.ndarray
    unpaid: np.ndarray
    ytd: dict[str, np.ndarray]
    local: dict[int, dict[str, dict]] = field(default_factory=dict)  # row -> the caller's local figures

    def __len__(self) -> int:
        return len(self.as_of)

    def take(self, rows: np.ndarray) -> Bills:
        """The bills at `rows` (indices), in that order."""
        arrays = {k: v[rows] for k, v in self.__dict__.items() if isinstance(v, np.ndarray)}
        where = {int(old): new for new, old in enumerate(rows.tolist())}
        local = {where[row]: given for row, given in self.local.items() if row in where}
        return Bills(**arrays, ytd={k: v[rows] for k, v in self.ytd.items()}, local=local)


_CAT = {c: i for i, c in enumerate(CATEGORIES)}
_LEVEL = {v: i for i, v in enumerate(LEVELS)}


def from_documents(documents: list[BillDocument]) -> Bills:
    """The columnar form of validated bill documents, in order."""
    regions = region_index()
    rows = [(d.as_of, regions[d.region], _CAT[d.category], d.archived, d.member.relation == "self",
             d.member.scheme == "resident", d.member.serious_illness, d.member.mutual_aid,
             d.bill.kind == "inpatient", _LEVEL[d.bill.hospital_level], d.bill.total, d.bill.in_scope,
             d.bill.emergency, d.bill.unpaid) for d in documents]
    cols = list(zip(*rows, strict=True)) if rows else [()] * 14
    dtypes = (None, np.int16, np.int8, bool, bool, bool, bool, bool, bool, np.int8, np.float64, np.float64,
              bool, bool)
    arrays = [_days(c) if t is None else np.array(c, dtype=t) for c, t in zip(cols, dtypes, strict=True)]
    ytd = {k: np.array([getattr(d.year_to_date, k) for d in documents], np.float64) for k in YTD_KEYS}
    local = {i: g for i, d in enumerate(documents) if (g := d.local.given())}
    return Bills(*arrays, ytd=ytd, local=local)
