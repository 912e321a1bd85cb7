#!/usr/bin/env python3
"""The Monday-morning load benchmark (issue 19): prints figures, not a test.

Full scale (the issue's): `.venv/bin/python benchmarks/load/run.py` = 15,000 households, 200 staff logging in over
a 30 s ramp plus 20 anonymous assessment users, gunicorn with 5 workers, 180 s in all. A small proof run:
`.venv/bin/python benchmarks/load/run.py --households 1500 --users 20 --anonymous 4 --ramp 10 --seconds 60`.

It migrates and fills a private PostgreSQL database (default `bangfu_bench_load`; never `bangfu`) with the demo
(idempotent: a second run reuses it), serves it with gunicorn on 127.0.0.1 (a free port) sharing a Redis cache as in
production (`--redis`: sessions, rate limits and the start page's figures; keys under this run's prefix), runs
locust headless for a bounded time (needs `pip install -e '.[bench]'` or locust as pinned there) and prints, per endpoint, the count,
failures and p50/p95/p99 during the ramp and settled, the server's CPU (gunicorn's processes and the PostgreSQL
backends serving this database: CPU seconds and cores busy in each phase), locust's own CPU, and the load average
before and after (the machine may be shared: read the figures beside it). Loopback only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TICK = os.sysconf("SC_CLK_TCK")


# Every simulated user comes from one loopback address: the per-address limits, meant for one person or office,
# are raised for a load run (they are measured in tests/api/test_rate_limits.py, not here).
RAISED_LIMITS = {name: "1000000/m" for name in ("BANGFU_RATE_PUBLIC", "BANGFU_RATE_API_ADDRESS", "BANGFU_RATE_API_TOKEN")}


def private_cache(url: str, database: str) -> dict[str, str]:
    """The server's environment for a shared cache as on a deployment (several workers, one Redis: sessions, rate
    limits, the start page's figures), under a key prefix of this database's run, emptied first: only its own keys
    are deleted, never the Redis database's others."""
    import redis

    prefix = f"bangfu-load-{database.rsplit('/', 1)[1]}"
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)
    return {"REDIS_URL": url, "BANGFU_CACHE_PREFIX": prefix}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def create_database(url: str) -> None:
    """The private database, made when missing (PostgreSQL's own `postgres` database answers the question)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as db:
        if db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            db.execute(f'CREATE DATABASE "{name}"')


def cpu_seconds(pid: int) -> float | None:
    """utime + stime of one process (its own, not its waited-for children), None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(p) for p in task.read_text().split()]
    return found


class CpuMeter(threading.Thread):
    """Samples, every second, the CPU seconds of gunicorn (master and workers) and of the PostgreSQL backends of
    this database; each process's last reading is kept, so one that ends still counts."""

    def __init__(self, server_pid: int, url: str):
        super().__init__(daemon=True)
        self.server_pid, self.url, self.stop = server_pid, url, threading.Event()
        self.last: dict[tuple[str, int], float] = {}
        self.first: dict[tuple[str, int], float] = {}
        self.samples: list[tuple[float, float, float]] = []  # (time, gunicorn seconds, postgres seconds)

    def backends(self, db) -> list[int]:
        name = self.url.rsplit("/", 1)[1]
        return [row[0] for row in db.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s "
                                             "AND pid <> pg_backend_pid()", [name]).fetchall()]

    def read(self, db) -> None:
        for kind, pids in (("gunicorn", [self.server_pid, *children(self.server_pid)]),
                           ("postgres", self.backends(db))):
            for pid in pids:
                seconds = cpu_seconds(pid)
                if seconds is not None:
                    self.first.setdefault((kind, pid), seconds)
                    self.last[(kind, pid)] = seconds
        total = {kind: sum(v - self.first[(k, p)] for (k, p), v in self.last.items() if k == kind)
                 for kind in ("gunicorn", "postgres")}
        self.samples.append((time.time(), total["gunicorn"], total["postgres"]))

    def run(self) -> None:
        import psycopg

        base = self.url.rsplit("/", 1)[0]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as db:
            while not self.stop.is_set():
                self.read(db)
                self.stop.wait(1.0)
            self.read(db)

    def between(self, start: float, end: float) -> tuple[float, float, float]:
        """(gunicorn CPU seconds, postgres CPU seconds, wall seconds) between two moments, from the samples."""
        def at(moment: float) -> tuple[float, float, float]:
            before = [s for s in self.samples if s[0] <= moment]
            return before[-1] if before else self.samples[0]

        a, b = at(start), at(end)
        return b[1] - a[1], b[2] - a[2], max(b[0] - a[0], 1e-9)


def percentile(values: list[float], q: float) -> float:
    """Nearest rank: the smallest value with at least q % of the values at or below it."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def report(result: dict, meter: CpuMeter, cores: int) -> None:
    ramp_end = result["ramp_end"] or result["stopped"]
    print(f"\nramp {ramp_end - result['started']:.1f} s (until the last user started), "
          f"settled {result['stopped'] - ramp_end:.1f} s")
    for phase in ("ramp", "settled"):
        print(f"\n{phase}:\n{'endpoint':<34}{'n':>7}{'fail':>6}{'p50':>9}{'p95':>9}{'p99':>9}")
        for name in sorted(result["times"]):
            times = result["times"][name].get(phase, [])
            fails = result["failures"].get(name, {}).get(phase, 0)
            cells = [f"{percentile(times, q):.0f} ms" if times else "-" for q in (50, 95, 99)]
            print(f"{name:<34}{len(times):>7}{fails:>6}" + "".join(f"{c:>9}" for c in cells))
    print()
    for label, start, end in (("ramp", result["started"], ramp_end), ("settled", ramp_end, result["stopped"])):
        web, db, wall = meter.between(start, end)
        print(f"server CPU {label:<8}: gunicorn {web:.1f} s ({web / wall * 100:.0f} % of one core), "
              f"PostgreSQL backends {db:.1f} s ({db / wall * 100:.0f} %), over {wall:.1f} s wall on {cores} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/bangfu_bench_load")
    parser.add_argument("--households", type=int, default=15000)
    parser.add_argument("--users", type=int, default=200, help="staff users (each logs in once, in the ramp)")
    parser.add_argument("--anonymous", type=int, default=20, help="anonymous assessment API users beside them")
    parser.add_argument("--ramp", type=int, default=30, help="seconds over which the users start (and log in)")
    parser.add_argument("--seconds", type=int, default=180, help="whole run, ramp included (a hard bound)")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--port", type=int, default=0, help="the server's port on loopback (default: a free one)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/12",
                        help="the cache the workers share, as in production (keys under a prefix of this run's own)")
    args = parser.parse_args()
    if args.database.rstrip("/").endswith("/bangfu"):
        sys.exit("refusing the shared database name `bangfu`: give a private one")
    create_database(args.database)
    env = {**os.environ, "DATABASE_URL": args.database, "DJANGO_SETTINGS_MODULE": "bangfu.config.settings.base",
           "BANGFU_LOAD_ANONYMOUS": str(args.anonymous), **RAISED_LIMITS, **private_cache(args.redis, args.database)}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True)
    subprocess.run([*manage, "demo", "--households", str(args.households)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([*manage, "collectstatic", "--noinput", "--verbosity", "0"], env=env, check=True)
    port = args.port or free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(BIN / "gunicorn"), "bangfu.config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                               "--workers", str(args.workers), "--chdir", str(ROOT)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    meter = CpuMeter(server.pid, args.database)
    try:
        for _ in range(60):  # until it answers
            try:
                urllib.request.urlopen(f"{host}/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        meter.start()
        cores = os.cpu_count() or 1
        print(f"{args.households} households, {args.users} staff + {args.anonymous} anonymous users, ramp {args.ramp} s,"
              f" {args.seconds} s in all, gunicorn {args.workers} workers", flush=True)
        print(f"load average before: {' '.join(Path('/proc/loadavg').read_text().split()[:3])} ({cores} cores)",
              flush=True)
        total = args.users + args.anonymous
        rate = total / max(1, args.ramp)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "times.json"
            started, before = time.time(), resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
                            "--host", host, "-u", str(total), "-r", f"{rate:.3f}", "-t", f"{args.seconds}s",
                            "--stop-timeout", "5", "--only-summary", "--loglevel", "WARNING"],
                           env={**env, "BANGFU_LOAD_OUT": str(out)}, timeout=args.seconds + 60,
                           stdout=subprocess.DEVNULL, stderr=(Path(tmp) / "locust.log").open("w"))
            if not out.exists():
                sys.exit("locust wrote no figures:\n" + (Path(tmp) / "locust.log").read_text()[-3000:])
            wall, used = time.time() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
            print(f"load average after: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}", flush=True)
            meter.stop.set()
            meter.join(timeout=10)
            report(json.loads(out.read_text()), meter, cores)
        locust_cpu = used.ru_utime + used.ru_stime - before.ru_utime - before.ru_stime
        print(f"locust's own CPU: {locust_cpu:.1f} s over {wall:.1f} s wall (it shares the machine with the server)")
    finally:
        meter.stop.set()
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
