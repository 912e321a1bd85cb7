"""The bridge to the policy engine: a household as the assessment format's input document, and its answer."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from itertools import islice

import numpy as np
from django.db.models import BigIntegerField, F, TextField
from django.db.models.functions import Cast, Round

from bangfu.common.bounds import as_of_within
from bangfu.common.errors import ValidationFailed
from bangfu.policy import InputError, assess
from bangfu.policy import schema as s
from bangfu.policy.explain import money
from bangfu.policy.regions import region_error, region_index
from bangfu.policy.rules.income import Incomes, income_summary, window, yuan
from bangfu.policy.table import Population, from_columns

from . import states
from .income import income_batch
from .models import Household, IncomeRecord, Member

INCOME_MONTHS = 12  # Article 26 精准识别: a year of income


@dataclass(frozen=True)
class HouseholdIncome:
    """A household's income by the engine's rule (`bangfu.policy.rules.income`), the one home of these figures for
    the file, its medical year and the engine's documents: Decimal yuan, each computed from the records in fen and
    rounded once, half-up to the fen (never a rounded figure multiplied or divided again)."""

    months_recorded: int  # months with records in the window (0: income unknown)
    monthly: Decimal  # the average over the months with records; 0.00 without records
    annual: Decimal  # the exact total × 12 ÷ months recorded (1475, 1183, 1292 → 15,800.00, not 1316.67 × 12)
    per_capita: Decimal | None  # monthly per member; None without records or members
    monthly_unrounded: float  # the average as the engine takes it (it rounds its own results once)

    @property
    def missing(self) -> bool:
        """No income record in the window: the document's `monthly_income` is the spec's default 0, not a fact."""
        return not self.months_recorded


def income_missing_text(as_of: datetime.date, months: int = INCOME_MONTHS) -> str:
    """What a page says of a household without income records in the window before `as_of`'s month."""
    first, last = (f"{m.astype(object):%Y年%m月}" for m in window(as_of, months)[[0, -1]])
    return f"{first}至{last}没有家庭收入记录:收入信息缺失"


def household_incomes(households: list[Household], as_of: datetime.date,
                      months: int = INCOME_MONTHS) -> list[HouseholdIncome]:
    """The incomes of many loaded households (incomes prefetched) over the `months` whole months before `as_of`'s
    month, in one batch of the income rule."""
    batch = income_batch(households, as_of, months)
    summary = income_summary(batch.incomes, batch.members, as_of, months=months)
    found = []
    for i in range(len(households)):
        recorded = int(summary.months_recorded[i])
        found.append(HouseholdIncome(recorded, yuan(summary.monthly[i]), yuan(summary.annual[i]),
                                     yuan(summary.per_capita[i]) if summary.known[i] else None,
                                     int(summary.total[i]) / recorded / 100 if recorded else 0.0))
    return found


def household_income(household: Household, as_of: datetime.date, months: int = INCOME_MONTHS) -> HouseholdIncome:
    """The household's income over the `months` whole months before `as_of`'s month."""
    return household_incomes([household], as_of, months)[0]


def monthly_income(household: Household, as_of: datetime.date) -> Decimal:
    """The engine's income rule: the average monthly total over the 12 whole months before `as_of`'s month
    that have records (0 when none; `bangfu.policy.rules.income`)."""
    return household_income(household, as_of).monthly


def school_document(member: Member) -> dict | None:
    if not member.school_stage:
        return None
    return {"stage": member.school_stage, "year": member.school_year,
            "institution": member.school_institution, "excellent": member.school_excellent}


def business_document(member: Member, as_of: datetime.date) -> dict | None:
    if not member.business_kind or member.business_registered_on is None or member.business_registered_on > as_of:
        return None
    return {"kind": member.business_kind, "registered_on": member.business_registered_on.isoformat(),
            "employees": member.business_employees, "first_time": member.business_first_time,
            "premises": member.business_premises or "none",
            "other_rent_subsidy": member.business_other_rent_subsidy}


def member_document(member: Member, as_of: datetime.date) -> dict:
    document = {
        "id": f"m{member.pk}", "relation": member.relation, "sex": member.sex,
        "birth_date": member.birth_date.isoformat(), "employment": member.employment,
        "work_ability": member.work_ability, "willing_to_work": member.willing_to_work,
        "disability_grade": member.disability_grade,
        "poverty_alleviation_target": member.poverty_alleviation_target,
        "resident_medical_insurance": member.resident_medical_insurance,
        "resident_pension_insurance": member.resident_pension_insurance,
        "serious_illness": member.serious_illness,
        "school": school_document(member), "business": business_document(member, as_of),
    }
    if member.retirement_group:
        document["retirement_group"] = member.retirement_group
    return document


def _active_members(household: Household) -> list[Member]:
    if hasattr(household, "active_members"):
        return household.active_members
    return list(household.members.filter(removed=False).order_by("position", "id"))


def household_to_assessment_document(household: Household, as_of: datetime.date, *,
                                     income: HouseholdIncome | None = None) -> dict:
    """The spec's input document for this household on `as_of` (members not yet born on that day left out;
    `income`: its `household_income` on `as_of`, when the caller has it already)."""
    as_of_within(as_of)
    income = income or household_income(household, as_of)
    return {
        "as_of": as_of.isoformat(),
        "region": household.region_code,
        "category": household.verified_category,
        "archived": household.archived,
        "dibao": household.dibao,
        "dibao_edge": household.dibao_edge,
        # Not rounded: the engine's amounts from it (Article 2's shortfall × 12) are rounded once, at the end.
        "monthly_income": income.monthly_unrounded,
        "hardship_causes": list(household.hardship_causes),
        "members": [member_document(m, as_of) for m in _active_members(household) if m.birth_date <= as_of],
    }


def household_entitlements(household: Household, as_of: datetime.date, *, preview: bool = False,
                           overrides: dict | None = None, income: HouseholdIncome | None = None) -> dict:
    """What the engine says the household and each member are entitled to on `as_of` (the spec's output).

    `preview`: a file not yet verified, assessed as if its proposed category had been verified. Either way the
    figures are the system's (`effective_parameters`), as for the assessment API and the command line with
    an exported bundle. `overrides` replace fields of the document (a what-if: the same household as if not
    on 低保, say). Without income records the document's `monthly_income` is 0 (the spec's default): the answers of
    the rules in `bangfu.policy.rules.INCOME_TESTED` are then no facts (`HouseholdIncome.missing`)."""
    from bangfu.standards.selectors import effective_parameters

    document = household_to_assessment_document(household, as_of, income=income)
    if preview:
        document.update(category=household.proposed_category, archived=True)
    document.update(overrides or {})
    try:
        return assess(document, parameters=effective_parameters())
    except InputError as exc:
        # A file still being entered (no worker yet, say) is not a valid assessment input.
        raise ValidationFailed(f"档案信息不完整,无法测算:{exc.path}: {exc.message}") from exc


# The archive as the engine's columns (a re-computation, a what-if): the same input as the documents above, read
# as rows of values for many households at once (no model instances) and laid out as the engine's arrays. A
# household whose rows the format might refuse is left to its document (`ArchiveChunk.valid`), so the answers
# are the documents' answers.
HOUSEHOLD_VALUES = ("pk", "union_id", "union__name", "region_code", "verified_category", "status", "dibao",
                    "dibao_edge", "hardship_causes")  # the causes read as their JSON text (`_causes`)
MEMBER_VALUES = ("household_id", "pk", "relation", "sex", "birth_date", "retirement_group", "employment",
                 "work_ability", "willing_to_work", "disability_grade", "poverty_alleviation_target",
                 "resident_medical_insurance", "resident_pension_insurance", "serious_illness", "school_stage",
                 "school_year", "school_institution", "school_excellent", "business_kind", "business_registered_on",
                 "business_employees", "business_first_time", "business_premises", "business_other_rent_subsidy")
# A record's amount as whole fen, computed by the database (numeric × 100 on PostgreSQL; SQLite keeps the column as
# a double, whose × 100 is rounded back to the fen it holds): no Decimal per row, no float in Python.
FEN = Cast(Round(F("amount") * 100), BigIntegerField())
_REGION = re.compile(r"\d{6}")
_EPOCH = datetime.date(1970, 1, 1).toordinal()


@dataclass
class ArchiveChunk:
    """Households of the archive in the queryset's order, as the engine and the income rule read them."""

    ids: list[int]
    union_ids: list[int]
    union_names: list[str]
    regions: list[str]
    categories: list[str]  # verified
    sizes: np.ndarray  # active members (born or not), as the income rule counts them
    incomes: Incomes  # records of the `months` before as_of's month
    per_capita: list[Decimal]  # the document's monthly income per member of the document (income deciles)
    valid: np.ndarray  # the format takes the household's document: it is in `population`
    population: Population  # the valid households, their members born by as_of in the document's order
    member_ids: np.ndarray  # per member row of `population`, its pk


def archive_rows(queryset, batch: int):
    """The queryset's households (no prefetch, no instances) as `HOUSEHOLD_VALUES` rows, `batch` at a time in the
    order of their pk, each chunk with its households as a subquery (their pks: the queryset's within the chunk's
    first and last; no list of parameters to send)."""
    queryset = queryset.prefetch_related(None).order_by("pk")
    rows = queryset.values_list(*HOUSEHOLD_VALUES[:-1], Cast(HOUSEHOLD_VALUES[-1], TextField())).iterator(chunk_size=batch)
    while chunk := list(islice(rows, batch)):
        yield chunk, queryset.filter(pk__gte=chunk[0][0], pk__lte=chunk[-1][0]).order_by().values("pk")


def _days(dates: list) -> np.ndarray:
    return np.array([d.toordinal() - _EPOCH for d in dates], np.int64).view("datetime64[D]")


def _codes(values, labels: tuple[str, ...]) -> np.ndarray:
    """Positions in `labels`; -1 for a value the format does not know."""
    index = {v: i for i, v in enumerate(labels)}
    return np.array([index.get(v, -1) for v in values], np.int16)


def _bounds(model, field: str) -> tuple:
    """The format's own bounds of a number (its `ge` and `le`): one home for them, the schema."""
    metadata = model.model_fields[field].metadata
    return (next(m.ge for m in metadata if hasattr(m, "ge")), next(m.le for m in metadata if hasattr(m, "le")))


YEARS, EMPLOYEES = _bounds(s.School, "year"), _bounds(s.Business, "employees")
GRADES, MONEY = _bounds(s.Member, "disability_grade"), _bounds(s.Household, "monthly_income")


@lru_cache(maxsize=4096)
def _causes(text: str) -> int:
    """The causes (the JSON text of the field: few distinct ones, each decoded once) as the engine's bit mask; -1
    for what the format would refuse."""
    causes = json.loads(text)
    if not isinstance(causes, list):
        return -1
    bits = 0
    for cause in causes:
        if cause not in s.CAUSES:
            return -1
        bits |= 1 << s.CAUSES.index(cause)
    return bits


def archive_chunk(rows: list[tuple], as_of: datetime.date, months: int, *, households=None) -> ArchiveChunk:
    """Members and the `months` of income records before `as_of`'s month of the households of `rows` (one query
    each), laid out as `household_to_assessment_document` and the engine's `from_households` would (`households`:
    their pks as a subquery, `archive_rows`, the rows in the order of their pk; else the list is sent)."""
    as_of_within(as_of)
    n = len(rows)
    ids = [r[0] for r in rows]
    # the pks' range as well as the subquery: an index range scan of members and records, not a scan of them all
    within = ({"household_id__in": ids} if households is None else
              {"household_id__gte": ids[0], "household_id__lte": ids[-1], "household_id__in": households})
    index = {pk: i for i, pk in enumerate(ids)}
    members = [m for m in Member.objects.filter(**within, removed=False)
               .order_by("household_id", "position", "id").values_list(*MEMBER_VALUES) if m[0] in index]
    owner = np.array([index[m[0]] for m in members], np.int64)
    sizes = np.bincount(owner, minlength=n).astype(np.int64)
    first, last = (m.astype("datetime64[D]").item() for m in window(as_of, months)[[0, -1]])
    records = [r for r in IncomeRecord.objects.filter(**within, month__gte=first, month__lte=last)
               .order_by().values_list("household_id", "month", FEN) if r[0] in index]
    incomes = Incomes(np.array([index[r[0]] for r in records], np.int64),
                      _days([r[1] for r in records]).astype("datetime64[M]"),
                      np.array([r[2] for r in records], np.int64))
    summary = income_summary(incomes, sizes, as_of, months=INCOME_MONTHS)
    recorded, total = summary.months_recorded.tolist(), summary.total.tolist()
    monthly = [t / k / 100 if k else 0.0 for t, k in zip(total, recorded, strict=True)]

    born = [m for m in members if m[4] <= as_of]
    cols = list(zip(*born, strict=True)) if born else [()] * len(MEMBER_VALUES)
    c = dict(zip(MEMBER_VALUES, cols, strict=True))
    hh = np.array([index[pk] for pk in c["household_id"]], np.int64)
    relation, sex = _codes(c["relation"], s.RELATIONS), _codes(c["sex"], s.SEXES)
    given = _codes(c["retirement_group"], ("", *s.RETIREMENT_GROUPS)) - 1  # -1: none given, -2: unknown
    group = np.where(given >= 0, given, np.where(sex == 0, 0, 1))
    birth = _days(c["birth_date"])
    employment, ability = _codes(c["employment"], s.EMPLOYMENTS), _codes(c["work_ability"], s.WORK_ABILITIES)
    disability = np.array([0 if g is None else g if GRADES[0] <= g <= GRADES[1] else -1 for g in c["disability_grade"]],
                          np.int64)
    school = np.array([bool(x) for x in c["school_stage"]], bool)
    stage = np.where(school, _codes(c["school_stage"], s.STAGES), 0)
    year = np.array([y if isinstance(y, int) and not isinstance(y, bool) else -1 for y in c["school_year"]], np.int64)
    institution = _codes(c["school_institution"], s.INSTITUTIONS)
    registered = [d if k and d is not None and d <= as_of else None
                  for k, d in zip(c["business_kind"], c["business_registered_on"], strict=True)]
    business = np.array([d is not None for d in registered], bool)
    kind = np.where(business, _codes(c["business_kind"], s.BUSINESS_KINDS), 0)
    employees = np.array(c["business_employees"], np.int64)
    premises = _codes([p or "none" for p in c["business_premises"]], s.PREMISES)
    bad = ((relation < 0) | (sex < 0) | (given == -2) | ((given >= 0) & ((given == 0) != (sex == 0)))
           | (employment < 0) | (ability < 0) | (disability < 0)
           | (birth < np.datetime64(s.BIRTH_FIRST))
           | (school & ((stage <= 0) | (year < YEARS[0]) | (year > YEARS[1]) | (institution < 0)))
           | (business & ((kind <= 0) | (employees < EMPLOYEES[0]) | (employees > EMPLOYEES[1]) | (premises < 0))))
    selves = np.bincount(hh[relation == 0], minlength=n)
    document_size = np.bincount(hh, minlength=n)

    regions = [r[3] for r in rows]
    codes = region_index()
    region_ok = {code: bool(_REGION.fullmatch(code)) and region_error(code, as_of) is None for code in set(regions)}
    category = _codes([r[4] for r in rows], s.CATEGORIES)
    causes = np.array([_causes(r[8]) for r in rows], np.int64)
    income = np.array(monthly, np.float64)
    valid = (np.array([region_ok[r] for r in regions], bool) & (category >= 0) & (causes >= 0)
             & (income >= MONEY[0]) & (income <= MONEY[1]) & (selves == 1) & (document_size >= 1)
             & (np.bincount(hh[bad], minlength=n) == 0))
    household_columns = {
        "as_of": np.full(n, np.datetime64(as_of, "D")), "region": [codes.get(r, 0) for r in regions],
        "category": category, "archived": [states.is_archived(r[5]) for r in rows], "dibao": [r[6] for r in rows],
        "dibao_edge": [r[7] for r in rows], "monthly_income": income, "causes": causes, "cpi": np.full(n, np.nan),
    }
    person_columns = {
        "hh": hh, "relation": relation, "sex": sex, "group": group, "birth": birth, "employment": employment,
        "work_ability": ability, "willing": c["willing_to_work"], "disability": disability,
        "poverty_target": c["poverty_alleviation_target"], "medical_insurance": c["resident_medical_insurance"],
        "pension_insurance": c["resident_pension_insurance"], "serious_illness": c["serious_illness"],
        "stage": stage, "school_year": np.where(school, year, 0), "institution": np.where(school, institution, 0),
        "excellent": np.array(c["school_excellent"], bool) & school, "business": kind,
        "registered_on": _days_or_nat(registered), "employees": np.where(business, employees, 0),
        "first_time": np.array(c["business_first_time"], bool) & business,
        "premises": np.where(business, premises, s.PREMISES.index("none")),
        "other_rent_subsidy": np.array(c["business_other_rent_subsidy"], bool) & business,
    }
    population = from_columns(household_columns, person_columns)
    member_ids = np.array(c["pk"], np.int64)
    if not valid.all():
        population, kept = population.take(valid)
        member_ids = member_ids[kept]
    per_capita = [money(m / max(1, k)) for m, k in zip(monthly, document_size.tolist(), strict=True)]
    return ArchiveChunk(ids, [r[1] for r in rows], [r[2] for r in rows], regions, [r[4] for r in rows], sizes,
                        incomes, per_capita, valid, population, member_ids)


def _days_or_nat(dates: list) -> np.ndarray:
    return np.array([-(2**63) if d is None else d.toordinal() - _EPOCH for d in dates], np.int64).view("datetime64[D]")
