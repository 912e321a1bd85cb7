#!/usr/bin/env python3
"""Time of one password check (what a login waits for) with the server's Argon2 profile beside Django's default.

Run `.venv/bin/python benchmarks/password_check.py [--checks 30]`: prints the median and p95 of wall and CPU time of
``check_password`` per profile, and the load average, since the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import django
from django.conf import settings

if not settings.configured:
    settings.configure()
django.setup()

from django.contrib.auth.hashers import Argon2PasswordHasher  # noqa: E402

from bangfu.accounts.hashers import ServerArgon2PasswordHasher  # noqa: E402

PASSWORD = "a-Passw0rd-for-timing"


def timings(hasher, checks: int) -> tuple[list[float], list[float]]:
    encoded = hasher.encode(PASSWORD, hasher.salt())
    wall, cpu = [], []
    for _ in range(checks):
        w, c = time.perf_counter(), time.process_time()
        assert hasher.verify(PASSWORD, encoded)
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checks", type=int, default=30)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    for name, hasher in (("server (m=19 MiB, t=2, p=1)", ServerArgon2PasswordHasher()),
                         ("django default (m=100 MiB, t=2, p=8)", Argon2PasswordHasher())):
        wall, cpu = timings(hasher, args.checks)
        p95 = statistics.quantiles(wall, n=20)[-1]
        print(f"{name}: wall median {statistics.median(wall):.1f} ms, p95 {p95:.1f} ms; "
              f"cpu median {statistics.median(cpu):.1f} ms ({args.checks} checks)")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
