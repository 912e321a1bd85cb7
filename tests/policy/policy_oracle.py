"""A slow, plain reading of spec/assessment.md's benefit table, written apart from the engine to check it.

`expected(doc)` gives the (code, member, amount) triples a valid document must be granted, in the spec's
order, using the figures in force on its day (format version 2: the later national figures from the day
their document is known to exist, the CPI from its publication day). One household at a time, Decimal money.
"""

from __future__ import annotations

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

from policy_spec import BENEFITS, ORDER

NOTICE = datetime.date(2019, 1, 10)
DIBAO = {"3201": 900, "3202": 900, "3203": 680, "3204": 870, "3205": 995, "3206": 780, "3207": 640, "3208": 640,
         "3209": 640, "3210": 700, "3211": 760, "3212": 690, "3213": 610}
# Later dated standards by city (first day, value); 常州's 1000 from 2022-07-01 (reported, still illustrative).
DIBAO_LATER = {"3204": [(datetime.date(2022, 7, 1), 1000)]}
HARDSHIP_SHARE = Decimal("0.5")
ELECTRICITY = Decimal("0.5283")
CABLE_TV_NORMAL = Decimal(24)
# (first day, value): the value in force from that day; None where no figure is held.
CONTRIBUTION = [(NOTICE, None), (datetime.date(2019, 4, 26), 250), (datetime.date(2021, 7, 28), 320),
                (datetime.date(2024, 8, 26), 400)]
D181 = datetime.date(2024, 10, 25)  # 财教〔2024〕181号
SPRING_2025 = datetime.date(2025, 3, 1)
UNIVERSITY = [(NOTICE, 3000), (datetime.date(2019, 7, 7), 3300), (D181, 3700)]
SCHOLARSHIP = [(NOTICE, 5000), (D181, 6000)]
HIGH_SCHOOL = [(NOTICE, 2000), (SPRING_2025, 2300)]
VOCATIONAL = [(NOTICE, (2000, 2)), (SPRING_2025, (2300, 3))]
COMPULSORY = [(NOTICE, (1000, 1250)), (datetime.date(2024, 5, 7), (1250, 1500))]
# Jiangsu's CPI by the day each month's figure was published, a null where the next month is not held.
CPI = [(NOTICE, None), (datetime.date(2019, 3, 9), 1.8), (datetime.date(2019, 4, 20), None),
       (datetime.date(2019, 8, 14), 2.9), (datetime.date(2019, 9, 20), None), (datetime.date(2019, 11, 9), 4.1),
       (datetime.date(2019, 12, 20), None), (datetime.date(2020, 1, 9), 4.7), (datetime.date(2020, 2, 20), None),
       (datetime.date(2020, 8, 10), 2.7), (datetime.date(2020, 9, 20), None), (datetime.date(2020, 12, 9), -0.4),
       (datetime.date(2021, 1, 11), 0.5), (datetime.date(2021, 2, 20), None), (datetime.date(2021, 3, 12), 0.3),
       (datetime.date(2021, 4, 20), None), (datetime.date(2021, 10, 14), 1.5), (datetime.date(2021, 11, 10), 2.2),
       (datetime.date(2021, 12, 20), None), (datetime.date(2022, 4, 11), 2.1), (datetime.date(2022, 5, 20), None),
       (datetime.date(2022, 7, 9), 2.4), (datetime.date(2022, 8, 10), 2.6), (datetime.date(2022, 9, 20), None),
       (datetime.date(2023, 5, 11), 0.0), (datetime.date(2023, 6, 20), None), (datetime.date(2023, 11, 9), -0.1),
       (datetime.date(2023, 12, 20), None)]


def on(series: list, day: datetime.date):
    """The value of a dated series in force on `day`."""
    return [value for start, value in series if start <= day][-1]


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
        within = as_of < add_months(datetime.date.fromisoformat(business["registered_on"]), 36)
        if (incubator or premises == "rented") and not business.get("other_rent_subsidy", False) and within:
            yield "entrepreneurship.rent_subsidy", None
    if m.get("resident_medical_insurance", False):
        contribution = on(CONTRIBUTION, as_of)
        share = 1 if extreme else HARDSHIP_SHARE
        yield "medical.resident_insurance_subsidy", None if contribution is None else money(contribution * share)
        yield "medical.critical_illness_preference", None
    if extreme or m.get("serious_illness", False):
        yield "medical.expense_assistance", None
    yield "medical.pay_after_treatment", None
    yield "medical.emergency_relief", None
    if m["relation"] == "self":
        yield "medical.mutual_aid", None
        under_60 = as_of < add_months(datetime.date.fromisoformat(m["birth_date"]), 60 * 12)
        if extreme and m.get("resident_pension_insurance", False) and under_60 and (
                m.get("disability_grade") in (1, 2) or m.get("poverty_alleviation_target", False)):
            yield "living.pension_contribution", None
    if m["relation"] == "child" and school:
        stage, institution = school["stage"], school["institution"]
        if stage == "preschool" and institution in ("public", "private_inclusive"):
            yield "education.preschool_aid", money(1000)
        if stage in ("primary", "junior") and institution in ("public", "private_nonprofit"):
            primary, junior = on(COMPULSORY, as_of)
            yield "education.compulsory_living_subsidy", money(primary if stage == "primary" else junior)
        if stage == "senior_high":
            yield "education.high_school_grant", money(on(HIGH_SCHOOL, as_of))
        grant, last_year = on(VOCATIONAL, as_of)
        if stage == "secondary_vocational" and school["year"] <= last_year:
            yield "education.vocational_grant", money(grant)
        if stage in ("higher", "adult_higher_regular"):
            yield "education.university_grant", money(on(UNIVERSITY, as_of))
            if school["year"] >= 2 and school.get("excellent", False):
                yield "education.inspirational_scholarship", money(on(SCHOLARSHIP, as_of))


def _household_rows(doc: dict, as_of: datetime.date, extreme: bool):
    members = doc["members"]
    if not doc.get("dibao", False) and not any(
            working_age(m, as_of) and not m.get("school") and m.get("work_ability", "full") == "full" for m in members):
        city = doc["region"][:4]
        standard = on([(NOTICE, DIBAO[city]), *DIBAO_LATER.get(city, [])], as_of)
        gap = max(Decimal(0), standard * len(members) - Decimal(str(doc.get("monthly_income", 0))))
        if gap > 0:
            yield "living.minimum_living_guarantee", money(gap * 12)
    if extreme:
        yield "living.free_electricity", money(15 * 12 * ELECTRICITY)
        yield "living.utility_relief", None
        yield "living.cable_tv", money((CABLE_TV_NORMAL - 8) * 12)
        cpi = doc["cpi_yoy_percent"] if "cpi_yoy_percent" in doc else on(CPI, as_of)
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
