#!/usr/bin/env python3
"""Two checkouts' CPU per request, interleaved (issue 19): prints figures, not a test.

On a machine shared with other work the CPU time of a request drifts by a third within minutes, more than most
changes move it: two runs of page_costs.py one after the other compare the load of two moments. Here one process per
checkout (each under its own code: `--base` and `--new` are checkouts with their .venv) signs in as the roles once
and answers the same requests in turn, base and new alternating request batch by batch, so that both see the same
moments; it prints each endpoint's median CPU ms per role and side, and the median over the roles:

    .venv/bin/python benchmarks/page_ab.py --base ../main --new . --database postgres://…/bangfu_h04_load

This file runs in both (the base needs none of its own); `/accounts/password_change/` is the floor: a small page every signed-in user has (middleware, session, user,
template, menu). With REDIS_URL in the environment each side gets its own key prefix.

Measured (issue 19, helper h04's branch against the main it started from; bangfu_load's 15,000 demo households,
Redis cache, 4 rounds of 8 requests per side, 2 shared cores at load average 6-7), median over the six roles, CPU ms:
floor 5.4 -> 4.0, start page 8.8 -> 6.3, household list 14.7 -> 10.7, API list 8.1 -> 6.8, its keyset pages
8.4 -> 7.3, targets 9.4 -> 7.9, alerts 8.1 -> 6.6, reports 12.1 -> 10.9.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

FLOOR = "/accounts/password_change/"
ENDPOINTS = [FLOOR, "/ (start page)", "/households/", "/api/v1/households", "/api/v1/households?after=", "/targets/",
             "/alerts/", "/reports/"]


def serve(database: str) -> None:
    """The measuring side, in a checkout (the working directory, on PYTHONPATH): reads `role, endpoint, n` lines (tab
    separated), answers each with a JSON line of n requests' CPU ms."""
    root = Path.cwd()
    sys.path[:0] = [str(root), str(root / "benchmarks" / "load"), str(root / "benchmarks")]
    from page_costs import Staff  # the mix's requests, as page_costs.py makes them (one home)
    from run import RAISED_LIMITS

    os.environ.update({"DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": "bangfu.config.settings.base",
                       **RAISED_LIMITS})
    os.environ.pop("BANGFU_DEBUG", None)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    assert not settings.DEBUG
    staff: dict[str, Staff] = {}
    print("ready", flush=True)
    for line in sys.stdin:
        role, name, count = line.rstrip("\n").split("\t")
        who = staff.get(role) or staff.setdefault(role, Staff(Client(SERVER_NAME="127.0.0.1"), role))
        assert _request(who, name).status_code == 200, (role, name)  # warm-up
        found = []
        for _ in range(int(count)):
            started = time.process_time()
            response = _request(who, name)
            found.append((time.process_time() - started) * 1000)
            assert response.status_code == 200, (role, name, response.status_code)
        print(json.dumps(found), flush=True)


def _request(who, name: str):
    return who.client.get(FLOOR) if name == FLOOR else who.request(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", required=True, help="a private PostgreSQL database filled with the demo")
    parser.add_argument("--base", type=Path, required=True, help="the checkout measured as before")
    parser.add_argument("--new", type=Path, required=True, help="the checkout measured as after")
    parser.add_argument("--rounds", type=int, default=4, help="batches of each endpoint and role per side")
    parser.add_argument("--repeat", type=int, default=8, help="requests per batch")
    parser.add_argument("--roles", nargs="*", default=["caseworker", "caseworker_wx", "reviewer", "admin", "admin_nj",
                                                       "auditor"])
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.database)
        return
    if args.database.rstrip("/").endswith("/bangfu"):
        sys.exit("refusing the shared database name `bangfu`: give a private one")
    sides = {}
    for side, checkout in (("base", args.base.resolve()), ("new", args.new.resolve())):
        env = {**os.environ, "PYTHONPATH": str(checkout),
               "BANGFU_CACHE_PREFIX": f"{os.environ.get('BANGFU_CACHE_PREFIX', 'ab')}-{side}"}
        sides[side] = subprocess.Popen(  # noqa: S603 - our own script, under each checkout's interpreter
            [str(checkout / ".venv/bin/python"), str(Path(__file__).resolve()), "--serve", "--database",
             args.database, "--base", ".", "--new", "."], cwd=checkout, env=env, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True)
        assert sides[side].stdout.readline().strip() == "ready"
    found: dict[tuple[str, str, str], list[float]] = {}
    for turn in range(args.rounds):
        for role in args.roles:
            for name in ENDPOINTS:
                for side in (("base", "new") if turn % 2 == 0 else ("new", "base")):
                    sides[side].stdin.write(f"{role}\t{name}\t{args.repeat}\n")
                    sides[side].stdin.flush()
                    found.setdefault((role, name, side), []).extend(json.loads(sides[side].stdout.readline()))
    for process in sides.values():
        process.stdin.close()
        process.wait()
    print(f"{'endpoint':<28}{'role':<15}{'base ms':>9}{'new ms':>9}")
    for name in ENDPOINTS:
        for role in args.roles:
            base, new = (statistics.median(found[role, name, side]) for side in ("base", "new"))
            print(f"{name:<28}{role:<15}{base:9.2f}{new:9.2f}")
    print("\nmedian over the roles (CPU ms per request):")
    for name in ENDPOINTS:
        base, new = (statistics.median(statistics.median(found[role, name, side]) for role in args.roles)
                     for side in ("base", "new"))
        print(f"{name:<28}{base:7.2f} -> {new:6.2f}  ({100 * (new - base) / base:+.0f}%)")
    print(f"load average after {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")


if __name__ == "__main__":
    main()
