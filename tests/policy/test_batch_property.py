"""Properties over random valid households (every field, enum and region; dates at birthdays and the 2025 reform).

1. The vectorised batch and the single-household path give the same answers, benefit for benefit.
2. Each answer grants what the spec's table says (policy_oracle, written from the spec alone) and keeps
   the spec's invariants (policy_spec).
"""

from __future__ import annotations

import calendar
import copy
import datetime
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from policy_oracle import expected, retirement_day
from policy_spec import check_invariants

from bangfu.policy import assess, assess_many
from bangfu.policy.regions import regions_on

# Days where a rule turns: the notice's date, CPI publication days and gaps, later national figures, the 2025
# reform.
PIVOTS = [datetime.date(*d) for d in [(2019, 1, 9), (2019, 1, 10), (2019, 3, 9), (2019, 4, 26), (2019, 7, 7),
                                       (2020, 1, 9), (2020, 2, 20), (2021, 7, 28), (2024, 5, 7), (2024, 8, 26),
                                       (2024, 10, 25), (2024, 12, 31), (2025, 1, 1), (2025, 2, 15), (2025, 3, 1),
                                       (2026, 2, 28), (2028, 2, 29), (2043, 6, 15)]]
# Ages the rules look at: 16, the statutory retirement ages before the reform, and their ceilings after it.
AGES = [16, 50, 55, 58, 60, 63]

CAUSES = ["illness", "disability", "education", "disaster", "unemployment", "single_parent", "work_injury",
          "enterprise_difficulty", "other", "accident"]
RELATIONS = ["spouse", "child", "parent", "sibling", "grandchild", "other"]


def shift(day: datetime.date, years: int = 0, months: int = 0, days: int = 0) -> datetime.date:
    month0 = day.month - 1 + months + 12 * years
    year, month = day.year + month0 // 12, month0 % 12 + 1
    moved = datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    return moved + datetime.timedelta(days=days)


def maybe(strategy):
    """A field given, or left out (None here: the caller drops it)."""
    return st.one_of(st.just(None), strategy)


# Strategies are built once, here: building them inside the composites made generation ten times slower.
as_of_dates = st.one_of(
    st.sampled_from(PIVOTS),
    st.dates(datetime.date(2018, 12, 1), datetime.date(2030, 12, 31)),
    st.builds(shift, st.sampled_from(PIVOTS), days=st.integers(-3, 3)),
)
BIRTH_KINDS = st.sampled_from(["near_age", "retirement_edge", "reform", "any"])
AGE = st.sampled_from(AGES)
MONTHS_PAST = st.one_of(st.just(0), st.integers(0, 40))
SMALL_DAYS = st.integers(-2, 2)
REFORM_YEAR, MONTH, MONTH_END = st.integers(1963, 1980), st.integers(1, 12), st.sampled_from([1, 15, 28, 29, 30, 31])
DAYS_BACK = st.integers(0, 36500)
COIN = st.booleans()

SCHOOL = st.fixed_dictionaries(
    {
        "stage": st.sampled_from(["preschool", "primary", "junior", "senior_high", "secondary_vocational", "higher",
                                  "adult_higher_regular"]),
        "year": st.integers(1, 6),
        "institution": st.sampled_from(["public", "private_inclusive", "private_nonprofit", "private_forprofit"]),
    },
    optional={"excellent": st.booleans()},
)
BUSINESS_KIND = st.sampled_from(["individual", "enterprise", "farmer_cooperative", "private_non_enterprise", "online"])
BUSINESS_OPTIONAL = {
    "employees": st.integers(0, 200),
    "first_time": st.booleans(),
    "premises": st.sampled_from(["incubator", "rented", "own", "none"]),
    "other_rent_subsidy": st.booleans(),
}
MEMBER_OPTIONAL = {
    "employment": st.sampled_from(["employed", "registered_unemployed", "unemployed", "retired", "student", "none"]),
    "work_ability": st.sampled_from(["full", "partial", "none"]),
    "willing_to_work": st.booleans(),
    "disability_grade": st.one_of(st.none(), st.integers(1, 4)),  # "or null"
    "poverty_alleviation_target": st.booleans(),
    "resident_medical_insurance": st.booleans(),
    "resident_pension_insurance": st.booleans(),
    "serious_illness": st.booleans(),
    "school": st.one_of(st.none(), SCHOOL),  # "or null"
}
SEX = st.sampled_from(["male", "female"])
GROUP = {"male": maybe(st.just("male")), "female": maybe(st.sampled_from(["female_50", "female_55"]))}
RELATION = st.sampled_from(RELATIONS + ["child", "child"])
IDS = st.permutations(["f", "w", "c1", "c2", "p", "g", "甲", "0"])
HOUSEHOLD_OPTIONAL = {
    "dibao": st.booleans(),
    "dibao_edge": st.booleans(),
    "monthly_income": st.one_of(st.integers(0, 8000), st.decimals(0, 8000, places=2).map(float)),
    "hardship_causes": st.lists(st.sampled_from(CAUSES), unique=True, max_size=4),
    "cpi_yoy_percent": st.one_of(st.sampled_from([2.9, 3, 3.0, 3.1]), st.decimals(-3, 8, places=1).map(float)),
}
CATEGORY = st.sampled_from(["extreme_hardship", "extreme_hardship", "hardship", "hardship", "none"])
ARCHIVED = st.sampled_from([True, True, True, False])


def _day_before(draw, as_of: datetime.date, earliest: datetime.date) -> datetime.date:
    return as_of - datetime.timedelta(days=min(draw(DAYS_BACK), max(0, (as_of - earliest).days)))


def _birth_date(draw, as_of: datetime.date, sex: str, group: str | None) -> datetime.date:
    kind = draw(BIRTH_KINDS)
    if kind == "retirement_edge":  # a few days either side of the day this member reaches retirement age
        probe = {"sex": sex, "retirement_group": group,
                 "birth_date": shift(as_of, years=-60, months=-draw(MONTHS_PAST)).isoformat()}
        born = datetime.date.fromisoformat(probe["birth_date"])
        born += (as_of - retirement_day(probe)) + datetime.timedelta(days=draw(SMALL_DAYS))
    elif kind == "near_age":
        born = shift(as_of, years=-draw(AGE), months=-draw(MONTHS_PAST), days=draw(SMALL_DAYS))
    elif kind == "reform":  # cohorts the 2025 reform delays, days chosen to land on month ends
        year, month = draw(REFORM_YEAR), draw(MONTH)
        born = datetime.date(year, month, min(draw(MONTH_END), calendar.monthrange(year, month)[1]))
    else:
        born = _day_before(draw, as_of, datetime.date(1925, 1, 1))
    return min(born, as_of)


def _fill(draw, target: dict, optional: dict) -> None:
    """Each optional field given or left out."""
    for key, strategy in optional.items():
        if draw(COIN):
            target[key] = draw(strategy)


def _member(draw, as_of: datetime.date, member_id: str, relation: str) -> dict:
    sex = draw(SEX)
    group = draw(GROUP[sex])
    member = {"id": member_id, "relation": relation, "sex": sex,
              "birth_date": _birth_date(draw, as_of, sex, group).isoformat()}
    if group:
        member["retirement_group"] = group
    _fill(draw, member, MEMBER_OPTIONAL)
    if draw(COIN):
        business = {"kind": draw(BUSINESS_KIND),
                    "registered_on": _day_before(draw, as_of, datetime.date(2000, 1, 1)).isoformat()}
        _fill(draw, business, BUSINESS_OPTIONAL)
        member["business"] = business
    elif draw(COIN):
        member["business"] = None
    return member


@cache
def _codes_on(day: datetime.date) -> list[str]:
    return [r.code for r in regions_on(day)]


@st.composite
def households(draw) -> dict:
    as_of = draw(as_of_dates)
    size = draw(st.integers(1, 4))
    me = draw(st.integers(0, size - 1))
    ids = draw(IDS)[:size]
    people = [_member(draw, as_of, ids[i], "self" if i == me else draw(RELATION)) for i in range(size)]
    doc = {
        "as_of": as_of.isoformat(),
        "region": draw(st.sampled_from(_codes_on(as_of))),
        "category": draw(CATEGORY),
        "archived": draw(ARCHIVED),
    }
    _fill(draw, doc, HOUSEHOLD_OPTIONAL)
    doc["members"] = people
    return doc


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(households(), min_size=1, max_size=4))
def test_batch_equals_one_by_one(docs: list[dict]) -> None:
    batch = assess_many(copy.deepcopy(docs))
    single = [assess(copy.deepcopy(doc)) for doc in docs]
    assert len(batch) == len(single)
    for i, (got, want) in enumerate(zip(batch, single, strict=True)):
        assert [(b["code"], b["member"]) for b in got["benefits"]] == [
            (b["code"], b["member"]) for b in want["benefits"]
        ], f"document {i}: benefits differ"
        for b_got, b_want in zip(got["benefits"], want["benefits"], strict=True):
            assert b_got == b_want, f"document {i}: {b_want['code']}/{b_want['member']}"
        assert got == want, f"document {i}"
        check_invariants(docs[i], want)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(households())
def test_answers_follow_the_spec_table(doc: dict) -> None:
    """Random households against the spec's rules read plainly (policy_oracle) and its answer invariants."""
    answer = assess(copy.deepcopy(doc))
    check_invariants(doc, answer)
    got = [(b["code"], b["member"], b["amount"]) for b in answer["benefits"]]
    want = expected(doc)
    missing = [row for row in want if row not in got]
    extra = [row for row in got if row not in want]
    assert not missing and not extra, f"missing {missing}, not in the spec {extra}"
    assert got == want, "same benefits, other order"


def test_an_empty_batch_gives_no_answers() -> None:
    assert assess_many([]) == []
