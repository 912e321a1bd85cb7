#!/usr/bin/env python3
"""A national what-if past one machine: totals of a partitioned population on Dask against one process.

Run `.venv/bin/python benchmarks/dask_totals.py [--households 10000000] [--partitions 16] [--scheduler ADDRESS]`.
Writes (once) a synthetic population as a directory of Parquet files, then assesses it in this process
(`bulk.assess_file`) and on a Dask cluster (a local cluster of this machine's cores unless `--scheduler` names a
running one), and prints both wall times and whether the totals agree to the fen. Figures, not a test.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bangfu.policy.bulk import assess_file
from bangfu.policy.distributed import LOCAL, assess_distributed
from bangfu.policy.synth import write_population

OUT = Path(__file__).resolve().parent / "out"
SEED, AS_OF = 20240601, "2024-06-01"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--households", type=int, default=10_000_000)
    p.add_argument("--partitions", type=int, default=16)
    p.add_argument("--scheduler", default=LOCAL)
    args = p.parse_args()
    where = OUT / "populations" / f"parts_{args.households}_{args.partitions}_{SEED}_{AS_OF}_by_member"
    if not where.exists():
        start = time.perf_counter()
        write_population(args.households, SEED, where, as_of=AS_OF, partitions=args.partitions)
        print(f"synthetic population written in {time.perf_counter() - start:.1f} s: {where}")
    start = time.perf_counter()
    single = assess_file(str(where), progress=False)
    single_s = time.perf_counter() - start
    start = time.perf_counter()
    spread = assess_distributed(where, args.scheduler)
    dask_s = time.perf_counter() - start
    equal = spread.rows() == single.rows()
    figures = {"households": args.households, "partitions": args.partitions, "scheduler": args.scheduler,
               "single_process_s": round(single_s, 2), "dask_s": round(dask_s, 2), "totals_equal": equal,
               "total_fen": int(single.fen.sum())}
    print(json.dumps(figures, ensure_ascii=False))
    OUT.mkdir(exist_ok=True)
    (OUT / "dask_totals.json").write_text(json.dumps(figures, indent=2))
    if not equal:
        raise SystemExit("the distributed totals differ from the single-process ones")


if __name__ == "__main__":
    main()
