"""A slow, plain reading of spec/assessment.md's benefit table, written apart from the engine to check it.

`expected(doc)` gives the (code, member, amount) triples a valid document must be granted, in the spec's
order, using the illustrative figures in force from 2019-01-10. One household at a time, Decimal money.
"""

from __future__ import annotations

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

from policy_spec import BENEFITS, ORDER

NOTICE = datetime.date(2019, 1, 10)
DIBAO = {"3201": 900, "3202": 900, "3203": 680, "3204": 870, "3205": 995, "3206": 780, "3207": 640, "3208": 640,
         "3209": 640, "3210": 700, "3211": 760, "3212": 690, "3213": 610}
CONTRIBUTION, HARDSHIP_SHARE = Decimal(250), Decimal("0.5")
ELECTRICITY = Decimal("0.5283")
CABLE_TV_NORMAL = Decimal(24)
CPI = dict(zip(
    [(2019, m) for m in range(1, 13)] + [(2020, m) for m in range(1, 13)],
    [1.9, 1.6, 2.4, 2.7, 2.8, 2.8, 2.9, 2.9, 3.0, 3.6, 4.3, 4.5, 5.4, 5.3, 4.4, 3.4, 2.5, 2.6, 2.8, 2.5, 1.8, 0.6,
     -0.4, 0.2],
    strict=True,
))
# (base years, first cohort born, months of birth per month of delay, most months of delay)
RETIREMENT = {"male": (60, 1965, 4, 36), "female_55": (55, 1970, 4, 36), "female_50": (50, 1975, 2, 60)}


def money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The spec's "birth date plus the years and months": the month's last day when that day does not exist."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def retirement_day(member: dict) -> datetime.date:
    born = datetime.date.fromisoformat(member["birth_date"])
    group = member.get("retirement_group") or ("male" if member["sex"] == "male" else "female_50")
    years, cohort, per, most = RETIREMENT[group]
    after = (born.year - cohort) * 12 + born.month - 1
    delay = min(most, 1 + after // per) if after >= 0 else 0
    return add_months(born, years * 12 + delay)


def working_age(member: dict, as_of: datetime.date) -> bool:
    born = datetime.date.fromisoformat(member["birth_date"])
    return add_months(born, 16 * 12) <= as_of < retirement_day(member)


def _member_rows(doc: dict, m: dict, as_of: datetime.date, extreme: bool):
    wa = working_age(m, as_of)
    job = m.get("employment", "none")
    business, school = m.get("business"), m.get("school")
    if extreme and wa and job == "registered_unemployed" and m.get("work_ability", "full") != "none" \
            and m.get("willing_to_work", True):
        yield "employment.public_welfare_job", None
    if wa and job == "registered_unemployed":
        yield "entrepreneurship.startup_subsidies", None
    if business:
        if wa:
            yield "entrepreneurship.guaranteed_loan", None
        if business["kind"] == "individual":
            yield "entrepreneurship.tax_relief", None
        premises = business.get("premises", "none")
        incubator = premises == "incubator" and job == "registered_unemployed" and business.get("first_time", False)
        if (incubator or premises == "rented") and not business.get("other_rent_subsidy", False):
            yield "entrepreneurship.rent_subsidy", None
    if m.get("resident_medical_insurance", False):
        yield "medical.resident_insurance_subsidy", money(CONTRIBUTION * (1 if extreme else HARDSHIP_SHARE))
        yield "medical.critical_illness_preference", None
    if extreme or m.get("serious_illness", False):
        yield "medical.expense_assistance", None
    yield "medical.pay_after_treatment", None
    yield "medical.emergency_relief", None
    if m["relation"] == "self":
        yield "medical.mutual_aid", None
        if extreme and m.get("resident_pension_insurance", False) and (
                m.get("disability_grade") in (1, 2) or m.get("poverty_alleviation_target", False)):
            yield "living.pension_contribution", None
    if m["relation"] == "child" and school:
        stage, institution = school["stage"], school["institution"]
        if stage == "preschool" and institution in ("public", "private_inclusive"):
            yield "education.preschool_aid", money(1000)
        if stage in ("primary", "junior") and institution in ("public", "private_nonprofit"):
            yield "education.compulsory_living_subsidy", money(1000 if stage == "primary" else 1250)
        if stage == "senior_high":
            yield "education.high_school_grant", money(2000)
        if stage == "secondary_vocational" and school["year"] in (1, 2):
            yield "education.vocational_grant", money(2000)
        if stage in ("higher", "adult_higher_regular"):
            yield "education.university_grant", money(3000)
            if school["year"] >= 2 and school.get("excellent", False):
                yield "education.inspirational_scholarship", money(5000)


def _household_rows(doc: dict, as_of: datetime.date, extreme: bool):
    members = doc["members"]
    if not any(working_age(m, as_of) and not m.get("school") and m.get("work_ability", "full") == "full"
               for m in members):
        standard = DIBAO[doc["region"][:4]]
        gap = max(Decimal(0), standard * len(members) - Decimal(str(doc.get("monthly_income", 0))))
        yield "living.minimum_living_guarantee", money(gap * 12)
    if extreme:
        yield "living.free_electricity", money(15 * 12 * ELECTRICITY)
        yield "living.utility_relief", None
        yield "living.cable_tv", money((CABLE_TV_NORMAL - 8) * 12)
        cpi = doc.get("cpi_yoy_percent", CPI.get((as_of.year, as_of.month)))
        if cpi is not None and cpi >= 3:
            yield "living.price_subsidy", None
        yield "living.dibao_equivalent_benefits", None
        yield "living.dibao_policies", None
    yield "housing.public_rental_priority", None
    yield "housing.provident_fund", None
    yield "living.union_living_subsidy", None
    yield "legal.legal_aid", None
    if doc.get("dibao", False) and {"illness", "education", "disaster"} & set(doc.get("hardship_causes", [])):
        yield "living.dibao_special_hardship_aid", None


def expected(doc: dict) -> list[tuple[str, str | None, Decimal | None]]:
    as_of = datetime.date.fromisoformat(doc["as_of"])
    if not doc["archived"] or doc["category"] == "none" or as_of < NOTICE:
        return []
    extreme = doc["category"] == "extreme_hardship"
    rows = [(code, None, amount) for code, amount in _household_rows(doc, as_of, extreme)]
    for m in doc["members"]:
        rows += [(code, m["id"], amount) for code, amount in _member_rows(doc, m, as_of, extreme)]
    position = {m["id"]: i for i, m in enumerate(doc["members"])}
    assert all((BENEFITS[code][2] == "household") == (member is None) for code, member, _ in rows)
    return sorted(rows, key=lambda r: (ORDER[r[0]], -1 if r[1] is None else position[r[1]]))
