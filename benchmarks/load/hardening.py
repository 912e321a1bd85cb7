#!/usr/bin/env python3
"""A realistic day with hostile traffic mixed in (issue 13, item 7): prints figures and checks, not a test.

Full scale (the issue's): `.venv/bin/python benchmarks/load/hardening.py` = 15,000 households; 200 staff (reading:
locustfile.py) with 3-8 s think time, 20 anonymous assessment users, 10 caseworkers recording payment requests and
4 users sending bad input (hostile.py), gunicorn with 5 workers, 180 s. A run this shared machine allows:
`.venv/bin/python benchmarks/load/hardening.py --households 1500 --users 40 --anonymous 4 --writers 4 --bad 2
--seconds 90 --workers 3`.

It migrates and fills a private PostgreSQL database (default `bangfu_bench_load`; never `bangfu`) with the demo
(a second run reuses it), serves it with gunicorn on a free loopback port, runs locust headless (`pip install -e
'.[bench]'`) with both locustfiles for a bounded time, and prints per endpoint the count, failures and p50/p95/p99
(locust's), the staff requests per second, server CPU seconds (gunicorn and the PostgreSQL backends of this
database) beside wall seconds and /proc/loadavg; then the checks: no 5xx on any endpoint, every bad input answered
4xx (the `FILTER` probes of page filters: no 5xx), every payment request and case move the server acknowledged
in the database, whole, with its audit row (nothing lost), and how many of the run's payment requests are there
that the client never heard about.
All users come from 127.0.0.1, so the per-address rate limits are raised for the run (in service they count each
address apart). Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BIN = Path(sys.executable).parent
sys.path[:0] = [str(HERE), str(HERE.parent)]
from run import RAISED_LIMITS, create_database, free_port  # noqa: E402
from selfcheck import CpuMeter, _backends, _busy, _tree  # noqa: E402


def _stats(prefix: str) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as f:
        return [row for row in csv.DictReader(f) if row["Name"] != "Aggregated"]


def _table(rows: list[dict]) -> None:
    print(f"\n{'endpoint':<52}{'n':>7}{'fail':>6}{'p50':>8}{'p95':>8}{'p99':>8}  ms")
    for row in sorted(rows, key=lambda r: (r["Name"].startswith(("BAD", "FILTER")), r["Name"])):
        print(f"{row['Name'][:51]:<52}{row['Request Count']:>7}{row['Failure Count']:>6}{row['50%']:>8}"
              f"{row['95%']:>8}{row['99%']:>8}")


def _check_journal(url: str, checks: dict) -> list[str]:
    """Every acknowledged payment request stored whole with its audit row; the run's rows the client never heard
    about counted apart."""
    import psycopg

    problems = []
    journal = [w for w in checks["journal"] if "id" in w]
    moves = [w for w in checks["journal"] if "case" in w]
    with psycopg.connect(url) as db:
        stored = {row[0]: row[1:] for row in db.execute(
            "SELECT id, household_id, amount, fund_source, paid_on::text, description FROM ledger_ledgerrequest "
            "WHERE description LIKE %s", [f"负载测试 {checks['run']} %"])}
        audited = {int(row[0]) for row in db.execute(
            "SELECT object_id FROM audit_auditentry WHERE action = 'ledger.request' AND object_id = ANY(%s)",
            [[str(w["id"]) for w in journal]])}
        cases = {row[0]: row[1:] for row in db.execute(
            "SELECT id, state, version FROM cases_case WHERE id = ANY(%s)", [[w["case"] for w in moves]])}
        moved = {int(row[0]) for row in db.execute(
            "SELECT object_id FROM audit_auditentry WHERE action = 'case.start_help' AND object_id = ANY(%s) "
            "AND after->>'reason' = %s", [[str(w["case"]) for w in moves], f"负载测试 {checks['run']}"])}
    for move in moves:
        if cases.get(move["case"]) != ("helping", move["version"]):
            problems.append(f"case {move['case']} moved to 帮扶中 (version {move['version']}), stored as "
                            f"{cases.get(move['case'])}")
        if move["case"] not in moved:
            problems.append(f"case {move['case']}'s move has no audit row")
    if len({m["case"] for m in moves}) != len(moves):
        problems.append("one case was moved twice from the same version")
    for write in journal:
        row = stored.get(write["id"])
        wanted = (write["household_id"], Decimal(write["amount"]), write["fund_source"], write["paid_on"],
                  write["description"])
        if row is None:
            problems.append(f"payment request {write['id']} acknowledged but not stored")
        elif tuple(row) != wanted:
            problems.append(f"payment request {write['id']} stored as {row}, sent {wanted}")
        if write["id"] not in audited:
            problems.append(f"payment request {write['id']} has no audit row")
    unheard = len(stored) - len({w["id"] for w in journal} & set(stored))
    print(f"\nnothing lost: {len(journal)} payment requests and {len(moves)} case moves acknowledged, "
          f"{len(problems)} problems found in the database (each stored whole, with its audit row); "
          f"{len(checks['unanswered'])} writes sent without an answer, {unheard} of the run's payment requests "
          "stored without the client hearing of them")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/bangfu_bench_load")
    parser.add_argument("--households", type=int, default=15000)
    parser.add_argument("--users", type=int, default=200, help="staff reading (locustfile.py)")
    parser.add_argument("--anonymous", type=int, default=20, help="anonymous assessment API users")
    parser.add_argument("--writers", type=int, default=10, help="caseworkers recording payment requests")
    parser.add_argument("--bad", type=int, default=4, help="users sending bad input")
    parser.add_argument("--ramp", type=int, default=30, help="seconds over which the users start")
    parser.add_argument("--seconds", type=int, default=180, help="whole run, ramp included")
    parser.add_argument("--workers", type=int, default=5)
    args = parser.parse_args()
    if args.database.rstrip("/").endswith("/bangfu"):
        sys.exit("refusing the shared database name `bangfu`: give a private one")
    create_database(args.database)
    env = {**os.environ, "DATABASE_URL": args.database, "DJANGO_SETTINGS_MODULE": "bangfu.config.settings.base",
           "BANGFU_VAR_DIR": str(ROOT / "var" / "bench-load"), **RAISED_LIMITS,
           "BANGFU_LOAD_ANONYMOUS": str(args.anonymous), "BANGFU_LOAD_WRITERS": str(args.writers),
           "BANGFU_LOAD_BAD": str(args.bad)}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True)
    subprocess.run([*manage, "demo", "--households", str(args.households)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([*manage, "collectstatic", "--noinput", "--verbosity", "0"], env=env, check=True)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(BIN / "gunicorn"), "bangfu.config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                               "--workers", str(args.workers), "--chdir", str(ROOT), "--log-level", "warning"],
                              env=env)
    backends, watcher = _backends(args.database)
    problems: list[str] = []
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{host}/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        total = args.users + args.anonymous + args.writers + args.bad
        print(f"{args.households} households; {args.users} staff, {args.anonymous} anonymous, {args.writers} writers, "
              f"{args.bad} bad-input users; ramp {args.ramp} s, {args.seconds} s in all; gunicorn {args.workers} "
              f"workers; {os.cpu_count()} cores; load average {Path('/proc/loadavg').read_text().strip()}",
              flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            prefix, out = f"{tmp}/locust", Path(tmp) / "checks.json"
            busy, began = _busy(), time.perf_counter()
            with CpuMeter(lambda: _tree(server.pid)) as web, CpuMeter(backends) as database:
                rate = f"{total / max(1, args.ramp):.3f}"
                subprocess.run([str(BIN / "locust"), "-f", f"{HERE / 'locustfile.py'},{HERE / 'hostile.py'}",
                                "--headless", "--host", host, "-u", str(total), "-r", rate, "-t", f"{args.seconds}s",
                                "--stop-timeout", "10", "--only-summary", "--csv", prefix, "--loglevel", "WARNING"],
                               env={**env, "BANGFU_LOAD_CHECKS": str(out)}, timeout=args.seconds + 90,
                               stdout=subprocess.DEVNULL, stderr=(Path(tmp) / "locust.log").open("w"))
            wall, busy = time.perf_counter() - began, _busy() - busy
            if not out.exists():
                sys.exit("locust ended without its figures:\n" + (Path(tmp) / "locust.log").read_text()[-3000:])
            rows = _stats(prefix)
            checks = json.loads(out.read_text())
        _table(rows)
        staff = [r for r in rows
                 if not r["Name"].startswith(("BAD", "FILTER", "/api/v1/assessments", "/accounts/login"))]
        count = sum(int(r["Request Count"]) for r in staff)
        print(f"\nstaff requests (reads and writes, logins apart): {count / wall:.1f}/s over {wall:.0f} s; "
              "slowest p95: " + ", ".join(f"{r['Name']} {r['95%']} ms"
                                          for r in sorted(staff, key=lambda r: -float(r["95%"]))[:3]))
        print(f"CPU seconds over {wall:.0f} s wall: gunicorn {web.seconds:.1f}, PostgreSQL backends "
              f"{database.seconds:.1f}; the machine busy {busy:.0f} of {wall * (os.cpu_count() or 1):.0f} "
              f"core-seconds (everyone's work); load average after {Path('/proc/loadavg').read_text().strip()}")
        errors = {name: {s: n for s, n in statuses.items() if s.startswith("5")}
                  for name, statuses in checks["statuses"].items()}
        errors = {name: found for name, found in errors.items() if found}
        problems += [f"5xx on {name}: {found}" for name, found in errors.items()]
        bad = {name: {s: n for s, n in statuses.items() if not s.startswith("4")}
               for name, statuses in checks["statuses"].items()
               if name.startswith("BAD ")}
        problems += [f"{name} answered {found}" for name, found in bad.items() if found]
        probes = sum(sum(s.values()) for name, s in checks["statuses"].items() if name.startswith(("BAD", "FILTER")))
        print(f"5xx: {sum(sum(f.values()) for f in errors.values())} in "
              f"{sum(sum(s.values()) for s in checks['statuses'].values())} requests; bad input: {probes} probes of "
              f"{len([n for n in checks['statuses'] if n.startswith(('BAD', 'FILTER'))])} kinds, "
              f"{sum(sum(f.values()) for f in bad.values())} not answered 4xx")
        problems += _check_journal(args.database, checks)
    finally:
        watcher.close()
        server.terminate()
        server.wait(timeout=30)
    for problem in problems:
        print("FAILED:", problem)
    print("all checks passed" if not problems else f"{len(problems)} checks failed")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
