"""Columnar households and members: what the vectorised rules read, built from documents or Arrow tables."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from bangfu.policy import schema as s
from bangfu.policy.regions import region_index

HOUSEHOLD_COLUMNS = ("as_of", "region", "category", "archived", "dibao", "dibao_edge", "monthly_income",
                     "causes", "cpi")
PERSON_COLUMNS = ("hh", "relation", "sex", "group", "birth", "employment", "work_ability", "willing",
                  "disability", "poverty_target", "medical_insurance", "pension_insurance",
                  "serious_illness", "stage", "school_year", "institution", "excellent", "business",
                  "registered_on", "employees", "first_time", "premises", "other_rent_subsidy")
_PERSON_SET = frozenset(PERSON_COLUMNS)


@dataclass
class Population:
    """One row per household and one per member; members ordered by household, then as given.

    Enumerations are small integers: the position of the value in the tuples of `schema`
    (stage and business 0 mean none); `causes` is a bit mask over `schema.CAUSES`.
    """

    as_of: np.ndarray  # datetime64[D]
    region: np.ndarray  # index into regions.all_regions()
    category: np.ndarray
    archived: np.ndarray
    dibao: np.ndarray
    dibao_edge: np.ndarray
    monthly_income: np.ndarray
    causes: np.ndarray
    cpi: np.ndarray  # NaN where the document gave none
    hh: np.ndarray  # household row of each member
    relation: np.ndarray
    sex: np.ndarray
    group: np.ndarray  # retirement group, defaulted from sex
    birth: np.ndarray
    employment: np.ndarray
    work_ability: np.ndarray
    willing: np.ndarray
    disability: np.ndarray  # 0: none, else grade 1-4
    poverty_target: np.ndarray
    medical_insurance: np.ndarray
    pension_insurance: np.ndarray
    serious_illness: np.ndarray
    stage: np.ndarray
    school_year: np.ndarray
    institution: np.ndarray
    excellent: np.ndarray
    business: np.ndarray
    registered_on: np.ndarray
    employees: np.ndarray
    first_time: np.ndarray
    premises: np.ndarray
    other_rent_subsidy: np.ndarray
    member_ids: list[str] | None = None  # for answers; None in anonymous bulk runs

    @property
    def n_households(self) -> int:
        return len(self.as_of)

    @property
    def n_persons(self) -> int:
        return len(self.hh)

    def slice(self, first: int, last: int) -> Population:
        """Households `first` to `last` (excluded) with their members: views of these columns, but `hh`."""
        start, stop = np.searchsorted(self.hh, (first, last)).tolist()  # members are ordered by household
        columns = {name: getattr(self, name)[first:last] for name in HOUSEHOLD_COLUMNS}
        columns |= {name: getattr(self, name)[start:stop] for name in PERSON_COLUMNS if name != "hh"}
        columns["hh"] = self.hh[start:stop] - first
        ids = None if self.member_ids is None else self.member_ids[start:stop]
        return Population(**columns, member_ids=ids)

    def take(self, households: np.ndarray) -> tuple[Population, np.ndarray]:
        """The households at `households` (a mask over them) with their members, in order; and the rows of
        those members among this batch's."""
        persons = np.flatnonzero(households[self.hh])
        rows = np.flatnonzero(households)
        renumber = np.cumsum(households) - 1  # each kept household's row in the result
        columns = {name: getattr(self, name)[rows] for name in HOUSEHOLD_COLUMNS}
        columns |= {name: getattr(self, name)[persons] for name in PERSON_COLUMNS if name != "hh"}
        columns["hh"] = renumber[self.hh[persons]]
        ids = None if self.member_ids is None else [self.member_ids[i] for i in persons.tolist()]
        return Population(**columns, member_ids=ids), persons

    def members(self, rows: np.ndarray) -> Population:
        """The members at `rows` (ascending) with every household of the batch: the households' columns are
        this batch's, a member's column is gathered at `rows` when a rule first reads it."""
        return _Members(self, rows)


class _Members(Population):
    """`Population.members`: a column of the members gathered on first reading (a rule reads few of them)."""

    def __init__(self, population: Population, rows: np.ndarray):  # no dataclass __init__: columns come lazily
        self.__dict__.update({name: getattr(population, name) for name in HOUSEHOLD_COLUMNS})
        self._of, self._rows = population, rows
        self.member_ids = None if population.member_ids is None else [population.member_ids[i] for i in rows.tolist()]

    def __getattr__(self, name: str) -> np.ndarray:  # only for names not yet in the instance: a member's column
        if name not in _PERSON_SET:
            raise AttributeError(name)
        column = getattr(self._of, name).take(self._rows)
        setattr(self, name, column)
        return column


_DTYPES = {
    "as_of": "datetime64[D]", "region": np.int16, "category": np.int8, "archived": bool, "dibao": bool,
    "dibao_edge": bool, "monthly_income": np.float64, "causes": np.int16, "cpi": np.float64,
    "hh": np.int64, "relation": np.int8, "sex": np.int8, "group": np.int8, "birth": "datetime64[D]",
    "employment": np.int8, "work_ability": np.int8, "willing": bool, "disability": np.int8,
    "poverty_target": bool, "medical_insurance": bool, "pension_insurance": bool, "serious_illness": bool,
    "stage": np.int8, "school_year": np.int16, "institution": np.int8, "excellent": bool,
    "business": np.int8, "registered_on": "datetime64[D]", "employees": np.int32, "first_time": bool,
    "premises": np.int8, "other_rent_subsidy": bool,
}


# The format sets no upper bound on these integers; the rules only compare them with small figures,
# so a huge value is held at the column's ceiling rather than overflowing it.
_MAX_YEAR = int(np.iinfo(np.int16).max)
_MAX_EMPLOYEES = int(np.iinfo(np.int32).max)
_EPOCH = datetime.date(1970, 1, 1).toordinal()
_NAT = int(np.iinfo(np.int64).min)  # NaT's day number


def _index(values: tuple[str, ...]) -> dict[str, int]:
    return {v: i for i, v in enumerate(values)}


_CAT, _REL, _SEX, _GRP = map(_index, (s.CATEGORIES, s.RELATIONS, s.SEXES, s.RETIREMENT_GROUPS))
_EMP, _ABL, _STG, _INS = map(_index, (s.EMPLOYMENTS, s.WORK_ABILITIES, s.STAGES, s.INSTITUTIONS))
_BUS, _PRM = _index(s.BUSINESS_KINDS), _index(s.PREMISES)
_NO_PREMISES = _PRM["none"]
_CAUSE_BIT = {c: 1 << i for i, c in enumerate(s.CAUSES)}


def _household_row(h: s.Household, regions: dict[str, int]) -> tuple:
    causes = 0
    for cause in h.hardship_causes:
        causes |= _CAUSE_BIT[cause]
    return (h.as_of, regions[h.region], _CAT[h.category], h.archived, h.dibao, h.dibao_edge,
            h.monthly_income, causes, np.nan if h.cpi_yoy_percent is None else h.cpi_yoy_percent)


def _person_row(hh: int, m: s.Member) -> tuple:
    d = m.__dict__  # plain reads of the validated fields: this runs once per member of a batch
    school, business, group = d["school"], d["business"], d["retirement_group"]
    if group is None:
        group = "male" if d["sex"] == "male" else "female_50"
    row = (hh, _REL[d["relation"]], _SEX[d["sex"]], _GRP[group], d["birth_date"], _EMP[d["employment"]],
           _ABL[d["work_ability"]], d["willing_to_work"], d["disability_grade"] or 0,
           d["poverty_alleviation_target"], d["resident_medical_insurance"], d["resident_pension_insurance"],
           d["serious_illness"])
    if school is None:
        row += (0, 0, 0, False)
    else:
        row += (_STG[school.stage], min(school.year, _MAX_YEAR), _INS[school.institution], school.excellent)
    if business is None:
        return row + (0, None, 0, False, _NO_PREMISES, False)
    return row + (_BUS[business.kind], business.registered_on, min(business.employees, _MAX_EMPLOYEES),
                  business.first_time, _PRM[business.premises], business.other_rent_subsidy)


def _days(column: tuple) -> np.ndarray:
    """Dates as datetime64[D], None as NaT: through day numbers, as numpy converts a date object slowly."""
    days = np.array([_NAT if d is None else d.toordinal() - _EPOCH for d in column], np.int64)
    return days.view("datetime64[D]")


def _columns(rows: list[tuple], names: tuple[str, ...]) -> dict[str, np.ndarray]:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    out = {}
    for name, column in zip(names, columns, strict=True):
        dtype = _DTYPES[name]
        out[name] = _days(column) if dtype == "datetime64[D]" else np.array(column, dtype=dtype)
    return out


def from_households(households: list[s.Household]) -> Population:
    """The columnar form of validated documents, members in document order."""
    regions = region_index()
    hrows = [_household_row(h, regions) for h in households]
    prows = [_person_row(i, m) for i, h in enumerate(households) for m in h.members]
    ids = [m.id for h in households for m in h.members]
    return Population(**_columns(hrows, HOUSEHOLD_COLUMNS), **_columns(prows, PERSON_COLUMNS),
                      member_ids=ids)


def from_columns(households: dict[str, np.ndarray | list], persons: dict[str, np.ndarray | list],
                 member_ids: list[str] | None = None) -> Population:
    """A Population from columns already encoded as it holds them (enumerations as positions in the tuples of
    `schema`, dates as datetime64[D]): for callers that read validated households column by column (the
    service's archive) rather than as documents. Each column is cast to the engine's type."""
    columns = {name: np.asarray(households[name]).astype(_DTYPES[name], copy=False) for name in HOUSEHOLD_COLUMNS}
    columns |= {name: np.asarray(persons[name]).astype(_DTYPES[name], copy=False) for name in PERSON_COLUMNS}
    return Population(**columns, member_ids=member_ids)
