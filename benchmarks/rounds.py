"""Rounds on PostgreSQL: prepare a payment list, write its bank file, reconcile the bank's return (prints figures).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bangfu_bench_rounds .venv/bin/python benchmarks/rounds.py \
        [--households 100000] [--small 15000]

It creates (once) the database and a county with `--households` archived households (90 % with a bank card,
5 % not yet archived, a mix of 困难 and 特困), one of its grassroots unions holding `--small` of them, then times
through the services, as a caseworker waits for them (a list of 5,000 households or more is prepared by the Huey
job, run here in this process): preparing the county's 送温暖 round (cold and again),
the grassroots union's round, the 金秋助学 round of the grassroots union (the engine path), submitting and
approving, the bank file (xlsx and CSV), and reconciling the whole return file (1 % failed).
Targets (issue 11): 100,000 prepared ≤ 60 s, 15,000 ≤ 10 s, bank file ≤ 30 s, 100,000 return rows ≤ 60 s.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bangfu_bench_rounds"


def _database(url: str) -> None:
    import psycopg

    name = urllib.parse.urlparse(url).path.lstrip("/")
    if name in ("bangfu", "postgres"):
        sys.exit("use a private database name, not the default one")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            conn.execute(f'create database "{name}"')


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    # A large area's list is prepared by the Huey worker: run here in this process, so that each timing below is
    # the whole wait (queueing, the job, its commit), as a user sees it on the round's page.
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True


def _org(code, name, level, parent=None, kind=""):
    from bangfu.accounts.models import Organisation

    found = Organisation.objects.filter(code=code).first()
    if found:
        return found
    return Organisation.objects.create(code=code, name=name, level=level, kind=kind, division_code=code[:6],
                                       parent=parent, path=(parent.path if parent else "") + code + "/")


def _user(username, role, org):
    from bangfu.accounts.models import User

    return User.objects.filter(username=username).first() or User.objects.create_user(
        username=username, password="bench-only-123", role=role, organisation=org)


def _population(total: int, small: int):
    """The county, its two grassroots unions, the staff and the households (made once)."""
    from stdnum import luhn

    from bangfu.common.bulk import blank_factory, fast_insert
    from bangfu.common.ids import make_id_number
    from bangfu.programmes.models import Payee
    from bangfu.registry.models import Household, Member

    province = _org("320000", "江苏省总工会", "province")
    city = _org("320100", "南京市总工会", "city", province)
    county = _org("320102", "南京市玄武区总工会", "county", city)
    small_union = _org("320102-0001", "玄武某企业工会", "grassroots", county, "enterprise")
    big_union = _org("320102-0002", "玄武某街道工会", "grassroots", county, "street")
    staff = {"admin": _user("bench_admin", "admin", city), "caseworker": _user("bench_cw", "caseworker", county),
             "reviewer": _user("bench_rv", "reviewer", county)}
    have = Household.objects.filter(union__path__startswith=county.path).count()
    if have < total:
        rng, house, person, payee = random.Random(11), blank_factory(Household), blank_factory(Member), \
            blank_factory(Payee)
        start = Household.objects.count()
        rows = []
        for i in range(start, start + total - have):
            archived = rng.random() >= 0.05
            rows.append(house(union_id=(small_union if i - start < small else big_union).pk, region_code="320102",
                              address=f"南京市玄武区某路{i}号", status="archived" if archived else "submitted",
                              verified_category=rng.choice(("hardship", "hardship", "extreme_hardship"))
                              if archived else "none", hardship_causes=["illness"], created_by_id=staff["admin"].pk))
        fast_insert(Household, rows)
        ids = list(Household.objects.filter(union__path__startswith=county.path).order_by("id")
                   .values_list("id", flat=True))[have:]
        born = datetime.date(1960, 1, 1)
        members = [person(household_id=h, name=f"职工{h}", relation="self", sex="male",
                          birth_date=born + datetime.timedelta(days=k % 12000),
                          id_number=make_id_number("320102", born + datetime.timedelta(days=k % 12000), k // 12000,
                                                   "male"), employment="registered_unemployed")
                   for k, h in enumerate(ids, start=have)]
        fast_insert(Member, members)
        workers = dict(Member.objects.filter(household_id__in=ids).values_list("household_id", "id"))
        cards = []
        for h in ids:
            if rng.random() < 0.9:
                body = f"622202{h:012d}"
                cards.append(payee(household_id=h, member_id=workers[h], bank_name="工商银行玄武支行",
                                   account_number=body + luhn.calc_check_digit(body), updated_by_id=staff["admin"].pk))
        fast_insert(Payee, cards)
    return county, small_union, staff


def _measures(county, staff, year: int) -> int:
    """Each archived household of the county gets (once) an archived case, the year's plan and a 走访慰问 measure,
    so that a paid line moves a measure as in life (`ledger.measures.measures_follow_payments`)."""
    from bangfu.cases.models import Case, Measure, Plan
    from bangfu.common.bulk import blank_factory, fast_insert
    from bangfu.registry.models import Household

    todo = list(Household.objects.filter(union__path__startswith=county.path, status="archived", cases__isnull=True)
                .values_list("id", "verified_category"))
    if not todo:
        return 0
    user, day = staff["admin"].pk, datetime.date(year, 1, 5)
    case, plan, measure = blank_factory(Case), blank_factory(Plan), blank_factory(Measure)
    fast_insert(Case, [case(household_id=h, state="archived", category=cat, archived_on=day, approved_by_id=user,
                            next_review_on=day.replace(year=year + 1), opened_by_id=user) for h, cat in todo])
    cases = dict(Case.objects.filter(household_id__in=[h for h, _ in todo]).values_list("household_id", "id"))
    fast_insert(Plan, [plan(case_id=cases[h], year=year, created_by_id=user) for h, _ in todo])
    plans = dict(Plan.objects.filter(case_id__in=cases.values(), year=year).values_list("case_id", "id"))
    fast_insert(Measure, [measure(plan_id=plans[cases[h]], kind="visit", title="春节送温暖慰问", department="union",
                                  owner_id=user, due_on=datetime.date(year, 12, 31), created_by_id=user)
                          for h, _ in todo])
    return len(todo)


def _db_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend so far (a local server: read from /proc)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("select pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(label: str, work):
    """Wall time (what the user waits for), this process's CPU time and its database backend's: on a shared,
    busy machine the CPU figures show what the work itself costs; the load average says how busy it was."""
    started, cpu, db = time.perf_counter(), time.process_time(), _db_cpu()
    result = work()
    wall, cpu, db = time.perf_counter() - started, time.process_time() - cpu, _db_cpu() - db
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{label:<46} {wall:7.2f} s wall {cpu:7.2f} s cpu {db:6.2f} s db cpu   load {load}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=15_000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("PostgreSQL only: set DATABASE_URL to a private database")
    _database(url)
    _setup(url)
    from django.utils import timezone

    from bangfu.audit.models import AuditEntry
    from bangfu.common.spreadsheets import csv_bytes
    from bangfu.programmes import bankfiles, services
    from bangfu.programmes.models import BankFormat, Line, LineState, Programme

    county, small_union, staff = _timed("population (once)", lambda: _population(args.households, args.small))
    today = timezone.localdate()
    _timed("cases, plans, measures (once)", lambda: _measures(county, staff, today.year))
    Programme.objects.filter(name__startswith="基准").update(active=False)
    fmt = BankFormat.objects.get(code="generic")
    stamp = time.strftime("%H%M%S")
    warmth = services.programme_create(actor=staff["admin"], union=county.parent, name=f"基准送温暖{stamp}",
                                       kind="send_warmth", fund_source="union_funds", bank_format=fmt)
    school = services.programme_create(actor=staff["admin"], union=county.parent, name=f"基准金秋助学{stamp}",
                                       kind="education_aid", fund_source="fiscal", bank_format=fmt)
    cw, rv = staff["caseworker"], staff["reviewer"]
    print(f"households: {args.households} in the county, {args.small} in the grassroots union")
    small = _timed(f"prepare 送温暖, {args.small} households (cold)",
                   lambda: services.round_create(actor=cw, programme=warmth, union=small_union, paid_on=today))
    small.refresh_from_db()
    print(f"  included {Line.objects.filter(round=small, included=True).count()}; background job: "
          f"{small.job_processed}/{small.job_total} «{small.job_message}»")
    big = _timed(f"prepare 送温暖, {args.households} households",
                 lambda: services.round_create(actor=cw, programme=warmth, union=county, paid_on=today,
                                               period_day=today.replace(year=today.year - 1)))
    big.refresh_from_db()
    _timed(f"prepare again, {args.households} households (warm)",
           lambda: services.round_prepare(actor=cw, round_=big, version=big.version))
    _timed(f"prepare 金秋助学 (engine), {args.small} households",
           lambda: services.round_create(actor=cw, programme=school, union=small_union, paid_on=today))
    big.refresh_from_db()
    big = _timed("submit", lambda: services.round_submit(actor=cw, round_=big, version=big.version))
    big, _ = _timed("approve (budget check)", lambda: services.round_approve(actor=rv, round_=big, version=big.version))
    n = Line.objects.filter(round=big, state=LineState.OPEN).count()
    xlsx, _ = _timed(f"bank file xlsx, {n} lines", lambda: services.round_bank_file(actor=cw, round_=big))
    csv, _ = _timed(f"bank file csv, {n} lines", lambda: services.round_bank_file(actor=cw, round_=big, kind="csv"))
    print(f"  sizes: xlsx {len(xlsx) / 1e6:.1f} MB, csv {len(csv) / 1e6:.1f} MB")
    table = bankfiles.read_table(csv, "x.csv")
    rng = random.Random(3)
    rows = [[*r, "失败" if rng.random() < 0.01 else "成功", ""] for r in table[1:] if r[0] not in ("合计", "校验码")]
    back = csv_bytes([*table[0], "状态", "说明"], rows)
    followed = AuditEntry.objects.filter(action="measure.follow_payments").count()
    record = _timed(f"reconcile {len(rows)} return rows",
                    lambda: services.round_reconcile(actor=cw, round_=big, content=back, file_name="back.csv"))
    print(f"  paid {record.paid}, failed {record.failed}, errors {record.errors}, total {record.paid_total}; "
          f"measures followed {AuditEntry.objects.filter(action='measure.follow_payments').count() - followed}")


if __name__ == "__main__":
    print(f"load average at start: {os.getloadavg()}")
    main()
