"""`assess_under`: documents parsed once and answered under several sets of figures, the same answers as
`assess_many` under each; a document the format refuses is answered None, the others still answered."""

from __future__ import annotations

import datetime

from policy_documents import bad, base

from bangfu.policy import assess_many, assess_under, default_parameters
from bangfu.policy.parameters import Value


def test_each_set_answers_as_assess_many_and_a_bad_document_is_none():
    shipped = default_parameters()
    raised = shipped.with_values([("education.compulsory_living_subsidy.primary_yuan_per_day", "320000",
                                   Value(datetime.date(2019, 1, 10), 5.0, {"document": "测试"}, "confirmed"))])
    poor = {**base(), "monthly_income": 0.0, "category": "hardship"}
    documents = [base(), bad(("members", [])), poor]
    found = assess_under(documents, [shipped, raised])
    assert [row[0] is None for row in found] == [False, True, False]
    good = [base(), poor]
    assert [found[0][0], found[2][0]] == assess_many(good, parameters=shipped)
    assert [found[0][1], found[2][1]] == assess_many(good, parameters=raised)
    assert found[0][0] != found[0][1]  # 5 a day instead of 4: the child's subsidy moves
