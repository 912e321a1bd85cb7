#!/usr/bin/env python3
"""The household file's server cost (issue 19): prints figures, not a test.

Loads `/households/<id>/` through Django's test client, signed in as a demo account, for a sample of the households
that account may see, in a database the load benchmark (or `manage.py demo`) filled:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bangfu_bench_load \
        .venv/bin/python benchmarks/household_file.py --user caseworker --views 50

Each household is viewed `--repeat` times (default 2: a first view, then a second one as the next caseworker would
see it); per view it prints the median and p90 of the process's CPU ms (Django: view, templates, middleware), the
PostgreSQL backend's CPU ms (from /proc) and the number of queries. `--profile N` prints the N costliest functions
(cProfile, cumulative) over all views. The machine may be shared: read CPU figures, beside the load average.

Measured (issue 19; 15,000 demo households plus demo_exchange, demo_medical, demo_programmes; caseworker, 50
households; six alternating runs on 2 shared cores, load average 4-7): before, 28 queries, Django CPU median
49-67 ms, PostgreSQL 11-14 ms; after, 15 queries, 30-49 ms (about a third less in each pair), PostgreSQL 7-11 ms.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TICK = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--user", default="caseworker")
    parser.add_argument("--views", type=int, default=50, help="households sampled")
    parser.add_argument("--repeat", type=int, default=2, help="views of each household, one after the other")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions (cProfile)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a private PostgreSQL database filled with the demo")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.config.settings.base")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bangfu.accounts.access import VIEW
    from bangfu.accounts.models import User
    from bangfu.registry.models import Household

    user = User.objects.get(username=args.user)
    ids = list(Household.objects.restrict(user, VIEW).order_by("pk").values_list("pk", flat=True))
    sample = random.Random(args.seed).sample(ids, min(args.views, len(ids)))
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    client.get(f"/households/{sample[0]}/")  # imports, templates, the parameters' first load
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    profiler = cProfile.Profile() if args.profile else None
    rows: dict[int, list[tuple[float, float, int]]] = {i: [] for i in range(args.repeat)}
    started, load = time.time(), Path("/proc/loadavg").read_text().split()[:3]
    for pk in sample:
        for i in range(args.repeat):
            db0, cpu0 = backend_cpu(pid), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                if profiler:
                    profiler.enable()
                response = client.get(f"/households/{pk}/")
                if profiler:
                    profiler.disable()
            cpu, db = time.process_time() - cpu0, backend_cpu(pid) - db0
            assert response.status_code == 200, (pk, response.status_code)
            rows[i].append((cpu * 1000, db * 1000, len(queries)))
    print(f"{len(sample)} households × {args.repeat} views as {args.user}, {time.time() - started:.1f} s wall; "
          f"load average before {' '.join(load)}, after {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    for i, found in rows.items():
        cpu, db, count = zip(*found, strict=True)
        # The backend's CPU comes in clock ticks (10 ms): its mean over the views, not a median.
        print(f"view {i + 1}: Django CPU median {statistics.median(cpu):.1f} ms (p90 {percentile(cpu, 90):.1f}, "
              f"mean {statistics.mean(cpu):.1f}), PostgreSQL CPU mean {statistics.mean(db):.1f} ms, "
              f"queries median {statistics.median(count):.0f} (max {max(count)})")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
