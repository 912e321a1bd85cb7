"""Re-computation of the archive on a new standard (Article 24), in process on PostgreSQL: prints figures.

    .venv/bin/python benchmarks/recompute.py [--database-url URL] [--region 320000]

Uses the database `benchmarks/reports.py` filled (demo households); times the difference of every archived
household of the region between the system's figures and the 低保 standard of each city raised by 150 from next
month (the what-if and the re-computation job share this path: both engine runs, batched, and the diff); the job's
bulk insert of the changed households comes on top.
Target (issue 14): 10⁵ archived households ≤ 60 s. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bangfu_bench_reports")
    parser.add_argument("--region", default="320000")
    args = parser.parse_args()
    os.environ.update({"DATABASE_URL": args.database_url, "DJANGO_SETTINGS_MODULE": "bangfu.config.settings.base",
                       "BANGFU_VAR_DIR": str(ROOT / "var" / "bench-reports")})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bangfu.policy.regions import all_regions
    from bangfu.reports.recompute import difference, scope
    from bangfu.standards.models import StandardValue, Status
    from bangfu.standards.selectors import effective_parameters, overlay
    from bangfu.standards.services import area_path_of

    today = datetime.date.today()
    start = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    before = effective_parameters()
    raised = [StandardValue(parameter="sync.dibao.standard", region_code=r.code, start=start, status=Status.CONFIRMED,
                            value=before["sync.dibao.standard"].at(start, r.code).value + 150, document="bench")
              for r in all_regions() if r.is_city and before["sync.dibao.standard"].at(start, r.code) is not None]
    after = overlay([*StandardValue.objects.all(), *raised])
    qs = scope(area_path_of(args.region))
    archived = qs.count()
    started = time.perf_counter()
    changes, summary = difference(qs, start, before, after)
    diff_s = time.perf_counter() - started
    print(f"\nre-computation on PostgreSQL: {archived:,} archived households in {args.region}, "
          f"{summary['changed']:,} changed, cost change {summary['cost_change']} 元/年")
    print(f"difference (two engine runs over the archive, batched, and the diff): {diff_s:.1f} s "
          f"({archived / max(diff_s, 1e-9):,.0f} households/s)   target ≤ 60 s at 10⁵: "
          f"{'ok' if diff_s * 100_000 / max(archived, 1) <= 60 else 'MISSED'} (scaled)")

if __name__ == "__main__":
    main()
