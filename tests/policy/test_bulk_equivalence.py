"""The large-batch path against the single-household one, on random populations (hypothesis).

The gate first and the rules over the households it admits, working age looked up per distinct (day,
retirement group, birth date), populations cut into batches: none of it may change an answer. Each
population is drawn from the synthetic generator (a random seed, size and day, also hardship households
only, also two days in one batch) and its totals are compared to the answers of its households assessed
one by one, each a batch of one (no gate cut, working age member by member).
"""

from __future__ import annotations

import copy
import datetime
import gc
import weakref
from collections import Counter
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_batch_property import households

from bangfu.policy import assess
from bangfu.policy import parquet as pf
from bangfu.policy.arrow import population_from_arrow
from bangfu.policy.bulk import PAID, cities, population_totals, totals
from bangfu.policy.engine import GATE_CODE, evaluate
from bangfu.policy.parameters import default_parameters
from bangfu.policy.regions import get_region
from bangfu.policy.rules import RULES, Ctx
from bangfu.policy.rules.base import _born_within, _ranges
from bangfu.policy.schema import parse_document
from bangfu.policy.synth import population_table, to_documents
from bangfu.policy.table import HOUSEHOLD_COLUMNS, PERSON_COLUMNS, from_households

# Days where the figures turn (the notice, the 2024 national figures, the 2025 retirement reform) and others.
DAYS = [datetime.date(*d) for d in [(2019, 1, 9), (2019, 1, 10), (2020, 6, 30), (2024, 8, 31), (2024, 9, 1),
                                     (2024, 12, 31), (2025, 1, 1), (2025, 3, 1), (2026, 11, 16), (2031, 2, 28)]]
SETTINGS = settings(max_examples=10, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def document_row(doc: dict) -> dict:
    """A document as a row of the Parquet schema: dates as dates, every member field present (null if absent)."""
    day = datetime.date.fromisoformat
    doc["as_of"] = day(doc["as_of"])
    for m in doc["members"]:
        m["birth_date"] = day(m["birth_date"])
        if m.get("business"):
            m["business"]["registered_on"] = day(m["business"]["registered_on"])
    return doc


def _population(seed: int, sizes: list[int], days: list[datetime.date], hardship: bool) -> pa.Table:
    pairs = list(zip(sizes, days, strict=False))
    parts = [population_table(n, seed + k, day, hardship_only=hardship, first=sum(sizes[:k]))
             for k, (n, day) in enumerate(pairs)]
    return pa.concat_tables(parts)


def _one_by_one(docs: list[dict]) -> tuple[Counter, Counter, Counter]:
    count, fen, households = Counter(), Counter(), Counter()
    for doc in docs:
        answer = assess(doc)
        city = get_region(doc["region"]).city_code
        households[city] += 1
        if not any(r["code"] == GATE_CODE for r in answer["not_eligible"]):
            count[GATE_CODE, city] += 1
        for b in answer["benefits"]:
            count[b["code"], city] += 1
            if b["kind"] in PAID and b["amount"] is not None:
                fen[b["code"], city] += int(Decimal(b["amount"]) * 100)
    return count, fen, households


@SETTINGS
@given(seed=st.integers(0, 2**31), sizes=st.lists(st.integers(1, 120), min_size=1, max_size=2),
       days=st.lists(st.sampled_from(DAYS), min_size=2, max_size=2), hardship=st.booleans(),
       batch=st.integers(1, 250))
def test_batched_totals_equal_the_households_assessed_one_by_one(seed, sizes, days, hardship, batch) -> None:
    t = _population(seed, sizes, days, hardship)
    got = population_totals(population_from_arrow(t), batch=batch)
    count, fen, households = _one_by_one(to_documents(t))
    codes = cities()[0]
    assert {codes[c]: int(n) for c, n in enumerate(got.households) if n} == dict(households)
    assert {(r.code, codes[c]): int(got.entitled[i, c]) for i, r in enumerate(got.rules)
            for c in range(len(codes)) if got.entitled[i, c]} == dict(count)
    assert {(r.code, codes[c]): int(got.fen[i, c]) for i, r in enumerate(got.rules)
            for c in range(len(codes)) if got.fen[i, c]} == {k: v for k, v in fen.items() if v}


@SETTINGS
@given(seed=st.integers(0, 2**31), n=st.integers(1, 400), days=st.lists(st.sampled_from(DAYS), min_size=1,
       max_size=3), hardship=st.booleans())
def test_the_gate_first_evaluation_equals_each_rule_over_the_whole_batch(seed, n, days, hardship) -> None:
    """Rules over the admitted households only give, row for row, what they give over the whole batch."""
    population = population_from_arrow(_population(seed, [n] * len(days), days, hardship))
    evaluation = evaluate(population)
    whole = Ctx(population, default_parameters())
    gate = evaluation.gate.entitled
    rows = {"household": evaluation.households, "person": evaluation.persons}
    assert (np.flatnonzero(gate) == evaluation.households).all()
    assert (np.flatnonzero(gate[population.hh]) == evaluation.persons).all()
    for result in evaluation.results:
        outcome = result.rule.formula(whole)
        size = population.n_households if result.rule.entity == "household" else population.n_persons
        at = rows[result.rule.entity]
        everywhere = np.ones(size, bool)
        for mask, _ in outcome.conditions:
            everywhere &= np.broadcast_to(mask, (size,))
        assert (everywhere[at] == result.entitled).all(), result.rule.code
        if outcome.amount is not None and len(at):  # no row admitted: no amount to compare
            want = np.broadcast_to(outcome.amount, (size,))[at]
            got = np.broadcast_to(result.outcome.amount, (len(at),))
            assert np.array_equal(want, got, equal_nan=True), result.rule.code


@SETTINGS
@given(seed=st.integers(0, 2**31), n=st.integers(1, 300), days=st.lists(st.sampled_from(DAYS), min_size=1,
       max_size=3), shift=st.integers(-40_000, 400))
def test_working_age_looked_up_equals_member_by_member(seed, n, days, shift) -> None:
    """Working age from the table of distinct (day, group, birth date) equals the member-by-member rule,
    across the 2025 reform, with births moved to every age (and on several days in one batch)."""
    table = _population(seed, [n] * len(days), days, False)
    population = population_from_arrow(table)
    rng = np.random.default_rng(seed)
    moved = population.birth + rng.integers(shift, 401, population.n_persons).astype("timedelta64[D]")
    population.birth = np.minimum(moved, population.as_of[population.hh])
    ctx = Ctx(population, default_parameters())
    looked_up = ctx._working_age_table(most=10**8)
    assert looked_up is not None
    assert (looked_up == ctx._working_age_direct()).all()


@given(rows=st.lists(st.lists(st.booleans(), min_size=6, max_size=6), min_size=1, max_size=3))
def test_working_age_compared_with_a_run_of_birth_dates_only_where_the_table_is_one(rows) -> None:
    """A group whose working age holds on two runs of birth dates in the table is not compared with one."""
    table = np.array(rows)
    ranges = _ranges(table, 100)
    runs = [int(np.count_nonzero(np.diff(np.r_[0, row, 0]) == 1)) for row in table.astype(int)]
    assert (ranges is False) == any(k > 1 for k in runs)
    if ranges is not False:
        group = np.repeat(np.arange(len(rows)), 6).astype(np.int8)
        birth = np.tile(np.arange(100, 106), len(rows))
        assert (_born_within(group, birth, ranges) == table.ravel()).all()


@SETTINGS
@given(docs=st.lists(households(), min_size=1, max_size=30), sliced=st.integers(0, 3), former=st.booleans())
def test_the_arrow_reader_equals_the_document_path_on_random_households(docs, sliced, former) -> None:
    """Any valid documents as an Arrow table of either layout (dictionaries in the order values first occur, not
    the schema's; absent fields null; a slice of a larger table) read into the very columns the document path
    makes."""
    rows = [document_row(copy.deepcopy(doc)) for doc in docs]
    if former:
        table = pa.Table.from_pylist(rows[:1] * sliced + rows, schema=pf.NESTED).slice(sliced)
    else:
        table = pf.table(rows[:1] * sliced + rows).slice(sliced * len(rows[0]["members"]))
    got = population_from_arrow(table, member_ids=True)
    want = from_households([parse_document(copy.deepcopy(doc)) for doc in docs])
    for name in HOUSEHOLD_COLUMNS + PERSON_COLUMNS:
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype, name
        assert np.array_equal(a, b, equal_nan=a.dtype.kind in "fM"), name
    assert got.member_ids == want.member_ids


@SETTINGS
@given(seed=st.integers(0, 2**31), n=st.integers(1, 400), days=st.lists(st.sampled_from(DAYS), min_size=1,
       max_size=3), hardship=st.booleans())
def test_the_restricted_evaluation_equals_the_full_one(seed, n, days, hardship) -> None:
    """A rule evaluated only over the members it names (`Rule.within`, the bulk totals) entitles, row for row,
    whom the full evaluation entitles, at the same amounts (bit for bit), and the full one none of the others."""
    population = population_from_arrow(_population(seed, [n] * len(days), days, hardship))
    full, restricted = evaluate(population), evaluate(population, restricted=True)
    codes = {r.rule.code for r in restricted.results if r.rows is not None}
    assert codes == {r.code for r in RULES if r.within} or not restricted.admitted.n_households
    for whole, part in zip(full.results, restricted.results, strict=True):
        if part.rows is None:
            assert whole.rows is None and (whole.entitled == part.entitled).all(), part.rule.code
            continue
        outside = np.ones(len(whole.entitled), bool)
        outside[part.rows] = False
        assert not whole.entitled[outside].any(), part.rule.code
        assert (whole.entitled[part.rows] == part.entitled).all(), part.rule.code
        if whole.outcome.amount is not None:
            at = part.rows[part.entitled]
            want = np.broadcast_to(np.asarray(whole.outcome.amount, np.float64), whole.entitled.shape)[at]
            got = np.broadcast_to(np.asarray(part.outcome.amount, np.float64), part.entitled.shape)[part.entitled]
            assert (want.view(np.int64) == got.view(np.int64)).all(), part.rule.code
    assert (totals(population, full).entitled == totals(population, restricted).entitled).all()
    assert (totals(population, full).fen == totals(population, restricted).fen).all()


def test_a_context_within_some_members_refuses_the_households_member_aggregates() -> None:
    """Over the pupils alone a household's size or 'any member' would count only them: refused, not wrong."""
    population = population_from_arrow(_population(7, [50], [DAYS[4]], True))
    ctx = Ctx(population, default_parameters())
    pupils = ctx.within("in_school")
    assert (pupils.rows == np.flatnonzero(population.stage > 0)).all()
    assert (pupils.pop.stage == population.stage[pupils.rows]).all() and pupils.pop.n_households == 50
    with pytest.raises(ValueError, match="household_size"):
        pupils.household_size  # noqa: B018 (a property)
    with pytest.raises(ValueError, match="any_member"):
        pupils.any_member(pupils.in_school)
    assert ctx.household_size.sum() == population.n_persons  # the batch's own context still counts them


def test_a_batchs_context_is_freed_with_its_evaluation_not_by_the_cycle_collector() -> None:
    """A context within some members refers to its batch's without holding it: the two holding each other kept a
    batch's columns and facts past its evaluation until the cycle collector ran, bulk runs' batches piling up."""
    population = population_from_arrow(_population(7, [50], [DAYS[4]], True))
    ctx = Ctx(population, default_parameters())
    pupils = ctx.within("in_school")
    assert len(pupils.working_age) == len(pupils.rows)  # read through the batch's while it lives
    batch = weakref.ref(ctx)
    enabled = gc.isenabled()
    gc.disable()
    try:
        del ctx, pupils
        assert batch() is None
    finally:
        if enabled:
            gc.enable()
