"""The re-computation counts a household with medical bills as identification does (its own share of the bills is
a rigid expense), reading the bills of all such households at once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import numpy as np
import pytest

pytestmark = pytest.mark.django_db


def test_rigid_expenses_as_identification_counts_them_in_a_few_queries(make_household, build,
                                                                       django_assert_max_num_queries):
    from bangfu.exchange.identification import as_identified
    from bangfu.medical.models import MedicalBill
    from bangfu.registry.models import Household
    from bangfu.reports.proposals import counted_by_id
    from bangfu.reports.recompute import scope

    as_of = datetime.date(2025, 11, 1)
    sick = [make_household("g1", members=[build.member("self", region="320100")]) for _ in range(3)]
    plain = make_household("g1", members=[build.member("self", region="320100")])
    Household.objects.filter(pk__in=[h.pk for h in [*sick, plain]]).update(status="archived",
                                                                           verified_category="hardship")
    for i, h in enumerate(sick):
        member = h.members.get()
        MedicalBill.objects.create(household=h, member=member, billed_on=datetime.date(2025, 6, 1 + i), kind="inpatient",
                                   hospital="江苏省人民医院", hospital_level="tertiary", scheme="resident",
                                   total=Decimal("30000.00"), in_scope=Decimal("25000.00"))
    households = list(scope(sick[0].union.path).filter(pk__in=[h.pk for h in [*sick, plain]]))
    with django_assert_max_num_queries(11):  # bills and facts by household; those with any, their members, facts,
        # bills and their members; the standards (version, values): none per household
        ids = [h.pk for h in households]
        sizes, rigid = counted_by_id(ids, ids, np.array([len(h.active_members) for h in households]), as_of)
    expected = {h.pk: as_identified(Household.objects.get(pk=h.pk), as_of) for h in [*sick, plain]}
    for household, size, fen in zip(households, sizes, rigid, strict=True):
        members, expenses = expected[household.pk]
        assert (size, fen) == (members, int(expenses * 100))
    assert all(fen > 0 for h, fen in zip(households, rigid, strict=True) if h.pk != plain.pk)
