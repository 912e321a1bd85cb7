#!/usr/bin/env python3
"""What each page of the load benchmark's mix costs the server (issue 19): prints figures, not a test.

Signs in through the login form as each demo role (and once anonymous, for the public assessment API), then requests
every endpoint of benchmarks/load/locustfile.py's mix `--repeat` times in-process (Django's test client, production
settings: bangfu.config.settings.base, DEBUG off), in a database the demo filled:

    .venv/bin/python benchmarks/page_costs.py --database postgres://postgres@127.0.0.1:5432/bangfu_h01_load

With REDIS_URL in the environment the cache is Redis, as on a deployment (give a private db number or
BANGFU_CACHE_PREFIX). Per endpoint × role it prints the median and p90 of the Python side's CPU ms
(time.process_time: view, templates, middleware), the median wall ms, the PostgreSQL backend's mean CPU ms (from
/proc) and the number of SQL queries; then the CPU per request of the whole mix, weighted as locust weights it.
`--profile NAME` (repeatable: an endpoint's name as printed) prints its costliest functions (cProfile, CPU time, cumulative,
all roles together). The first request of each endpoint is a warm-up, not counted. The machine may be shared: read
the CPU figures, and the wall ones beside the load average printed.

Measured (issue 19; bangfu_load's 15,000 demo households, Redis cache, --repeat 8, two alternating runs each of the
commit before and after, 2 shared cores at load average 4.5-6): staff mix per request, Django CPU 40.4-41.9 ms ->
32.5-38.2 ms, PostgreSQL backend 14.2 ms -> 6.4-7.2 ms; start page median 47-49 ms -> 20-22 ms (11-12 queries -> 2-4,
its PostgreSQL time 16-85 ms -> 1-4 ms); every other page two queries fewer (session, organisation).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "load"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from household_file import backend_cpu, percentile  # noqa: E402  (the backend's CPU from /proc, p90: one home)
from run import RAISED_LIMITS  # noqa: E402  (the load run's raised per-address limits: one home)

PASSWORD = "bangfu-demo-2019"  # the demo accounts' (bangfu/demo/loader.py)
STAFF = ["caseworker", "caseworker_wx", "reviewer", "admin", "admin_nj", "auditor"]
# The spec's own example, as locustfile.py sends it (and from the same variable, for a checkout elsewhere).
ASSESSMENT = Path(os.environ.get("BANGFU_ASSESSMENT_EXAMPLE", ROOT.parent / "shared/spec/examples/extreme-family.json"))
# Endpoint name (as locust names it) and its weight in the staff mix (locustfile.py's @task weights: the household
# list task requests both the API and the page). The public API is a separate user class: weighted apart.
MIX = {"/ (start page)": 6, "/api/v1/households": 5, "/households/": 5, "/api/v1/households?after=": 2,
       "/households/[id]/": 5, "/targets/": 1, "/ledger/": 1, "/alerts/": 1, "/reports/": 1}


class Staff:
    """One signed-in role and the requests of the mix it makes (ids and the keyset cursor taken from its own lists)."""

    def __init__(self, client, username: str):
        self.client, self.username = client, username
        page = client.get("/accounts/login/")
        assert page.status_code == 200, page.status_code
        response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, (username, response.status_code)
        listed = client.get("/api/v1/households", {"per_page": 20}).json()
        self.households = [h["id"] for h in listed["items"]]
        self.cursor = listed.get("next_after")
        self.turn = 0

    def request(self, name: str):
        self.turn += 1
        if name == "/ (start page)":
            return self.client.get("/")
        if name == "/api/v1/households":
            return self.client.get("/api/v1/households", {"per_page": 20})
        if name == "/households/":
            return self.client.get("/households/", {"page": 1 + self.turn % 5})
        if name == "/api/v1/households?after=":
            response = self.client.get("/api/v1/households", {"per_page": 20,
                                                              **({"after": self.cursor} if self.cursor else {})})
            self.cursor = response.json().get("next_after")
            return response
        if name == "/households/[id]/":
            if not self.households:
                return None
            return self.client.get(f"/households/{self.households[self.turn % len(self.households)]}/")
        return self.client.get(name)


class Anonymous:
    username = "anonymous"

    def __init__(self, client):
        self.client, self.body = client, ASSESSMENT.read_text()

    def request(self, name: str):
        return self.client.post("/api/v1/assessments", self.body, content_type="application/json")


def measure(who, name: str, repeat: int, pid: int, profiler) -> list[tuple[float, float, float, int]] | None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if who.request(name) is None:  # warm-up (imports, templates, first loads of the process)
        return None
    found = []
    for _ in range(repeat):
        db0, cpu0, wall0 = backend_cpu(pid), time.process_time(), time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            if profiler:
                profiler.enable()
            response = who.request(name)
            if profiler:
                profiler.disable()
        cpu, wall, db = time.process_time() - cpu0, time.perf_counter() - wall0, backend_cpu(pid) - db0
        assert response.status_code == 200, (who.username, name, response.status_code)
        found.append((cpu * 1000, wall * 1000, db * 1000, len(queries)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="a private PostgreSQL database filled with the demo")
    parser.add_argument("--repeat", type=int, default=10, help="measured requests per endpoint and role")
    parser.add_argument("--roles", nargs="*", default=STAFF)
    parser.add_argument("--profile", action="append", default=[], help="an endpoint to profile (repeatable)")
    parser.add_argument("--top", type=int, default=25, help="functions printed per profile")
    args = parser.parse_args()
    if args.database.rstrip("/").endswith("/bangfu"):
        sys.exit("refusing the shared database name `bangfu`: give a private one")
    os.environ.update({"DATABASE_URL": args.database, "DJANGO_SETTINGS_MODULE": "bangfu.config.settings.base",
                       **RAISED_LIMITS})
    os.environ.pop("BANGFU_DEBUG", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    assert not settings.DEBUG
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest production pages are rendered with
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    profilers = {name: cProfile.Profile(time.process_time) for name in args.profile}  # CPU, not waits
    started, load = time.time(), Path("/proc/loadavg").read_text().split()[:3]
    print(f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[1]}; {args.repeat} requests per endpoint "
          f"and role; load average before {' '.join(load)}", flush=True)
    print(f"\n{'endpoint':<28}{'role':<15}{'CPU ms':>8}{'p90':>7}{'wall ms':>9}{'PG ms':>7}{'queries':>9}")
    per_endpoint: dict[str, list[float]] = {}
    database: dict[str, list[float]] = {}  # the PostgreSQL backend's CPU ms, likewise
    visitors = [Staff(Client(SERVER_NAME="127.0.0.1"), name) for name in args.roles]
    visitors.append(Anonymous(Client(SERVER_NAME="127.0.0.1")))
    for who in visitors:
        for name in (["/api/v1/assessments"] if isinstance(who, Anonymous) else MIX):
            found = measure(who, name, args.repeat, pid, profilers.get(name))
            if found is None:
                print(f"{name:<28}{who.username:<15}  (nothing to request)")
                continue
            cpu, wall, db, count = zip(*found, strict=True)
            per_endpoint.setdefault(name, []).extend(cpu)
            database.setdefault(name, []).extend(db)
            queries = f"{min(count)}" if min(count) == max(count) else f"{min(count)}-{max(count)}"
            print(f"{name:<28}{who.username:<15}{statistics.median(cpu):>8.1f}{percentile(cpu, 90):>7.1f}"
                  f"{statistics.median(wall):>9.1f}{statistics.mean(db):>7.1f}{queries:>9}", flush=True)
    print("\nper endpoint, all roles (median CPU ms): " + json.dumps(
        {name: round(statistics.median(cpu), 1) for name, cpu in per_endpoint.items()}, ensure_ascii=False))
    weights = sum(MIX[n] for n in MIX if n in per_endpoint)
    django, postgres = (sum(MIX[n] * statistics.mean(found[n]) for n in MIX if n in found) / weights
                        for found in (per_endpoint, database))
    print(f"staff mix, weighted as locust weights it (mean per request): Django {django:.1f} ms CPU, "
          f"PostgreSQL backend {postgres:.1f} ms CPU")
    print(f"{time.time() - started:.0f} s wall; load average after "
          f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    for name, profiler in profilers.items():
        print(f"\nprofile of {name} (cumulative):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
