"""A synthetic population of Jiangsu urban workers' households, fully vectorised, written as Parquet."""

from __future__ import annotations

import datetime
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from bangfu.policy import parquet as pf
from bangfu.policy import schema as s
from bangfu.policy.arrow import population_from_arrow
from bangfu.policy.files import read_population
from bangfu.policy.parquet import to_documents
from bangfu.policy.regions import regions_on

ROW_GROUP = 100_000
# 第七次全国人口普查 (2020), millions of residents: households are spread over cities by these.
CITY_POPULATION = {
    "320100": 9.31, "320200": 7.46, "320300": 9.08, "320400": 5.28, "320500": 12.75, "320600": 7.73,
    "320700": 4.60, "320800": 4.56, "320900": 6.71, "321000": 4.56, "321100": 3.21, "321200": 4.51,
    "321300": 4.99,
}
SIZE_P = [0.16, 0.27, 0.30, 0.15, 0.08, 0.04]  # 1-6 members
CATEGORY_P = [0.85, 0.11, 0.04]  # none, hardship, extreme_hardship
CAUSE_P = [0.32, 0.14, 0.14, 0.02, 0.16, 0.06, 0.04, 0.08, 0.04]  # main cause, in schema.CAUSES order
# relation of the 2nd member, and of the 3rd and later (self, spouse, child, parent, sibling, grandchild, other)
SECOND_P = [0, 0.78, 0.17, 0.05, 0, 0, 0]
LATER_P = [0, 0, 0.78, 0.16, 0.02, 0.03, 0.01]
INSTITUTION_P = {  # public, private_inclusive, private_nonprofit, private_forprofit
    "preschool": [0.55, 0.30, 0.03, 0.12], "primary": [0.90, 0, 0.07, 0.03], "junior": [0.90, 0, 0.07, 0.03],
    "senior_high": [0.85, 0, 0.10, 0.05], "secondary_vocational": [0.85, 0, 0.10, 0.05],
    "higher": [0.80, 0, 0.15, 0.05], "adult_higher_regular": [1, 0, 0, 0],
}
KIND_P = [0.62, 0.18, 0.03, 0.02, 0.15]  # individual, enterprise, cooperative, non-enterprise, online
PREMISES_P = [0.08, 0.47, 0.20, 0.25]  # incubator, rented, own, none
EMPLOYMENT_P = np.array([  # employed, registered_unemployed, unemployed, none; by category
    [0.86, 0.03, 0.04, 0.07], [0.55, 0.17, 0.10, 0.18], [0.35, 0.27, 0.12, 0.26]])

E, REL = s.EMPLOYMENTS.index, s.RELATIONS.index


def _pick(rng: np.random.Generator, p: np.ndarray | list, size: int) -> np.ndarray:
    """Categorical draws; `p` is one distribution, or one per row (2-D)."""
    cumulative = np.cumsum(np.asarray(p, float), axis=-1)
    u = rng.random(size)
    if cumulative.ndim == 1:
        return np.searchsorted(cumulative / cumulative[-1], u, side="right")
    return (u[:, None] * cumulative[:, -1:] >= cumulative).sum(axis=1)


def _regions(day: datetime.date) -> tuple[list[str], np.ndarray]:
    """County-level codes in use on `day`, each weighted by its city's population over its counties."""
    counties = [r for r in regions_on(day) if not r.is_city]
    per_city = {c: sum(r.city_code == c for r in counties) for c in CITY_POPULATION}
    weights = np.array([CITY_POPULATION.get(r.city_code, 0) / max(per_city.get(r.city_code, 1), 1)
                        for r in counties])
    return [r.code for r in counties], weights / weights.sum()


def _households(rng: np.random.Generator, n: int, weights: np.ndarray,
                hardship_only: bool = False) -> dict[str, np.ndarray]:
    if hardship_only:  # archived (extreme) hardship households in the proportions among hardship ones
        category = 1 + _pick(rng, np.array(CATEGORY_P[1:]) / sum(CATEGORY_P[1:]), n)
    else:
        category = _pick(rng, CATEGORY_P, n)
    hardship = category > 0
    dibao = rng.random(n) < np.array([0.005, 0.25, 0.60])[category]
    main = 1 << _pick(rng, CAUSE_P, n)
    extra = ((rng.random((n, len(s.CAUSES))) < 0.08) << np.arange(len(s.CAUSES))).sum(axis=1)
    return {
        "region": _pick(rng, weights, n), "category": category,
        "archived": np.where(hardship, (rng.random(n) < 0.92) | hardship_only, rng.random(n) < 0.01),
        "dibao": dibao, "dibao_edge": ~dibao & (rng.random(n) < np.array([0.01, 0.20, 0.25])[category]),
        "causes": np.where(hardship, main | extra, 0),
        "cpi": np.where(rng.random(n) < 0.10, np.round(rng.normal(2.4, 1.0, n), 1), np.nan),
        "size": 1 + _pick(rng, SIZE_P, n),
    }


def _ages(rng: np.random.Generator, relation: np.ndarray, worker_age: np.ndarray) -> np.ndarray:
    m = len(relation)
    child = np.floor(rng.random(m) * np.clip(worker_age - 19, 1, 27))
    return np.select(
        [relation == REL("self"), relation == REL("spouse"), relation == REL("child"),
         relation == REL("parent"), relation == REL("sibling"), relation == REL("grandchild")],
        [worker_age, np.clip(worker_age + np.round(rng.normal(0, 3, m)), 20, 75), child,
         np.clip(worker_age + rng.integers(22, 35, m), 45, 98), np.clip(worker_age + rng.integers(-8, 9, m), 16, 80),
         rng.integers(0, 10, m)],
        rng.integers(16, 70, m)).astype(np.int64)


def _school(rng: np.random.Generator, age: np.ndarray) -> dict[str, np.ndarray]:
    m, v = len(age), rng.random(len(age))
    teen, young = (age >= 15) & (age <= 17), (age >= 18) & (age <= 21)
    stage_name = np.select(
        [(age >= 3) & (age <= 5) & (v < 0.90), (age >= 6) & (age <= 11), (age >= 12) & (age <= 14),
         teen & (v < 0.55), teen & (v < 0.93), young & (v < 0.48), young & (v < 0.50)],
        ["preschool", "primary", "junior", "senior_high", "secondary_vocational", "higher", "adult_higher_regular"],
        "")
    start = {"preschool": 2, "primary": 5, "junior": 11, "senior_high": 14, "secondary_vocational": 14,
             "higher": 17, "adult_higher_regular": 17}
    stage = np.zeros(m, np.int64)
    year = np.zeros(m, np.int64)
    institution = np.zeros(m, np.int64)
    for name, first in start.items():
        at = stage_name == name
        stage[at], year[at] = s.STAGES.index(name), np.minimum(age[at] - first, 4 if first == 17 else 9)
        institution[at] = _pick(rng, INSTITUTION_P[name], int(at.sum()))
    return {"stage": stage, "school_year": year, "institution": institution,
            "excellent": (stage > 0) & (rng.random(m) < 0.12)}


def _business(rng: np.random.Generator, day: np.datetime64, owner: np.ndarray,
              age: np.ndarray) -> dict[str, np.ndarray]:
    m, k = len(owner), int(owner.sum())
    days_ago = np.floor(rng.random(m) * np.clip((age - 17) * 365, 1, 3650)).astype(np.int64)  # registered as an adult
    kind = np.zeros(m, np.int64)
    kind[owner] = 1 + _pick(rng, KIND_P, k)
    mean_staff = np.array([0, 0.8, 6.0, 3.0, 2.0, 0.5])[kind]
    premises = np.full(m, s.PREMISES.index("none"))
    premises[owner] = _pick(rng, PREMISES_P, k)
    return {
        "business": kind, "registered_on": np.where(owner, day - days_ago, np.datetime64("NaT")),
        "employees": np.where(owner, rng.poisson(mean_staff), 0), "premises": premises,
        "first_time": owner & (rng.random(m) < 0.65), "other_rent_subsidy": owner & (rng.random(m) < 0.08),
    }


def _employment(rng: np.random.Generator, p: dict, age: np.ndarray, category: np.ndarray) -> np.ndarray:
    retire_at = np.array([60, 50, 55])[p["group"]]
    adult = (age >= 16) & (p["stage"] == 0)
    of_age = np.array([E("employed"), E("registered_unemployed"), E("unemployed"), E("none")])[
        _pick(rng, EMPLOYMENT_P[category], len(age))]
    employment = np.select(
        [p["stage"] > s.STAGES.index("preschool"), adult & (age >= retire_at), adult],
        [E("student"), np.where(rng.random(len(age)) < 0.75, E("retired"), E("none")), of_age], E("none"))
    incubated = (p["premises"] == s.PREMISES.index("incubator")) & (rng.random(len(age)) < 0.3)
    return np.where(p["business"] > 0, np.where(incubated, E("registered_unemployed"), E("employed")), employment)


def _persons(rng: np.random.Generator, h: dict, day: np.datetime64) -> dict[str, np.ndarray]:
    size = h["size"]
    n, hh = len(size), np.repeat(np.arange(len(size)), size)
    m = len(hh)
    position = np.arange(m) - (np.cumsum(size) - size)[hh]
    relation = np.where(position == 0, REL("self"),
                        np.where(position == 1, _pick(rng, SECOND_P, m), _pick(rng, LATER_P, m)))
    age = _ages(rng, relation, rng.integers(22, 66, n)[hh])
    birth = day - np.floor((age + rng.random(m)) * 365.2425).astype(np.int64)
    worker_female = rng.random(n) < 0.5
    sex = np.where(relation == REL("spouse"), ~worker_female[hh], rng.random(m) < 0.5)
    sex = np.where(relation == REL("self"), worker_female[hh], sex).astype(np.int64)  # 1: female
    u = rng.random(m)
    given = np.where(sex == 0, np.where(u < 0.03, 0, -1),
                     np.where((age >= 30) & (u < 0.15), 2, np.where(u > 0.97, 1, -1)))
    p = {"hh": hh, "position": position, "relation": relation, "sex": sex, "birth": birth,
         "given_group": given, "group": np.where(given >= 0, given, sex), **_school(rng, age)}
    category = h["category"][hh]
    p.update(_business(rng, day, (age >= 18) & (age < 60) & (p["stage"] == 0)
                       & (rng.random(m) < np.array([0.04, 0.03, 0.02])[category]), age))
    p["employment"] = employment = _employment(rng, p, age, category)
    p["disability"] = np.where(rng.random(m) < np.array([0.04, 0.14, 0.22])[category] * (0.5 + age / 60),
                               1 + _pick(rng, [0.1, 0.2, 0.3, 0.4], m), 0)
    p["serious_illness"] = rng.random(m) < np.array([0.015, 0.08, 0.15])[category]
    severe = (p["disability"] == 1) | (p["disability"] == 2)
    v = rng.random(m)
    p["work_ability"] = np.select(
        [severe & (v < 0.6), severe | ((p["disability"] > 2) & (v < 0.5)) | (p["serious_illness"] & (v < 0.5))
         | ((age >= 70) & (v < 0.4)) | (v < 0.02)], [2, 1], 0)
    working = (employment == E("employed"))
    p["willing"] = rng.random(m) < 0.92
    p["poverty_target"] = (age >= 16) & (rng.random(m) < np.array([0.005, 0.06, 0.06])[category])
    p["medical_insurance"] = rng.random(m) < np.where(working, 0.03, 0.92)
    p["pension_insurance"] = (age >= 16) & ~working & (p["stage"] == 0) & (
        rng.random(m) < np.where(employment == E("retired"), 0.10, 0.65))
    pay = np.select([working, employment == E("retired"), employment == E("registered_unemployed")],
                    [np.array([6500, 3000, 2200])[category], np.array([3200, 2000, 1600])[category],
                     np.where(rng.random(m) < 0.3, 1700, 0)], 0)
    p["income"] = np.bincount(hh, weights=np.round(pay * rng.lognormal(0, 0.35, m), 2), minlength=n)
    return p


def _members(p: dict) -> list[pa.Array]:
    stage, kind, given = p["stage"], p["business"], p["given_group"]
    school = pa.StructArray.from_arrays([
        pf.labelled(np.maximum(stage - 1, 0), s.STAGES[1:]), pa.array(p["school_year"].astype(np.int32)),
        pf.labelled(p["institution"], s.INSTITUTIONS), pa.array(p["excellent"]),
    ], fields=list(pf.SCHOOL), mask=pa.array(stage == 0))
    business = pa.StructArray.from_arrays([
        pf.labelled(np.maximum(kind - 1, 0), s.BUSINESS_KINDS[1:]), pf.dates(p["registered_on"]),
        pa.array(p["employees"].astype(np.int32)), pa.array(p["first_time"]),
        pf.labelled(p["premises"], s.PREMISES), pa.array(p["other_rent_subsidy"]),
    ], fields=list(pf.BUSINESS), mask=pa.array(kind == 0))
    return [
        pa.DictionaryArray.from_arrays(p["position"].astype(np.int32), pa.array([f"m{i}" for i in range(1, 7)])),
        pf.labelled(p["relation"], s.RELATIONS), pf.labelled(p["sex"], s.SEXES), pf.dates(p["birth"]),
        pf.labelled(np.maximum(given, 0), s.RETIREMENT_GROUPS, mask=given < 0),
        pf.labelled(p["employment"], s.EMPLOYMENTS), pf.labelled(p["work_ability"], s.WORK_ABILITIES),
        pa.array(p["willing"]), pa.array(p["disability"].astype(np.int8), mask=p["disability"] == 0),
        pa.array(p["poverty_target"]), pa.array(p["medical_insurance"]), pa.array(p["pension_insurance"]),
        pa.array(p["serious_illness"]), school, business,
    ]


def _table(rng: np.random.Generator, n: int, day: datetime.date, codes: list[str],
           weights: np.ndarray, hardship_only: bool = False, first: int = 0) -> pa.Table:
    """`n` households numbered from `first`, a row per member (the layout of `bangfu.policy.parquet`)."""
    as_of = np.datetime64(day, "D")
    h = _households(rng, n, weights, hardship_only)
    p = _persons(rng, h, as_of)
    hh = p["hh"]  # a household's fields on each of its member's rows

    bits = (h["causes"][:, None] >> np.arange(len(s.CAUSES))) & 1
    counts = bits.sum(axis=1)[hh]
    cause = np.nonzero(bits[hh])[1]
    cause_offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]).astype(np.int32))
    cpi = h["cpi"][hh]
    return pa.Table.from_arrays([
        pa.array(first + hh), pf.dates(np.full(len(hh), as_of)), pf.labelled(h["region"][hh], tuple(codes)),
        pf.labelled(h["category"][hh], s.CATEGORIES), pa.array(h["archived"][hh]), pa.array(h["dibao"][hh]),
        pa.array(h["dibao_edge"][hh]), pa.array(p["income"][hh]),
        pa.ListArray.from_arrays(cause_offsets, pf.labelled(cause, s.CAUSES)),
        pa.array(cpi, mask=np.isnan(cpi)), *_members(p),
    ], schema=pf.SCHEMA)


def _chunks(n_households: int, seed: int, as_of: str | datetime.date, hardship_only: bool = False,
            first: int = 0):
    day = as_of if isinstance(as_of, datetime.date) else datetime.date.fromisoformat(as_of)
    codes, weights = _regions(day)
    for k, start in enumerate(range(0, n_households, ROW_GROUP)):
        yield _table(np.random.default_rng([seed, k]), min(ROW_GROUP, n_households - start), day, codes, weights,
                     hardship_only, first + start)


def population_table(n_households: int, seed: int, as_of: str | datetime.date = "2024-06-01",
                     hardship_only: bool = False, first: int = 0) -> pa.Table:
    """The synthetic population in memory: the same rows `write_population` writes for this seed (households
    numbered from `first`: a part of a larger table)."""
    chunks = list(_chunks(n_households, seed, as_of, hardship_only, first))
    return pa.concat_tables(chunks) if chunks else pf.SCHEMA.empty_table()


def _slices(n_households: int, seed: int, as_of: str | datetime.date, partitions: int,
            hardship_only: bool = False):
    """(partition, table) pieces of the population in order: partition k holds households [k·n/P, (k+1)·n/P)."""
    bounds = [n_households * k // partitions for k in range(partitions + 1)]
    part = 0
    for chunk in _chunks(n_households, seed, as_of, hardship_only):
        households = chunk.column(pf.KEY).to_numpy()  # ascending: a piece is the rows of a run of households
        offset = 0
        while offset < chunk.num_rows:
            while bounds[part + 1] <= households[offset]:
                part += 1
            end = int(np.searchsorted(households, bounds[part + 1]))
            yield part, chunk.slice(offset, end - offset)
            offset = end


def write_population(n_households: int, seed: int, out_path: str | Path,
                     as_of: str | datetime.date = "2024-06-01", partitions: int = 1,
                     hardship_only: bool = False) -> Path:
    """Write `n_households` synthetic households as Parquet, one row group per 100,000 households at most.

    The same seed gives the same rows; each block of 100,000 draws from its own stream (seed, block). With
    `partitions` > 1, `out_path` is a directory of that many files (part-00000.parquet, …) holding, in order,
    the rows the single file would hold: the form a Dask cluster reads. `hardship_only`: archived hardship
    and extreme-hardship households only (no household stops at the first check), the population whose
    figures do not flatter the engine.
    """
    out = Path(out_path)
    if partitions > 1:
        out.mkdir(parents=True, exist_ok=True)
        names = [out / f"part-{k:05d}.parquet" for k in range(partitions)]
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        names = [out]
    writers: dict[int, pq.ParquetWriter] = {}
    # Arrow's writer is the slow part (with the former nested layout about 1 s per row group): it runs in a
    # thread, which releases the GIL, while the next row group is drawn.
    with ThreadPoolExecutor(1) as pool:
        pending = None
        try:
            for part, table in _slices(n_households, seed, as_of, len(names), hardship_only):
                if pending is not None:
                    pending.result()
                writer = writers.get(part) or writers.setdefault(
                    part, pq.ParquetWriter(names[part], pf.SCHEMA, **pf.WRITE_OPTIONS))
                # a piece is a row group: no household's members split between two
                pending = pool.submit(writer.write_table, table, row_group_size=max(1, table.num_rows))
            if pending is not None:
                pending.result()
        finally:
            for writer in writers.values():
                writer.close()
    for k, name in enumerate(names):  # a partition with no rows is still a valid (empty) file
        if k not in writers:
            pq.write_table(pf.SCHEMA.empty_table(), name, **pf.WRITE_OPTIONS)
    return out


__all__ = ["write_population", "population_table", "read_population", "population_from_arrow", "to_documents"]
