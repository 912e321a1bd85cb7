"""Registry pages through HTTP on PostgreSQL with many demo households: median and p95 per page (prints figures).

    .venv/bin/python benchmarks/registry.py [--households 100000] [--requests 200]

It creates (once) a PostgreSQL database, loads the demo data up to --households, starts gunicorn on
a loopback port, logs in as a demo user and times the household list, a search by ID number and
the household file page. Targets (issue 3): p95 under 200 ms each. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PORT = 18765
TARGET_MS = 200.0


def _database(url: str) -> None:
    import psycopg

    name = urllib.parse.urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            conn.execute(f'create database "{name}"')


def _manage(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "python"), str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


class Client:
    """A keep-alive HTTP client with a session cookie and CSRF token."""

    def __init__(self) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers |= {"Content-Type": "application/x-www-form-urlencoded",
                        "X-CSRFToken": self.cookies.get("csrftoken", ""), "Referer": f"http://127.0.0.1:{PORT}/"}
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.status, data

    def login(self, username: str, password: str) -> None:
        self.request("GET", "/accounts/login/")
        form = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
        status, _ = self.request("POST", "/accounts/login/", form)
        if status not in (200, 302) or "sessionid" not in self.cookies:
            raise SystemExit(f"login as {username} failed ({status})")


def _time(client: Client, paths: list[str]) -> dict:
    times = []
    for path in paths:
        started = time.perf_counter()
        status, _ = client.request("GET", path)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
    times.sort()
    return {"requests": len(times), "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 1), "max_ms": round(times[-1], 1)}


def _samples(env: dict, n: int) -> tuple[list[int], list[str]]:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bangfu.registry.models import Household, Member

    ids = list(Household.objects.order_by("?").values_list("pk", flat=True)[:n])
    numbers = list(Member.objects.order_by("?").values_list("id_number", flat=True)[:n])
    return ids, numbers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bangfu_bench")
    parser.add_argument("--user", default="admin", help="demo account (admin sees the whole province)")
    args = parser.parse_args()

    env = {**os.environ, "DATABASE_URL": args.database_url, "DJANGO_SETTINGS_MODULE": "bangfu.config.settings.base",
           "BANGFU_VAR_DIR": str(ROOT / "var" / "bench")}
    _database(args.database_url)
    _manage(env, "migrate", "--verbosity", "0")
    started = time.perf_counter()
    _manage(env, "demo", "--households", str(args.households))
    load_s = time.perf_counter() - started
    _manage(env, "collectstatic", "--no-input", "--verbosity", "0")

    server = subprocess.Popen([str(BIN / "gunicorn"), "bangfu.config.wsgi:application", "--bind",
                               f"127.0.0.1:{PORT}", "--workers", "2", "--log-level", "warning"], env=env, cwd=ROOT)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        ids, numbers = _samples(env, args.requests)  # sets Django up in this process
        from bangfu.demo.loader import DEMO_PASSWORD

        client = Client()
        client.login(args.user, DEMO_PASSWORD)
        pages = [f"/households/?page={random.randint(1, 20)}" for _ in range(args.requests)]
        results = {
            "household list": _time(client, pages),
            "search by ID number": _time(client, [f"/households/?q={n}" for n in numbers]),
            "household file": _time(client, [f"/households/{pk}/" for pk in ids]),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"\nregistry pages, {args.households:,} demo households on PostgreSQL, user {args.user!r}, "
          f"demo load {load_s:.0f} s (0 when already loaded)")
    print(f"{'page':<22}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}   target p95 < {TARGET_MS:.0f} ms")
    for name, r in results.items():
        verdict = "ok" if r["p95_ms"] < TARGET_MS else "MISSED"
        print(f"{name:<22}{r['median_ms']:>11}{r['p95_ms']:>9}{r['max_ms']:>9}   {verdict}")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "registry.json").write_text(json.dumps({"households": args.households, "results": results}, indent=1))


if __name__ == "__main__":
    main()
