"""Documents for the input tests: a valid household with every field, and bad variants of it."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

BANGFU = Path(sys.executable).with_name("bangfu")
DELETE = object()


def base() -> dict:
    """A valid document, every field given, in the order the spec lists them."""
    return {
        "as_of": "2019-06-01",
        "region": "320102",
        "category": "extreme_hardship",
        "archived": True,
        "dibao": False,
        "dibao_edge": False,
        "monthly_income": 1800.0,
        "hardship_causes": ["illness", "education"],
        "cpi_yoy_percent": 2.1,
        "members": [
            {"id": "f", "relation": "self", "sex": "male", "birth_date": "1975-05-05", "retirement_group": "male",
             "employment": "registered_unemployed", "work_ability": "full", "willing_to_work": True,
             "disability_grade": None, "poverty_alleviation_target": False, "resident_medical_insurance": True,
             "resident_pension_insurance": False, "serious_illness": False, "school": None,
             "business": {"kind": "individual", "registered_on": "2019-03-01", "employees": 2, "first_time": True,
                          "premises": "incubator", "other_rent_subsidy": False}},
            {"id": "w", "relation": "spouse", "sex": "female", "birth_date": "1977-02-02", "employment": "employed",
             "disability_grade": 3, "serious_illness": True},
            {"id": "c", "relation": "child", "sex": "female", "birth_date": "2010-09-01", "employment": "student",
             "school": {"stage": "primary", "year": 3, "institution": "public", "excellent": False}},
        ],
    }


def _set(doc: dict, path: str, value) -> dict:
    """Set (or with DELETE remove) the field at a spec path such as `members[2].school.year`."""
    steps = [int(s) if s.isdigit() else s for s in re.findall(r"[^.\[\]]+", path)]
    node = doc
    for step in steps[:-1]:
        node = node[step]
    if value is DELETE:
        del node[steps[-1]]
    else:
        node[steps[-1]] = value
    return doc


def bad(*changes) -> dict:
    doc = base()
    for path, value in changes:
        _set(doc, path, value)
    return doc


def text(doc) -> bytes:
    if isinstance(doc, bytes):
        return doc
    return (doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False)).encode("utf-8")
