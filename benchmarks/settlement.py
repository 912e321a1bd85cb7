#!/usr/bin/env python3
"""Speed of the medical settlement (spec/settlement.md): 10⁶ bills in one batch, one bill through `settle()`,
JSON Lines through the command line.

Run `.venv/bin/python benchmarks/settlement.py [--bills 1000000]`. Prints figures (not a test) and writes them to
benchmarks/out/settlement.json. Two populations: a mixed one (a third of the bills from hardship households,
most layers idle) and one of hardship households only, resident scheme, 大重病 patients enrolled in mutual aid with
unpaid emergencies (every layer computes). Each measurement runs in its own child process, so cold is cold.
Targets: 10⁶ bills settled in ≤ 2 s; one bill p50 ≤ 1 ms.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
BANGFU = str(Path(sys.executable).parent / "bangfu")
TARGETS = {"bulk_1e6_s": 2.0, "single_p50_ms": 1.0}
BILL = {"as_of": "2024-06-01", "region": "320100", "category": "hardship", "archived": True,
        "member": {"relation": "self", "scheme": "resident", "serious_illness": True, "mutual_aid": True},
        "bill": {"kind": "inpatient", "hospital_level": "tertiary", "total": 80000.00, "in_scope": 60000.00},
        "year_to_date": {"critical_base": 12000, "assistance_base": 3000}}


def population(n: int, hardship_only: bool, seed: int = 1):
    import numpy as np

    from bangfu.policy.regions import cities_on, region_index
    from bangfu.policy.settlement import Bills

    rng = np.random.default_rng(seed)
    index = region_index()
    import datetime

    cities = np.array([index[c.code] for c in cities_on(datetime.date(2024, 6, 1))], np.int16)
    days = np.datetime64("2024-01-01") + rng.integers(0, 366, n).astype("timedelta64[D]")
    total = np.round(rng.lognormal(9.5, 1.2, n).clip(0, 5_000_000), 2)
    in_scope = np.round(total * rng.uniform(0.5, 1.0, n), 2)
    if hardship_only:
        category, archived = rng.integers(1, 3, n).astype(np.int8), np.ones(n, bool)
        flags = [np.ones(n, bool)] * 4
    else:
        category = np.where(rng.random(n) < 0.33, rng.integers(1, 3, n), 0).astype(np.int8)
        archived = category > 0
        flags = [rng.random(n) < p for p in (0.4, 0.8, 0.2, 0.3)]
    is_self, resident, serious, mutual = flags
    ytd = {k: np.round(rng.uniform(0, 50_000, n), 2) for k in
           ("basic_paid", "critical_base", "critical_paid", "assistance_base", "assistance_paid", "mutual_aid_paid")}
    emergency = rng.random(n) < (1.0 if hardship_only else 0.05)
    return Bills(days, cities[rng.integers(0, len(cities), n)], category, archived, is_self, resident, serious,
                 mutual, rng.random(n) < 0.85, rng.integers(0, 3, n).astype(np.int8), total, in_scope,
                 emergency, emergency.copy(), ytd)


def _bulk(n: int, hardship_only: bool) -> dict:
    from bangfu.policy.parameters import default_parameters
    from bangfu.policy.settlement import settle_bills

    default_parameters()
    bills = population(n, hardship_only)
    t = time.perf_counter()
    cold = settle_bills(bills)
    cold_s = time.perf_counter() - t
    warm = []
    for _ in range(3):
        t = time.perf_counter()
        s = settle_bills(bills)
        warm.append(time.perf_counter() - t)
    paying = {k: float((v > 0).mean()) for k, v in s.amount.items()}
    return {"bills": n, "cold_s": round(cold_s, 3), "warm_s": round(min(warm), 3),
            "out_of_pocket_mean": round(float(cold.out_of_pocket.mean()), 2), "share_paying": paying,
            "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def _single(runs: int) -> dict:
    t = time.perf_counter()
    from bangfu.policy.settlement import settle

    settle(BILL)
    first_ms = (time.perf_counter() - t) * 1000
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        settle(BILL)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"first_call_with_import_ms": round(first_ms, 1), "p50_ms": round(statistics.median(times), 3),
            "p99_ms": round(times[int(runs * 0.99)], 3)}


def _child(kind: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, *args], check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout)


def _jsonl(n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bills.jsonl"
        with path.open("w") as fh:
            for i in range(n):
                doc = {**BILL, "bill": {**BILL["bill"], "total": 1000 + i, "in_scope": 800 + i}}
                fh.write(json.dumps(doc) + "\n")
        t = time.perf_counter()
        subprocess.run([BANGFU, "settle", "--jsonl", str(path)], check=True, stdout=subprocess.DEVNULL)
        return {"lines": n, "wall_s": round(time.perf_counter() - t, 3)}


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--bills", type=int, default=1_000_000)
    p.add_argument("--child", nargs="+")
    args = p.parse_args()
    if args.child:
        kind, *rest = args.child
        result = _bulk(int(rest[0]), rest[1] == "1") if kind == "bulk" else _single(int(rest[0]))
        print(json.dumps(result))
        return 0
    figures = {
        "bulk_mixed": _child("bulk", str(args.bills), "0"),
        "bulk_hardship_only": _child("bulk", str(args.bills), "1"),
        "single": _child("single", "3000"),
        "jsonl_1e4": _jsonl(10_000),
    }
    figures["targets"] = TARGETS
    figures["met"] = {
        "bulk_1e6_s": max(figures["bulk_mixed"]["cold_s"], figures["bulk_hardship_only"]["cold_s"])
        <= TARGETS["bulk_1e6_s"],
        "single_p50_ms": figures["single"]["p50_ms"] <= TARGETS["single_p50_ms"],
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "settlement.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
