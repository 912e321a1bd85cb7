"""Report pages through HTTP on PostgreSQL with many demo households: median and p95 per page (prints figures).

    .venv/bin/python benchmarks/reports.py [--households 100000] [--requests 40] [--database-url URL]

It creates (once) a private PostgreSQL database, loads the demo data up to --households, starts gunicorn on a
loopback port, logs in as the provincial administrator and times the whole path a leader waits for: the report
of the province (cold: the first request; then warm), a city drilled into, the annual workbook, and the
entitlements over the live archive of one county (the engine, batched) and of the whole province.
Target (issue 14): p95 ≤ 500 ms per report page at 10⁵ households. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from registry import BIN, ROOT, Client, _database, _manage, _time  # noqa: E402

PORT = 18914
TARGET_MS = 500.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bangfu_bench_reports")
    args = parser.parse_args()
    env = {**os.environ, "DATABASE_URL": args.database_url, "DJANGO_SETTINGS_MODULE": "bangfu.config.settings.base",
           "BANGFU_VAR_DIR": str(ROOT / "var" / "bench-reports")}
    _database(args.database_url)
    _manage(env, "migrate", "--verbosity", "0")
    started = time.perf_counter()
    _manage(env, "demo", "--households", str(args.households))
    load_s = time.perf_counter() - started
    _manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    import registry

    registry.PORT = PORT
    server = subprocess.Popen([str(BIN / "gunicorn"), "bangfu.config.wsgi:application", "--bind",
                               f"127.0.0.1:{PORT}", "--workers", "2", "--timeout", "600", "--log-level", "warning"],
                              env=env, cwd=ROOT)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        os.environ.update(env)
        import django

        django.setup()
        from bangfu.registry.demo import DEMO_PASSWORD

        from bangfu.accounts.models import Organisation

        city = Organisation.objects.filter(level="city").order_by("path").first()
        county = Organisation.objects.filter(level="county").order_by("path").first()
        year = time.localtime().tm_year
        client = Client()
        client.conn.timeout = 1200  # the province's entitlements run the engine over the whole archive
        client.login("admin", DEMO_PASSWORD)
        n = args.requests
        results = {}

        def measure(name: str, paths: list[str]) -> None:
            r = results[name] = _time(client, paths)
            verdict = "ok" if r["p95_ms"] <= TARGET_MS else "MISSED"
            print(f"{name:<26}{r['requests']:>4}{r['median_ms']:>11}{r['p95_ms']:>9}{r['max_ms']:>9}   {verdict}",
                  flush=True)

        print(f"\nreport pages, {args.households:,} demo households on PostgreSQL, demo load {load_s:.0f} s")
        print(f"{'page':<26}{'n':>4}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}   target p95 ≤ {TARGET_MS:.0f} ms")
        measure("province report (cold)", [f"/reports/?year={year}"])
        measure("province report", [f"/reports/?year={year}"] * n)
        measure("city report (drill)", [f"/reports/?union={city.pk}&year={year}"] * n)
        measure("annual workbook", [f"/reports/export.xlsx?year={year}"] * max(3, n // 4))
        measure("county entitlements", [f"/reports/entitlements/?union={county.pk}"] * 3)
        measure("province entitlements", ["/reports/entitlements/"])
    finally:
        server.terminate()
        server.wait(timeout=120)
    out = ROOT / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "reports.json").write_text(json.dumps({"households": args.households, "results": results}, indent=1))


if __name__ == "__main__":
    main()
