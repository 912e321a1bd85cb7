"""`entitled_amounts`: the benefits of `answers` as arrays (household, rule, member, amount), without texts: the same
entries, and the same amounts once rounded as answers round them; `from_columns` lays out what `from_households` does."""

from __future__ import annotations

import numpy as np
import pytest

from bangfu.policy import default_parameters
from bangfu.policy import parquet as pf
from bangfu.policy.engine import evaluate
from bangfu.policy.explain import answers, entitled_amounts, money
from bangfu.policy.schema import parse_document
from bangfu.policy.synth import population_table
from bangfu.policy.table import HOUSEHOLD_COLUMNS, PERSON_COLUMNS, from_columns, from_households


def test_the_entries_of_the_answers_as_arrays():
    households = [parse_document(d) for d in pf.to_documents(population_table(400, seed=7, hardship_only=True))]
    population = from_households(households)
    evaluation = evaluate(population, default_parameters())
    expected = sorted((h, b["code"], b["member"], b["amount"])
                      for h, answer in enumerate(answers(evaluation, households)) for b in answer["benefits"])
    assert len(expected) > 400  # hardship households: most have benefits
    hh, rule, person, amount = entitled_amounts(evaluation)
    codes = [r.rule.code for r in evaluation.results]
    found = sorted((int(h), codes[k], None if p < 0 else population.member_ids[p], money(a))
                   for h, k, p, a in zip(hh.tolist(), rule.tolist(), person.tolist(), amount.tolist(), strict=True))
    assert found == expected


def test_a_restricted_evaluation_gives_the_same_entries():
    """Rules evaluated over the members they name (`Rule.within`: pupils, members with a business) give their
    entries at those members' rows in the batch, not at their positions among them."""
    households = [parse_document(d) for d in pf.to_documents(population_table(300, seed=5))]
    population = from_households(households)
    restricted = evaluate(population, default_parameters(), restricted=True)
    assert any(r.rows is not None and r.entitled.any() for r in restricted.results)
    full = entitled_amounts(evaluate(population, default_parameters()))
    for want, got in zip(full, entitled_amounts(restricted), strict=True):
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="restricted=False"):
        answers(restricted, households)  # an answer's refusals are of every row


def test_columns_lay_out_as_documents_do():
    households = [parse_document(d) for d in pf.to_documents(population_table(50, seed=3))]
    population = from_households(households)
    again = from_columns({n: getattr(population, n).tolist() for n in HOUSEHOLD_COLUMNS},
                         {n: getattr(population, n) for n in PERSON_COLUMNS}, population.member_ids)
    for name in (*HOUSEHOLD_COLUMNS, *PERSON_COLUMNS):
        np.testing.assert_array_equal(getattr(again, name), getattr(population, name))
        assert getattr(again, name).dtype == getattr(population, name).dtype
