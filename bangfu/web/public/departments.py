"""Where a family applies for a benefit: the engine's department table, read through this one function."""

from __future__ import annotations

from bangfu.cases.departments import department_for
from bangfu.cases.models import Department


def where_to_apply(code: str, kind: str) -> str:
    """The sentence the public pages show: which local office a family goes to for this benefit."""
    department = department_for(code)
    office = "当地工会" if department == Department.UNION else f"当地{Department(department).label}部门"
    return f"由{office}办理。" if kind in ("priority", "service") else f"可向{office}申请。"
