"""The entitlements report on the archive's columns (the engine's arrays, no explanations) gives exactly what it gave
through each household's document: the reference below is the report as it was (each document answered), kept here
to compare with: every figure to the fen and its Decimal's places, the counts, the order of the benefits, the areas.
The varied households of the re-computation's equivalence test: both categories, members of every age, students,
disabled members, businesses, no income records, 低保 households, two cities, and files the format refuses
(incomplete, through their documents)."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_recompute_equivalence import AS_OF, ODD, _create, _household_spec, random_archive

pytestmark = pytest.mark.django_db


def reference(*, user, union, as_of, batch=2000) -> dict:
    """The report as it was: each archived household's document built from the loaded instance and answered."""
    from bangfu.reports.entitlements import archived_households, chunk_answers, chunks
    from bangfu.reports.selectors import _areas, _child_path
    from bangfu.standards.selectors import effective_parameters

    def _money(value) -> Decimal:
        return Decimal(str(value)).quantize(Decimal("0.01"))

    depth = union.path.count("/") + 1
    areas = _areas(union)
    codes: dict[str, dict] = {}
    area_sums = {area.path: {"households": 0, "cash": Decimal(0)} for area in areas}
    incomplete = 0
    parameters = effective_parameters()
    every = ((household, found[0]) for chunk in chunks(archived_households(user=user, union=union), batch)
             for household, found in zip(chunk, chunk_answers(chunk, as_of, [parameters]), strict=True))
    for household, answer in every:
        if answer is None:
            incomplete += 1
            continue
        seen = set()
        for benefit in answer["benefits"]:
            row = codes.setdefault(benefit["code"], {"code": benefit["code"], "article": benefit["article"],
                                                     "title": benefit["title"], "kind": benefit["kind"],
                                                     "households": 0, "count": 0, "amount": Decimal(0)})
            row["count"] += 1
            if benefit["code"] not in seen:
                row["households"] += 1
                seen.add(benefit["code"])
            if benefit["amount"] is not None:
                row["amount"] += _money(benefit["amount"])
        for path in {union.path, _child_path(household.union.path, depth)}:
            if path in area_sums:
                area_sums[path]["households"] += 1
                area_sums[path]["cash"] += _money(answer["total_cash"])
    by_article = defaultdict(lambda: Decimal(0))
    for row in codes.values():
        by_article[row["article"]] += row["amount"]
    return {
        "as_of": as_of, "benefits": list(codes.values()), "incomplete": incomplete,
        "articles": sorted(by_article.items()),
        "areas": [{"union": area, **area_sums[area.path]} for area in areas],
        "total_cash": area_sums[union.path]["cash"],
    }


def _exactly(report: dict):
    """The report with every Decimal as its text: 0 and 0.00 are equal numbers but print apart."""
    if isinstance(report, dict):
        return {k: _exactly(v) for k, v in report.items()}
    if isinstance(report, list | tuple):
        return [_exactly(v) for v in report]
    return str(report) if isinstance(report, Decimal) else report


def _compare(user, union, batch: int) -> dict:
    from bangfu.reports.entitlements import entitlement_report

    expected = reference(user=user, union=union, as_of=AS_OF, batch=batch)
    found = entitlement_report(user=user, union=union, as_of=AS_OF, batch=batch)
    assert _exactly(found) == _exactly(expected)
    assert [b["code"] for b in found["benefits"]] == [b["code"] for b in expected["benefits"]]
    return expected


def test_the_report_on_columns_equals_the_report_per_document(orgs, users, django_assert_max_num_queries):
    from bangfu.reports.entitlements import entitlement_report

    rng, serial = random.Random(20261205), [0]
    for i in range(120):
        _create(_household_spec(rng, ODD[i % 15] if i % 15 < len(ODD) else ""), orgs, serial)
    admin = users["admin_province"]
    expected = _compare(admin, orgs["province"], batch=2000)
    assert expected["incomplete"] >= 6 and len(expected["benefits"]) >= 10
    assert any(b["kind"] not in ("cash", "subsidy") for b in expected["benefits"])  # not in total_cash
    assert sum(a["households"] for a in expected["areas"][1:]) == expected["areas"][0]["households"] > 40
    _compare(admin, orgs["province"], batch=16)  # chunk boundaries, chunks whose every file is refused or none is
    _compare(admin, orgs["nanjing"], batch=7)  # a city: its counties as areas
    _compare(admin, orgs["xuanwu"], batch=2000)  # a county: its grassroots unions
    _compare(users["caseworker_g1"], orgs["province"], batch=2000)  # what a caseworker may see, and only that
    with django_assert_max_num_queries(12):  # a few per chunk of 2000, whatever its size
        entitlement_report(user=admin, union=orgs["province"], as_of=AS_OF)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(0, 10), odd=st.sampled_from(("", *ODD)))
def test_any_archive_reports_as_its_documents(orgs, users, seed, size, odd):
    with random_archive(orgs, seed, size, odd):
        _compare(users["admin_province"], orgs["province"], batch=4)
