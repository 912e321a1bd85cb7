"""API schemas of the household file. Input types are loose on purpose: the services check values in Chinese."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ninja import Schema

from bangfu.common.bounds import Count, Day, DbId


class MemberIn(Schema):
    name: str
    id_number: str
    relation: str
    sex: str | None = None
    birth_date: Day | None = None
    phone: str = ""
    retirement_group: str = ""
    employment: str = "none"
    employer: str = ""
    work_ability: str = "full"
    willing_to_work: bool = True
    health: str = "healthy"
    disability_grade: Count | None = None
    serious_illness: bool = False
    poverty_alleviation_target: bool = False
    resident_medical_insurance: bool = False
    resident_pension_insurance: bool = False
    school_name: str = ""
    school_stage: str = ""
    school_year: Count | None = None
    school_institution: str = ""
    school_excellent: bool = False
    business_kind: str = ""
    business_name: str = ""
    business_credit_code: str = ""
    business_registered_on: Day | None = None
    business_employees: Count = 0
    business_first_time: bool = False
    business_premises: str = ""
    business_other_rent_subsidy: bool = False


class MemberPatch(Schema):
    """Only the fields sent are changed; `version` is the member's version as read (a stale one is refused)."""

    version: Count
    name: str | None = None
    id_number: str | None = None
    relation: str | None = None
    phone: str | None = None
    retirement_group: str | None = None
    employment: str | None = None
    employer: str | None = None
    work_ability: str | None = None
    willing_to_work: bool | None = None
    health: str | None = None
    disability_grade: Count | None = None
    serious_illness: bool | None = None
    poverty_alleviation_target: bool | None = None
    resident_medical_insurance: bool | None = None
    resident_pension_insurance: bool | None = None
    school_name: str | None = None
    school_stage: str | None = None
    school_year: Count | None = None
    school_institution: str | None = None
    school_excellent: bool | None = None
    business_kind: str | None = None
    business_name: str | None = None
    business_credit_code: str | None = None
    business_registered_on: Day | None = None
    business_employees: Count | None = None
    business_first_time: bool | None = None
    business_premises: str | None = None
    business_other_rent_subsidy: bool | None = None


class MemberOut(Schema):
    id: int
    name: str
    id_number_masked: str
    sex: str
    birth_date: datetime.date
    relation: str
    relation_label: str
    phone: str
    retirement_group: str
    employment: str
    employer: str
    work_ability: str
    willing_to_work: bool
    health: str
    disability_grade: int | None
    serious_illness: bool
    poverty_alleviation_target: bool
    resident_medical_insurance: bool
    resident_pension_insurance: bool
    school: dict[str, Any] | None
    business: dict[str, Any] | None
    active: bool
    removed: bool
    version: int


class HouseholdIn(Schema):
    union_id: DbId
    region_code: str
    address: str
    phone: str = ""
    proposed_category: str = "hardship"
    hardship_causes: list[str] = []
    dibao: bool = False
    dibao_edge: bool = False
    housing_area_m2: Decimal | None = None
    owns_housing: bool = False
    has_vehicle: bool = False
    financial_assets: Decimal | None = None
    property_notes: str = ""
    notes: str = ""
    members: list[MemberIn] = []


class HouseholdPatch(Schema):
    """Only the fields sent are changed; `version` is the file's version as read (a stale one is refused)."""

    version: Count
    region_code: str | None = None
    address: str | None = None
    phone: str | None = None
    proposed_category: str | None = None
    hardship_causes: list[str] | None = None
    dibao: bool | None = None
    dibao_edge: bool | None = None
    housing_area_m2: Decimal | None = None
    owns_housing: bool | None = None
    has_vehicle: bool | None = None
    financial_assets: Decimal | None = None
    property_notes: str | None = None
    notes: str | None = None


class HouseholdListItem(Schema):
    id: int
    worker_name: str | None
    worker_id_number_masked: str
    phone: str
    union_id: int
    union_name: str
    region_code: str
    address: str
    status: str
    proposed_category: str
    verified_category: str
    hardship_causes: list[str]
    dibao: bool
    dibao_edge: bool
    size: int


class HouseholdPage(Schema):
    items: list[HouseholdListItem]
    total: int
    page: int
    per_page: int
    pages: int
    next_after: int | None = None  # pass as `after` (with page+1) for the next page; None on the last
    previous_before: int | None = None  # pass as `before` (with page-1) for the previous page; None on the first


class IncomeIn(Schema):
    month: Day
    source: str
    amount: Decimal
    notes: str = ""


class IncomeOut(Schema):
    id: int
    month: datetime.date
    source: str
    amount: Decimal


class DocumentOut(Schema):
    id: int
    doc_type: str
    original_name: str
    content_type: str
    size: int
    uploaded_at: datetime.datetime


class HouseholdOut(Schema):
    id: int
    version: int
    union_id: int
    union_name: str
    region_code: str
    address: str
    phone: str
    status: str
    archived: bool
    proposed_category: str
    verified_category: str
    hardship_causes: list[str]
    dibao: bool
    dibao_edge: bool
    housing_area_m2: Decimal | None
    owns_housing: bool
    has_vehicle: bool
    financial_assets: Decimal | None
    property_notes: str
    notes: str
    members: list[MemberOut]
    incomes: list[IncomeOut]
    documents: list[DocumentOut]


class ReasonIn(Schema):
    reason: str


class IdNumberOut(Schema):
    id: int
    id_number: str
