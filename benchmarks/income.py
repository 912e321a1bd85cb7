#!/usr/bin/env python3
"""Speed of the income rule (bangfu.policy.rules.income) over a synthetic archive: prints figures, not a test.

Run `.venv/bin/python benchmarks/income.py [--households 1000000]`. Each household has 1-5 members and a record
for each of the last 12 months from one or two sources (some months missing); the figures are the engine's work
alone (the service reads the records in one query per batch: see bangfu/registry/income.py).
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time

import numpy as np

from bangfu.policy.rules import income

AS_OF = datetime.date(2025, 7, 1)


def population(n: int, seed: int = 1) -> tuple[income.Incomes, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    members = rng.integers(1, 6, n)
    months = income.window(AS_OF, 12)
    per_household = rng.integers(6, 25, n)  # records: months × sources, some months without
    household = np.repeat(np.arange(n), per_household)
    month = months[rng.integers(0, 12, len(household))]
    amount = rng.integers(0, 600_000, len(household))  # fen
    rigid = np.where(rng.random(n) < 0.2, rng.integers(0, 5_000_000, n), 0)
    return income.Incomes(household, month, amount), members, rigid


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=1_000_000)
    args = parser.parse_args()
    records, members, rigid = population(args.households)
    dibao = np.full(args.households, 90_000)
    extreme, hardship = income.line(dibao, 1), income.line(dibao, 2)
    category = np.full(args.households, income.HARDSHIP)
    print(f"{args.households:,} households, {len(records.amount):,} income records")
    summary = timed(lambda: income.income_summary(records, members, AS_OF, rigid=rigid), 3)
    print(f"income_summary (12 months, per capita after rigid): median {statistics.median(summary):.3f} s")
    exit_line = income.own_line(category, extreme, hardship)
    review = timed(lambda: income.months_against_line(records, members, AS_OF, 6, exit_line, rigid=rigid).exit_due, 3)
    print(f"months_against_line + exit (6 months):             median {statistics.median(review):.3f} s")
    one = population(1, seed=2)
    single = timed(lambda: income.income_summary(*one[:2], AS_OF, rigid=one[2]), 1000)
    print(f"one household income_summary: p50 {statistics.median(single) * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
