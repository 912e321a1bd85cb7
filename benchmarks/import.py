"""Bulk import of households from .xlsx into PostgreSQL: 100,000 households (~300,000 members); prints figures.

    .venv/bin/python benchmarks/import.py [--households 100000] [--url postgres://postgres@127.0.0.1:5432/bangfu_import_bench]

It (re)creates a private PostgreSQL database, migrates it, writes a template-shaped workbook (cached under
benchmarks/out/), then runs the import job exactly as the Huey worker does: every row through the registry's
validation, then bulk inserts. Target (issue 5): under 2 minutes. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"


def _fresh_database(url: str) -> None:
    import psycopg

    name = urllib.parse.urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')


def _workbook(path: Path, households: int) -> None:
    from openpyxl import Workbook

    from bangfu.common.ids import make_id_number
    from bangfu.exchange.columns import HOUSEHOLD_COLUMNS, MEMBER_COLUMNS

    book = Workbook(write_only=True)
    hs, ms = book.create_sheet("家庭"), book.create_sheet("成员")
    hs.append([c.header for c in HOUSEHOLD_COLUMNS])
    ms.append([c.header for c in MEMBER_COLUMNS])
    adult, child = datetime.date(1960, 1, 1), datetime.date(2010, 1, 1)
    blank = {c.header: None for c in MEMBER_COLUMNS}
    for i in range(households):
        number = str(i + 1)
        hs.append([number, None, "320102", f"南京市玄武区珠江路{i % 900 + 1}号{i // 900 + 1}室", "13912345678",
                   "困难", "因病、失业", "否", "否", "否", None, "否", None, None])
        day, seq = datetime.timedelta(days=i // 400), i % 400
        rows = [
            {"姓名": "张伟", "身份证号码": make_id_number("320100", adult + day, seq, "male"), "与户主关系": "本人",
             "就业状况": "登记失业", "健康状况": "慢性病"},
            {"姓名": "李娜", "身份证号码": make_id_number("320100", adult + day, seq, "female"), "与户主关系": "配偶",
             "就业状况": "无业"},
            {"姓名": "张小明", "身份证号码": make_id_number("320100", child + day, seq, "male"), "与户主关系": "子女",
             "就业状况": "在校学生", "学段": "小学", "年级": "3", "学校性质": "公办"},
        ]
        for row in rows:
            values = blank | {"户编号": number} | row
            ms.append([values[c.header] for c in MEMBER_COLUMNS])
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/bangfu_import_bench")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.config.settings.test")
    os.environ["BANGFU_EXCHANGE_MAX_ROWS"] = str(max(400_000, 4 * args.households))
    sys.path.insert(0, str(ROOT))
    _fresh_database(args.url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from bangfu.accounts.models import Organisation, User
    from bangfu.exchange import jobs
    from bangfu.exchange.models import ImportJob
    from bangfu.registry.models import Household, Member

    settings.EXCHANGE_MAX_ROWS = max(400_000, 4 * args.households)
    settings.EXCHANGE_MAX_BYTES = 200 * 1024 * 1024
    call_command("migrate", verbosity=0)
    OUT.mkdir(exist_ok=True)
    path = OUT / f"import-{args.households}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        _workbook(path, args.households)
        print(f"workbook written in {time.perf_counter() - started:.1f} s")
    content = path.read_bytes()

    province = Organisation.objects.create(code="320000", name="江苏省总工会", level="province", division_code="320000",
                                           path="320000/")
    city = Organisation.objects.create(code="320100", name="南京市总工会", level="city", division_code="320100",
                                       parent=province, path="320000/320100/")
    county = Organisation.objects.create(code="320102", name="玄武区总工会", level="county", division_code="320102",
                                         parent=city, path="320000/320100/320102/")
    user = User.objects.create_user(username="bench", password="bench-password-1", organisation=county,
                                    role="caseworker")
    job = ImportJob(kind="households", union=county, created_by=user, original_name=path.name)
    job.file.save(path.name, ContentFile(content), save=False)
    job.save()

    phases: dict[str, float] = {}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            begun = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - begun
        return wrapper

    jobs._read = timed("read", jobs._read)
    jobs.HouseholdChecker.check = timed("check", jobs.HouseholdChecker.check)
    jobs.write_all = timed("write", jobs.write_all)
    started = time.perf_counter()
    jobs.run(job.pk)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    members = Member.objects.count()
    rows = job.total - args.households  # the job's total counts each household once more, for the writing phase
    print(f"file: {len(content) / 1e6:.1f} MB, {rows} rows ({args.households} households)")
    print(f"job state: {job.state} — {job.message}")
    print(f"households written: {Household.objects.count()}, members: {members}")
    print(f"import (read + validate + write): {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s "
          f"(target: under 120 s for 100,000 households)")
    print("phases: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items()))


if __name__ == "__main__":
    main()
