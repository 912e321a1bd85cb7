"""The OpenFisca anchor on bangfu's population: its inputs mapped from ours, and a per-code comparison.

The anchor (../shared/anchors/openfisca_jiangsu) is imported from where it lies, never copied.
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

from bangfu.policy import schema as s
from bangfu.policy.engine import evaluate
from bangfu.policy.parameters import default_parameters
from bangfu.policy.table import Population
from bangfu.policy.tally import cents

# anchor variable -> our benefit code (the anchor's nine formulas; each is one of our codes)
CODES = {
    "preschool_aid": "education.preschool_aid",
    "compulsory_living_subsidy": "education.compulsory_living_subsidy",
    "senior_high_grant": "education.high_school_grant",
    "vocational_grant": "education.vocational_grant",
    "higher_grant": "education.university_grant",
    "inspirational_scholarship": "education.inspirational_scholarship",
    "medical_contribution_subsidy": "medical.resident_insurance_subsidy",
    "free_electricity_value": "living.free_electricity",
    "cable_tv_saving": "living.cable_tv",
}


def load_anchor(path: Path) -> ModuleType:
    """The anchor's bench.py as a module (it puts its own folder on sys.path for `jiangsu_aid`)."""
    spec = importlib.util.spec_from_file_location("openfisca_anchor_bench", path / "bench.py")
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def age_in_years(birth: np.ndarray, as_of: str) -> np.ndarray:
    day = datetime.date.fromisoformat(as_of)
    years = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    months = birth.astype("datetime64[M]")
    month = (months - birth.astype("datetime64[Y]").astype("datetime64[M]")).astype(np.int64) + 1
    dom = (birth - months.astype("datetime64[D]")).astype(np.int64) + 1
    before_birthday = (month > day.month) | ((month == day.month) & (dom > day.day))
    return (day.year - years - before_birthday).astype(np.int32)


def openfisca_inputs(pop: Population, as_of: str) -> dict[str, np.ndarray]:
    """Our population as the anchor's arrays (bench.make_population's keys)."""
    # our stages: "", preschool … higher, adult_higher_regular; the anchor has no adult_higher_regular,
    # which our rules treat as `higher` for both of its codes
    stage = np.minimum(pop.stage, s.STAGES.index("higher")).astype(np.int16)
    size = np.bincount(pop.hh, minlength=pop.n_households)
    return {
        "person_household": pop.hh.astype(np.int64),
        "person_role": (pop.relation != s.RELATIONS.index("self")).astype(np.int8),
        "age": age_in_years(pop.birth, as_of),
        "school_stage": stage,
        "school_year": pop.school_year.astype(np.int32),
        "excellent": pop.excellent.copy(),
        "registered_unemployed": pop.employment == s.EMPLOYMENTS.index("registered_unemployed"),
        "disability_grade": pop.disability.astype(np.int32),
        "category": pop.category.astype(np.int16),
        "monthly_income_per_capita": pop.monthly_income / size,
        "local_dibao_standard": np.zeros(pop.n_households),
    }


def aligned(pop: Population) -> Population:
    """Our population with the facts the anchor does not look at set so that our rules pass them:
    every household archived, every member insured, every pupil a child at a public school."""
    in_school = pop.stage > 0
    child = np.where(in_school & (pop.relation != s.RELATIONS.index("self")), s.RELATIONS.index("child"),
                     pop.relation).astype(pop.relation.dtype)
    return dataclasses.replace(
        pop, archived=np.ones_like(pop.archived), medical_insurance=np.ones_like(pop.medical_insurance),
        institution=np.where(in_school, 0, pop.institution).astype(pop.institution.dtype), relation=child)


def _ours_by_household(pop: Population) -> dict[str, np.ndarray]:
    """Per household, fen of each of the anchor's codes in our evaluation."""
    evaluation = evaluate(pop)
    admitted, batch_row = evaluation.admitted, evaluation.households
    out = {}
    for result in evaluation.results:
        if result.rule.code in CODES.values():
            rows = np.flatnonzero(result.entitled)
            fen = np.broadcast_to(cents(result.outcome.amount), result.entitled.shape)[rows]
            owner = batch_row[rows if result.rule.entity == "household" else admitted.hh[rows]]
            out[result.rule.code] = np.bincount(owner, weights=fen, minlength=pop.n_households)
    return out


def compare(anchor: Path, pop: Population, as_of: str) -> dict:
    """Per code, the anchor's total and ours (on aligned inputs, and as is), in fen, and where they differ."""
    bench = load_anchor(anchor)
    tbs = bench.load_system()
    period = as_of[:4]
    sim = bench.build_simulation(tbs, openfisca_inputs(pop, as_of), period)
    ours = _ours_by_household(aligned(pop))
    as_is = _ours_by_household(pop)
    theirs_contribution = float(tbs.parameters(period).medical.individual_contribution)
    our_contribution = default_parameters()["medical.resident_insurance.contribution"].at(
        datetime.date.fromisoformat(as_of)).value
    rows = []
    for variable, code in CODES.items():
        value = sim.calculate(variable, period).astype(np.float64)
        fen = cents(value)
        if len(fen) != pop.n_households:
            fen = np.bincount(pop.hh, weights=fen, minlength=pop.n_households)
        row = {"code": code, "anchor_variable": variable, "anchor_fen": int(fen.sum()),
               "ours_fen": int(ours[code].sum()), "ours_as_is_fen": int(as_is[code].sum()),
               "households_differ": int((fen != ours[code]).sum())}
        row["agree"] = row["households_differ"] == 0
        if code == "medical.resident_insurance_subsidy":
            # the one figure that differs by design: each side's individual contribution
            row["explained_by_contribution"] = bool(np.allclose(fen * our_contribution,
                                                                ours[code] * theirs_contribution))
            row["contributions"] = {"anchor": theirs_contribution, "ours": our_contribution}
        rows.append(row)
    return {"households": pop.n_households, "codes": rows}
