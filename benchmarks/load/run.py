#!/usr/bin/env python3
"""The Monday-morning load benchmark (issue 19): prints figures, not a test.

Run `.venv/bin/python benchmarks/load/run.py [--households 15000] [--users 200] [--ramp 30] [--seconds 120]`.
It migrates and fills a private PostgreSQL database (default `bangfu_bench_load`; never `bangfu`) with the demo,
serves it with gunicorn on 127.0.0.1 (a free port, never 8000), runs locust headless against it for a bounded time
(staff logging in during the ramp, then reading with 3-8 s think time; anonymous assessment users beside them)
and prints locust's per-endpoint percentiles with the load average before and after. Loopback only.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/bangfu_bench_load")
    parser.add_argument("--households", type=int, default=15000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--ramp", type=int, default=30, help="seconds over which the users log in")
    parser.add_argument("--seconds", type=int, default=120, help="whole run, ramp included (a hard bound)")
    parser.add_argument("--workers", type=int, default=5)
    args = parser.parse_args()
    if args.database.rstrip("/").endswith("/bangfu"):
        sys.exit("refusing the shared database name `bangfu`: give a private one")
    create_database(args.database)
    env = {**os.environ, "DATABASE_URL": args.database, "DJANGO_SETTINGS_MODULE": "bangfu.config.settings.base"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True)
    subprocess.run([*manage, "demo", "--households", str(args.households)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([*manage, "collectstatic", "--noinput", "--verbosity", "0"], env=env, check=True)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(BIN / "gunicorn"), "bangfu.config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                               "--workers", str(args.workers), "--chdir", str(ROOT)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(3)
        print(f"load average before: {os.getloadavg()} ({os.cpu_count()} cores)", flush=True)
        rate = max(1, args.users // max(1, args.ramp))
        subprocess.run([str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
                        "--host", host, "-u", str(args.users), "-r", str(rate), "-t", f"{args.seconds}s",
                        "--stop-timeout", "5", "--only-summary"], env=env, timeout=args.seconds + 60)
        print(f"load average after: {os.getloadavg()}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
