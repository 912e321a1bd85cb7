"""政策自测 under load: 50 concurrent users posting the self-check form to gunicorn, the whole page they wait for.

It creates (once) a private PostgreSQL database, migrates it, starts gunicorn on a free loopback port and runs
`--users` threads, each with its own connection and CSRF cookie, each posting `--requests` answers (a 特困 family
with a university student, and families whose category the income decides). It prints p50/p95/max in ms, the
first (cold) request apart from the rest, answers per second, and the 1-minute load average before and after.
The page's rate limit is raised for the run (BANGFU_RATE_PUBLIC); in service it is 60 answers a minute per address.

    .venv/bin/python benchmarks/selfcheck.py [--users 50] [--requests 20] [--workers 2] [--threads 4]
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(Path(__file__).parent))
from registry import _database, _manage  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _form(i: int, csrf: str) -> str:
    year = datetime.date.today().year
    income = ["900", "3000", "0", "12000"][i % 4]
    category = ["extreme_hardship", "assumed", "hardship", "assumed"][i % 4]
    data = {"csrfmiddlewaretoken": csrf, "region": ["320102", "320200", "320500", "321100"][i % 4],
            "category": category, "monthly_income": income, "dibao": "no",
            "m0-relation": "self", "m0-sex": "female", "m0-birth_date": f"{year - 50}-02-01",
            "m0-employment": "registered_unemployed", "m0-work_ability": "full", "m0-health": "serious",
            "m1-relation": "child", "m1-sex": "male", "m1-birth_date": f"{year - 20}-09-01",
            "m1-employment": "student", "m1-work_ability": "full", "m1-health": "healthy",
            "m1-stage": "higher", "m1-year": "2", "m1-institution": "public", "m1-excellent": "on",
            "m2-relation": "parent", "m2-sex": "male", "m2-birth_date": f"{year - 78}-01-01",
            "m2-employment": "retired", "m2-work_ability": "none", "m2-health": "disabled_severe"}
    for slot in range(3, 6):
        data[f"m{slot}-relation"] = ""
    return urllib.parse.urlencode(data)


def _user(port: int, n: int, index: int, out: list, errors: list, start: threading.Barrier) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", "/public/selfcheck/")
    response = conn.getresponse()
    response.read()
    cookie = next(h.split(";", 1)[0] for h in response.headers.get_all("Set-Cookie") if h.startswith("csrftoken="))
    csrf = cookie.split("=", 1)[1]
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
               "Referer": f"http://127.0.0.1:{port}/public/selfcheck/"}
    start.wait()
    for k in range(n):
        began = time.perf_counter()
        try:
            conn.request("POST", "/public/selfcheck/", body=_form(index + k, csrf), headers=headers)
            response = conn.getresponse()
        except (ConnectionError, http.client.HTTPException):  # the server closed an idle keep-alive connection
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            began = time.perf_counter()
            conn.request("POST", "/public/selfcheck/", body=_form(index + k, csrf), headers=headers)
            response = conn.getresponse()
        body = response.read()
        out.append((k, (time.perf_counter() - began) * 1000))
        if response.status != 200 or "自测结果".encode() not in body:
            errors.append(response.status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="answers per user")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bangfu_h16_bench")
    args = parser.parse_args()

    env = {**os.environ, "DATABASE_URL": args.database_url, "DJANGO_SETTINGS_MODULE": "bangfu.config.settings.base",
           "BANGFU_VAR_DIR": str(ROOT / "var" / "bench-selfcheck"), "BANGFU_RATE_PUBLIC": "1000000/m"}
    _database(args.database_url)
    _manage(env, "migrate", "--verbosity", "0")
    _manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    port = _free_port()
    server = subprocess.Popen([str(BIN / "gunicorn"), "bangfu.config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                               "--workers", str(args.workers), "--threads", str(args.threads),
                               "--log-level", "warning"], env=env, cwd=ROOT)
    try:
        for _ in range(150):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/public/selfcheck/")
                break
            except OSError:
                time.sleep(0.2)
        load_before = os.getloadavg()[0]
        times: list = []
        errors: list = []
        barrier = threading.Barrier(args.users)
        threads = [threading.Thread(target=_user, args=(port, args.requests, i, times, errors, barrier))
                   for i in range(args.users)]
        began = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - began
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=30)

    def figures(values: list[float]) -> str:
        values = sorted(values)
        p95 = values[max(0, int(round(0.95 * len(values))) - 1)]
        return f"p50 {statistics.median(values):.0f} ms, p95 {p95:.0f} ms, max {values[-1]:.0f} ms (n={len(values)})"

    print(f"self-check, {args.users} concurrent users × {args.requests} answers, gunicorn {args.workers} workers × "
          f"{args.threads} threads, {os.cpu_count()} cores")
    print(f"  all answers:   {figures([ms for _, ms in times])}")
    print(f"  first (cold):  {figures([ms for k, ms in times if k == 0])}")
    print(f"  warm:          {figures([ms for k, ms in times if k > 0])}")
    print(f"  throughput:    {len(times) / wall:.1f} answers/s; errors: {len(errors)} {sorted(set(errors))}")
    print(f"  load average (1 min): {load_before:.2f} before, {load_after:.2f} after")


if __name__ == "__main__":
    main()
