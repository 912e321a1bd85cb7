"""The re-computation's fast path (the archive read as columns, the engine's arrays, no explanations) gives exactly
what each household's own answer gives: the reference below is the path it replaced (each household's document,
`chunk_answers`, and the proposals of loaded households), kept here to compare with. Varied households: both
categories, members of every age, students, disabled members, businesses, no income records, 低保 households,
two cities, and files the format refuses (answered None, through their documents)."""

from __future__ import annotations

import contextlib
import datetime
import random
from collections import defaultdict
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.policy import schema as s

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 12, 1)
UNIONS = ("g1", "g3", "g4")  # 南京 玄武, 南京 秦淮, 无锡 锡山
STAGES = [x for x in s.STAGES if x]
KINDS = [x for x in s.BUSINESS_KINDS if x]


ZERO = Decimal("0.00")


def _cash(amounts: dict) -> Decimal:
    """Every benefit's yearly amount added up: cash and subsidies (`total_cash`) and the sums a benefit leaves to
    another body (Article 2's gap to the 低保 line), which is what a new 低保 standard moves."""
    return sum(amounts.values(), ZERO)


def _amounts(answer) -> dict[tuple, Decimal]:
    """(code, member) → the yearly amount (the engine's Decimal; 0 where it sets none)."""
    if answer is None:
        return {}
    return {(b["code"], b["member"]): b["amount"] if isinstance(b["amount"], Decimal) else Decimal(str(b["amount"] or 0))
            for b in answer["benefits"]}


def classify(old: dict, new: dict) -> tuple[str | None, list, list]:
    """The change of one household from its amounts before and after (`_amounts`): (kind or None when nothing
    changed, codes gained, codes lost)."""
    from bangfu.reports.models import ChangeKind

    if old == new:
        return None, [], []
    gained = sorted({code for code, _m in new.keys() - old.keys()})
    lost = sorted({code for code, _m in old.keys() - new.keys()})
    cash_before, cash_after = _cash(old), _cash(new)
    if gained and lost:
        return ChangeKind.CHANGED, gained, lost
    if gained:
        return ChangeKind.GAINED, gained, lost
    if lost:
        return ChangeKind.LOST, gained, lost
    if cash_after > cash_before:
        return ChangeKind.UP, gained, lost
    if cash_after < cash_before:
        return ChangeKind.DOWN, gained, lost
    return None, gained, lost


def side_amounts(side, h: int) -> dict[tuple, Decimal]:
    """(code, member pk or 0) → the yearly amount of household `h` of a chunk's `Side`, as `_amounts` reads its
    answer."""
    from bangfu.policy.rules.income import yuan
    from bangfu.reports.entitlements import CODES, MEMBERS

    at = np.flatnonzero(side.household == h)
    return {(CODES[k // MEMBERS], k % MEMBERS): yuan(f)
            for k, f in zip(side.key[at].tolist(), side.fen[at].tolist(), strict=True)}


def proposals(households: list, as_of, parameter_sets: list) -> list[list[tuple]]:
    """`proposals_of` loaded households (incomes prefetched), counted as identification counts each one
    (`as_identified`), each household's exit review over its own region's months."""
    from bangfu.exchange.identification import as_identified
    from bangfu.policy.rules.income import fen
    from bangfu.registry.assessment import INCOME_MONTHS
    from bangfu.registry.income import LinesByRegion, income_batch
    from bangfu.registry.models import Household
    from bangfu.reports.proposals import proposals_of, review_months

    counted = [as_identified(Household.objects.get(pk=h.pk), as_of) for h in households]
    sizes = np.array([k for k, _ in counted], np.int64)
    rigid = np.array([fen(e) for _, e in counted], np.int64)
    regions = [h.region_code for h in households]
    n = review_months(as_of, regions)
    batch = income_batch(households, as_of, max(INCOME_MONTHS, int(n.max())))
    return proposals_of(regions, [h.verified_category for h in households], batch.incomes, sizes, rigid, as_of, n,
                        [LinesByRegion(as_of, p) for p in parameter_sets])


def reference(queryset, as_of, before_parameters, after_parameters, batch=2000):
    """The re-computation as it was: each household's document built from the loaded instance and answered."""
    from bangfu.reports.entitlements import chunk_answers, chunks
    from bangfu.reports.models import ChangeKind
    from bangfu.reports.recompute import deciles

    changes, by_code, by_union = [], defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    counts, total = dict.fromkeys(ChangeKind.values, 0), [ZERO, ZERO]
    n, incomes, moved = 0, [], {"proposals": 0, "exits": 0}
    for chunk in chunks(queryset, batch):
        found = chunk_answers(chunk, as_of, [before_parameters, after_parameters])
        standing = proposals(chunk, as_of, [before_parameters, after_parameters])
        for household, (before, after), old_s, new_s in zip(chunk, found, *standing, strict=True):
            n += 1
            old, new = _amounts(before), _amounts(after)
            cash_before, cash_after = _cash(old), _cash(new)
            incomes.append((household.per_capita_income, cash_before, cash_after))
            total[0] += cash_before
            total[1] += cash_after
            kind, gained, lost = classify(old, new)
            moved["proposals"] += old_s[0] != new_s[0]
            moved["exits"] += old_s[1] != new_s[1]
            if kind is None and old_s == new_s:
                continue
            kind = kind or ChangeKind.REVIEW
            counts[kind] += 1
            for key in old.keys() | new.keys():
                delta = new.get(key, ZERO) - old.get(key, ZERO)
                if delta:
                    by_code[key[0]] += delta
            by_union[household.union.name] += cash_after - cash_before
            changes.append({"household_id": household.pk, "union_id": household.union_id, "kind": kind,
                            "cash_before": cash_before, "cash_after": cash_after, "gained": gained, "lost": lost,
                            "proposal_before": old_s[0], "proposal_after": new_s[0],
                            "exit_before": old_s[1], "exit_after": new_s[1]})
    summary = {"households": n, "changed": len(changes), "counts": counts,
               "proposals_changed": moved["proposals"], "exits_changed": moved["exits"],
               "cost_before": str(total[0]), "cost_after": str(total[1]), "cost_change": str(total[1] - total[0]),
               "by_benefit": {k: str(v) for k, v in sorted(by_code.items())},
               "by_union": {k: str(v) for k, v in sorted(by_union.items())},
               "deciles": deciles(incomes)}
    return changes, summary


def _member(rng: random.Random, relation: str, age: int) -> dict:
    sex = rng.choice(s.SEXES)
    born = AS_OF - datetime.timedelta(days=int(age * 365.25) + rng.randint(0, 364))
    m = {"relation": relation, "sex": sex, "birth_date": born, "name": "成员", "id_number": "",
         "retirement_group": rng.choice(["", "", "male"] if sex == "male" else ["", "female_50", "female_55"]),
         "employment": rng.choice(s.EMPLOYMENTS), "work_ability": rng.choice(s.WORK_ABILITIES),
         "willing_to_work": rng.random() < 0.7, "serious_illness": rng.random() < 0.15,
         "disability_grade": rng.choice([None, None, None, 1, 2, 3, 4]),
         "poverty_alleviation_target": rng.random() < 0.1, "resident_medical_insurance": rng.random() < 0.5,
         "resident_pension_insurance": rng.random() < 0.4}
    if age < 25 and rng.random() < 0.7:
        m.update(employment="student", school_stage=rng.choice(STAGES), school_year=rng.randint(1, 6),
                 school_institution=rng.choice(s.INSTITUTIONS), school_excellent=rng.random() < 0.3)
    if 18 <= age < 60 and rng.random() < 0.15:
        m.update(business_kind=rng.choice(KINDS), business_registered_on=AS_OF - datetime.timedelta(
            days=rng.randint(-30, 2000)), business_employees=rng.randint(0, 12), business_first_time=rng.random() < 0.5,
            business_premises=rng.choice(["", *s.PREMISES]), business_other_rent_subsidy=rng.random() < 0.2)
    return m


def _household_spec(rng: random.Random, odd: str = "") -> dict:
    members = [_member(rng, "self", rng.randint(20, 70))]
    for _ in range(rng.randint(0, 4)):
        relation = rng.choice(["spouse", "child", "child", "parent", "sibling", "grandchild", "other"])
        age = {"child": rng.randint(0, 30), "parent": rng.randint(60, 95), "grandchild": rng.randint(0, 12)}.get(
            relation, rng.randint(18, 80))
        members.append(_member(rng, relation, age))
    if rng.random() < 0.1:  # a member removed from the household: in no document, in no count
        members.append({**_member(rng, "child", 10), "removed": True, "active": False})
    if rng.random() < 0.05:  # a child not yet born on the day assessed: in the income rule's count only
        members.append({**_member(rng, "child", 0), "birth_date": AS_OF + datetime.timedelta(days=20)})
    if odd == "no_self":
        members[0]["relation"] = "spouse"
    elif odd == "school_without_institution":
        members.append({**_member(rng, "child", 10), "school_stage": "primary", "school_year": 2,
                        "school_institution": ""})
    elif odd == "group_of_other_sex":
        members[0].update(sex="female", retirement_group="male")
    elif odd == "school_year_11":
        members.append({**_member(rng, "child", 15), "school_stage": "junior", "school_year": 11,
                        "school_institution": "public"})
    elif odd == "bad_cause":
        pass
    dibao = rng.random() < 0.3
    per_capita = rng.choice([0, 300, 600, 800, 900, 1000, 1100, 1200, 1500, 2500])
    return {
        "union": rng.choice(UNIONS), "status": rng.choice(["archived", "archived", "helping", "review"]),
        "category": rng.choice(["hardship", "extreme_hardship", "hardship", "none"] if not odd else ["hardship"]),
        "dibao": dibao, "dibao_edge": not dibao and rng.random() < 0.2,
        "causes": ["not_a_cause"] if odd == "bad_cause" else rng.sample(
            ["illness", "disability", "education", "unemployment", "accident", "other"], rng.randint(0, 3)),
        "members": members,
        # months with records (0: no income records), the household's monthly total around its size's line
        "months": rng.choice([0, 0, 3, 6, 12, 12, 12]),
        "monthly": Decimal(per_capita * len(members) + rng.randint(0, 9999)) / 100 + rng.randint(-50, 50),
        "bill": rng.random() < 0.08,
    }


def _create(spec: dict, orgs, serial: list[int]):
    from bangfu.medical.models import MedicalBill
    from bangfu.registry.models import Household, IncomeRecord, Member

    union = orgs[spec["union"]]
    h = Household.objects.create(union=union, region_code=union.division_code, address="测试地址",
                                 status=spec["status"], verified_category=spec["category"], dibao=spec["dibao"],
                                 dibao_edge=spec["dibao_edge"], hardship_causes=spec["causes"])
    for position, data in enumerate(spec["members"]):
        serial[0] += 1
        Member.objects.create(household=h, position=position, **{**data, "id_number": f"T{serial[0]:017d}"})
    month = datetime.date(AS_OF.year, AS_OF.month, 1)
    for k in range(spec["months"]):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        amount = max(Decimal("0.00"), spec["monthly"] + (k % 3) * Decimal("10.05"))
        IncomeRecord.objects.create(household=h, month=month, source="wages", amount=amount)
        if k % 2:
            IncomeRecord.objects.create(household=h, month=month, source="transfer", amount=Decimal("123.45"))
    if spec["bill"]:
        MedicalBill.objects.create(household=h, member=h.members.filter(relation="self").first() or h.members.first(),
                                   billed_on=datetime.date(2026, 6, 1), kind="inpatient", hospital="江苏省人民医院",
                                   hospital_level="tertiary", scheme="resident", total=Decimal("30000.00"),
                                   in_scope=Decimal("25000.00"))
    return h


def _figures(change: int):
    """The system's figures, and the same with every city's 低保 standard moved by `change` yuan on AS_OF."""
    from bangfu.policy.regions import all_regions
    from bangfu.standards.models import StandardValue, Status
    from bangfu.standards.selectors import effective_parameters, overlay

    before = effective_parameters()
    moved = [StandardValue(parameter="sync.dibao.standard", region_code=r.code, start=AS_OF, status=Status.CONFIRMED,
                           value=before["sync.dibao.standard"].at(AS_OF, r.code).value + change, document="测试")
             for r in all_regions() if r.is_city and before["sync.dibao.standard"].at(AS_OF, r.code) is not None]
    return before, overlay([*StandardValue.objects.all(), *moved])


def _compare(orgs, batch: int, changes_expected: bool = True) -> None:
    from bangfu.reports.recompute import difference, scope

    for change in (150, 1000, -400):
        before, after = _figures(change)
        expected = reference(scope(orgs["province"].path), AS_OF, before, after, batch)
        found = difference(scope(orgs["province"].path), AS_OF, before, after, batch=batch)
        assert found[1] == expected[1]
        assert found[0] == expected[0]
        if changes_expected:
            assert expected[1]["changed"] and expected[1]["by_benefit"]


ODD = ("no_self", "school_without_institution", "group_of_other_sex", "school_year_11", "bad_cause")


def test_the_columns_answer_as_each_households_document(orgs, django_assert_max_num_queries):
    from bangfu.registry.assessment import archive_chunk, archive_rows
    from bangfu.reports.entitlements import chunk_answers, chunk_sides
    from bangfu.reports.recompute import scope

    rng, serial, odd = random.Random(20261201), [0], set()
    for i in range(90):
        h = _create(_household_spec(rng, ODD[i % 15] if i % 15 < len(ODD) else ""), orgs, serial)
        if i % 15 < len(ODD):
            odd.add(h.pk)
    rows, ids = next(archive_rows(scope(orgs["province"].path), 1000))
    assert len(rows) == 90
    with django_assert_max_num_queries(2):  # members and income records: one query each, whatever the size
        chunk = archive_chunk(rows, AS_OF, 12, households=ids)
    # the files the format refuses, and only they, left to their documents
    assert {pk for pk, ok in zip(chunk.ids, chunk.valid, strict=True) if not ok} == odd
    # every household's every entry (not only the cash of those that change), as its answer has them
    before, after = _figures(150)
    households = list(scope(orgs["province"].path))
    answers = chunk_answers(households, AS_OF, [before, after])
    assert sum(a[0] is None for a in answers) >= 6  # refused documents: no benefit, no cash
    assert chunk.per_capita == [h.per_capita_income for h in households]
    for k, side in enumerate(chunk_sides(chunk, AS_OF, [before, after])):
        for h, found in enumerate(answers):
            assert side_amounts(side, h) == {(code, int(m[1:]) if m else 0): v
                                         for (code, m), v in _amounts(found[k]).items()}
    _compare(orgs, batch=16)  # chunks of 16: boundaries, and chunks whose every household is odd or none is
    _compare(orgs, batch=2000)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 12), odd=st.sampled_from(("", *ODD)))
def test_any_archive_recomputes_as_its_documents(orgs, seed, size, odd):
    with random_archive(orgs, seed, size, odd):
        _compare(orgs, batch=5, changes_expected=False)


class _Rollback(Exception):
    pass


@contextlib.contextmanager
def random_archive(orgs, seed: int, size: int, odd: str):
    """`size` random households (the first of the `odd` kind) for one hypothesis example, rolled back after it."""
    from django.db import transaction

    rng, serial = random.Random(seed), [0]
    try:
        with transaction.atomic():
            for i in range(size):
                _create(_household_spec(rng, odd if i == 0 else ""), orgs, serial)
            yield
            raise _Rollback
    except _Rollback:
        pass


def test_each_households_exit_review_takes_its_own_regions_months_wherever_the_chunk_starts(orgs, users):
    """无锡 reviews 12 months, 南京 6: a 南京 household with the last 6 months just above its line leaves before the
    new standard and not after, whether or not a 无锡 household heads its chunk."""
    from bangfu.registry.income import lines_on
    from bangfu.reports.recompute import difference, scope
    from bangfu.standards.models import StandardValue, Status

    StandardValue.objects.create(parameter="sync.review.exit_income_months", region_code="320200",
                                 start=datetime.date(2019, 1, 10), status=Status.CONFIRMED, value=12, document="测试",
                                 created_by=users["admin_province"])
    rng, serial = random.Random(7), [0]
    before, after = _figures(1000)
    created = []
    for union in ("g4", "g1"):  # the 无锡 household first: it heads the chunk
        spec = _household_spec(rng)
        spec.update(union=union, status="archived", category="hardship", dibao=False, dibao_edge=False, causes=[],
                    members=[_member(rng, "self", 40)], months=0, bill=False)
        created.append(_create(spec, orgs, serial))
    nanjing = created[1]
    line = lines_on(AS_OF, nanjing.region_code, before).hardship  # fen a month per member
    month = datetime.date(AS_OF.year, AS_OF.month, 1)
    for _ in range(6):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        nanjing.incomes.create(month=month, source="wages", amount=Decimal(line + 100) / 100)
    assert lines_on(AS_OF, nanjing.region_code, after).hardship > line + 100
    one_by_one = difference(scope(orgs["province"].path), AS_OF, before, after, batch=1)
    together = difference(scope(orgs["province"].path), AS_OF, before, after, batch=2000)
    assert [(c["household_id"], c["exit_before"], c["exit_after"]) for c in one_by_one[0]
            if c["household_id"] == nanjing.pk] == [(nanjing.pk, True, False)]
    assert together == one_by_one
    assert together == reference(scope(orgs["province"].path), AS_OF, before, after)
