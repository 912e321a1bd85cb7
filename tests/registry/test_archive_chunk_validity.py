"""`archive_chunk` leaves to its document exactly the households whose document the format refuses.

Its validity mask restates the format's rules column by column (`bangfu.policy.documents`, `schema`). The cases
below are drawn from the schema itself: every bound, enumeration, pattern, length and validator of its models, and
the members' check (exactly one self). Each is broken alone in the archive, and the mask must refuse the household
exactly when `parse_document` refuses its document. A rule the schema gains without a case here fails
`test_every_rule_of_the_format_has_a_case`: give it a case (and archive_chunk its column check)."""

from __future__ import annotations

import datetime
import typing
from decimal import Decimal

import pytest

from bangfu.policy import documents as d

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 12, 1)
MODELS = (d.Household, d.Member, d.School, d.Business)


def _literals(annotation) -> tuple:
    if typing.get_origin(annotation) is typing.Literal:
        return typing.get_args(annotation)
    for inner in typing.get_args(annotation):
        if found := _literals(inner):
            return found
    return ()


def schema_rules() -> set[tuple[str, str, str]]:
    """(model, field, rule) for every rule the format's models state on a field."""
    rules = set()
    for model in MODELS:
        for name, info in model.model_fields.items():
            if _literals(info.annotation):
                rules.add((model.__name__, name, "enum"))
            for meta in info.metadata:
                for bound in ("ge", "le", "min_length", "max_length", "pattern", "allow_inf_nan", "gt", "lt"):
                    if getattr(meta, bound, None) is not None:
                        rules.add((model.__name__, name, bound))
                func = getattr(meta, "func", None)
                if func is not None:
                    rules.add((model.__name__, name, func.__qualname__))
        for decorator in model.__pydantic_decorators__.field_validators.values():
            for name in decorator.info.fields:
                rules.add((model.__name__, name, decorator.cls_var_name))
    return rules


# What the archive cannot hold, or what the document builder leaves out by construction (no case possible).
NOT_FROM_THE_ARCHIVE = {
    ("Household", "as_of", "_between.<locals>.check"): "as_of is the caller's date, checked by as_of_within",
    ("Household", "monthly_income", "allow_inf_nan"): "an average of numeric amounts: always finite",
    ("Household", "cpi_yoy_percent", "ge"): "not in the document",
    ("Household", "cpi_yoy_percent", "le"): "not in the document",
    ("Household", "cpi_yoy_percent", "allow_inf_nan"): "not in the document",
    ("Member", "id", "min_length"): "the document's id is m<pk>",
    ("Member", "birth_date", "_birth_date"): "members not yet born on as_of are left out of the document",
    ("Business", "registered_on", "_iso_date"): "a date column",
    ("Business", "registered_on", "_registered_on"): "a business registered after as_of is left out",
}


def _self(h):
    return h.members.get(relation="self")


def _member(**values):
    return lambda h: type(_self(h)).objects.filter(pk=_self(h).pk).update(**values)


def _child(**values):
    return lambda h: h.members.filter(relation="child").update(**values)


def _household(**values):
    return lambda h: type(h).objects.filter(pk=h.pk).update(**values)


def _income(amount: str):
    return lambda h: h.incomes.update(amount=Decimal(amount))


# (model, field, rule) → the archive broken that way (a list: each is tried)
CASES = {
    ("Household", "region", "pattern"): [_household(region_code="32010"), _household(region_code="32010a")],
    ("Household", "region", "_region_in_use"): [_household(region_code="329999")],
    ("Household", "category", "enum"): [_household(verified_category="bogus")],
    ("Household", "monthly_income", "ge"): [_income("-0.01")],
    ("Household", "monthly_income", "le"): [_income("100000000.01")],
    ("Household", "hardship_causes", "enum"): [_household(hardship_causes=["bogus"]),
                                               _household(hardship_causes="illness")],
    ("Household", "members", "min_length"): [lambda h: h.members.update(removed=True), lambda h: h.members.all().delete()],
    ("Member", "relation", "enum"): [_member(relation="bogus"), _child(relation="bogus")],
    ("Member", "sex", "enum"): [_member(sex="bogus")],
    ("Member", "birth_date", "_between.<locals>.check"): [_member(birth_date=datetime.date(1899, 12, 31))],
    ("Member", "retirement_group", "enum"): [_member(retirement_group="bogus")],
    ("Member", "retirement_group", "_group_fits_sex"): [_member(sex="male", retirement_group="female_50"),
                                                        _member(sex="female", retirement_group="male")],
    ("Member", "employment", "enum"): [_member(employment="bogus")],
    ("Member", "work_ability", "enum"): [_member(work_ability="bogus")],
    ("Member", "disability_grade", "ge"): [_member(disability_grade=0)],
    ("Member", "disability_grade", "le"): [_member(disability_grade=5)],
    ("School", "stage", "enum"): [_child(school_stage="bogus")],
    ("School", "year", "ge"): [_child(school_year=0)],
    ("School", "year", "le"): [_child(school_year=11)],
    ("School", "institution", "enum"): [_child(school_institution="bogus"), _child(school_institution="")],
    ("Business", "kind", "enum"): [_member(business_kind="bogus")],
    ("Business", "employees", "ge"): [_member(business_employees=-1)],
    ("Business", "employees", "le"): [_member(business_employees=1_000_001)],
    ("Business", "premises", "enum"): [_member(business_premises="bogus")],
    # schema._check_members: exactly one self
    ("Household", "members", "one self"): [lambda h: h.members.update(relation="spouse"),
                                           lambda h: h.members.update(relation="self")],
}


def test_every_rule_of_the_format_has_a_case():
    missing = schema_rules() - CASES.keys() - NOT_FROM_THE_ARCHIVE.keys()
    assert not missing, f"a rule of the format without a case here (and perhaps without archive_chunk's check): {missing}"
    assert not (CASES.keys() | NOT_FROM_THE_ARCHIVE.keys()) - schema_rules() - {("Household", "members", "one self")}


@pytest.fixture
def household(make_household):
    from bangfu.registry.models import IncomeRecord

    h = make_household("g1")
    _member(business_kind=d.BUSINESS_KINDS[1], business_registered_on=datetime.date(2024, 3, 1),
            business_employees=3, business_premises=d.PREMISES[-1])(h)
    month = datetime.date(AS_OF.year, AS_OF.month, 1)
    for amount in ("0.29", "1234.57", "0.07"):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        IncomeRecord.objects.create(household=h, month=month, source="wages", amount=Decimal(amount))
    return h


def _both(pk: int) -> tuple[bool, bool, object]:
    """(archive_chunk takes the household, the format takes its document, the chunk)."""
    from bangfu.policy import InputError
    from bangfu.policy.schema import parse_document
    from bangfu.registry.assessment import archive_chunk, archive_rows, household_to_assessment_document
    from bangfu.registry.models import Household

    rows, within = next(archive_rows(Household.objects.filter(pk=pk), 10))
    chunk = archive_chunk(rows, AS_OF, 12, households=within)
    try:
        parse_document(household_to_assessment_document(Household.objects.get(pk=pk), AS_OF))
        taken = True
    except InputError:
        taken = False
    return bool(chunk.valid[0]), taken, chunk


def test_the_unbroken_household_is_taken_and_its_income_read_in_exact_fen(household):
    columns, document, chunk = _both(household.pk)
    assert columns and document
    assert sorted(chunk.incomes.amount.tolist()) == [7, 29, 123457]


@pytest.mark.parametrize("rule, k", [(rule, k) for rule, cases in CASES.items() for k in range(len(cases))],
                         ids=lambda x: "-".join(x) if isinstance(x, tuple) else str(x))
def test_a_household_breaking_one_rule_is_left_to_its_document_exactly_when_the_format_refuses_it(household, rule, k):
    from django.db import DataError, IntegrityError, transaction

    try:
        with transaction.atomic():
            CASES[rule][k](household)
    except (IntegrityError, DataError):
        pytest.skip("the database itself refuses it: the archive cannot hold it")
    columns, document, _chunk = _both(household.pk)
    assert not document, "the case should break the format's rule"
    assert columns == document
