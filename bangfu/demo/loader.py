"""Synthetic demo data: organisations, one demo user per role, and any number of households (bulk inserts).

Names, addresses and phone numbers come from Faker zh_CN; ID numbers are computed so that region, birth
date and sex agree with the person, and checked with python-stdnum.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from faker import Faker

from bangfu.accounts.models import Organisation, OrgLevel, Role, User
from bangfu.accounts.organisations import grassroots_create, organisations_sync
from bangfu.accounts.services import user_create
from bangfu.audit.services import audit_log
from bangfu.cases.bulk import take_over_bulk
from bangfu.cases.workflow import CaseState
from bangfu.common import clock
from bangfu.common.bulk import blank_factory, fast_insert
from bangfu.registry import choices as c
from bangfu.registry.models import Household, IncomeRecord, Member

from .people import PersonFactory

DEMO_PASSWORD = "bangfu-demo-2019"
_income = blank_factory(IncomeRecord)
CAUSES = c.Cause.values  # computed once: the enum's `values` is rebuilt on every access
BATCH = 2000
# Archived 30 to 479 days ago, spread per union so that about a quarter of the reviews are overdue and every union
# with an archived household has one overdue from its first (the demo caseworker's start page shows them).
ARCHIVE_AGES = range(30, 480)
ARCHIVE_STRIDE = 157


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    organisation: str  # organisation code
    department: str = ""


# The demo caseworkers work in 南京市玄武区 and 无锡市锡山区: two counties, to show area-based access.
ACCOUNTS = (
    DemoAccount("admin", "王建国", Role.ADMIN, "320000"),
    DemoAccount("admin_nj", "陈立新", Role.ADMIN, "320100"),
    # A second provincial administrator: a standard takes effect when another administrator approves it.
    DemoAccount("admin2", "吴静", Role.ADMIN, "320000"),
    DemoAccount("reviewer", "刘芳", Role.REVIEWER, "320102"),
    DemoAccount("caseworker", "张敏", Role.CASEWORKER, "320102-0001"),
    DemoAccount("caseworker_wx", "周强", Role.CASEWORKER, "320205-0001"),
    DemoAccount("auditor", "孙丽", Role.AUDITOR, "320000"),
    DemoAccount("officer", "李伟", Role.DEPARTMENT_OFFICER, "320000", "civil_affairs"),
    DemoAccount("officer_hr", "赵敏", Role.DEPARTMENT_OFFICER, "320000", "human_resources"),
)


def ensure_organisations(fake: Faker, today: datetime.date) -> list[Organisation]:
    """The real hierarchy down to counties, and three grassroots unions (enterprise, street, community) each."""
    organisations_sync(on=today)
    counties = Organisation.objects.filter(level=OrgLevel.COUNTY).exclude(children__isnull=False)
    for county in counties:
        street = fake.street_name()
        grassroots_create(county=county, name=f"{fake.company_prefix()}{fake.company_suffix()}工会", kind="enterprise")
        grassroots_create(county=county, name=f"{county.name.removesuffix('总工会')}{street}街道工会", kind="street")
        grassroots_create(county=county, name=f"{street}{fake.random_element(['东', '西', '南', '北', '新'])}"
                                              f"社区工会", kind="community")
    return list(Organisation.objects.filter(level=OrgLevel.GRASSROOTS).select_related("parent__parent"))


def ensure_accounts() -> list[DemoAccount]:
    for account in ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            continue
        user_create(actor=None, username=account.username, password=DEMO_PASSWORD, full_name=account.full_name,
                    organisation=Organisation.objects.get(code=account.organisation), role=account.role,
                    department=account.department, check_password=False)
    return list(ACCOUNTS)


def _unions_for(count: int, grassroots: list[Organisation], rng: random.Random) -> list[Organisation]:
    """A tenth (at least 30) in the demo caseworkers' unions, so that every demo account sees files."""
    demo = [o for o in grassroots if o.code in {a.organisation for a in ACCOUNTS}]
    first = min(count, max(30, count // 10))
    return [demo[i % len(demo)] for i in range(first)] + [rng.choice(grassroots) for _ in range(count - first)]


def _household(union: Organisation, people: PersonFactory, rng: random.Random) -> Household:
    status = rng.choices([CaseState.ARCHIVED, CaseState.DRAFT, CaseState.EXITED], [70, 20, 10])[0]
    proposed = rng.choices([c.Category.HARDSHIP, c.Category.EXTREME_HARDSHIP], [75, 25])[0]
    verified = proposed if status != CaseState.DRAFT else c.Category.NONE
    causes = sorted(rng.sample(CAUSES, rng.choice([1, 1, 2, 2, 3])), key=CAUSES.index)
    dibao = proposed == c.Category.EXTREME_HARDSHIP and rng.random() < 0.4
    return Household(
        union=union, region_code=union.division_code, address=people.address(union), phone=people.phone(),
        status=status, proposed_category=proposed, verified_category=verified, hardship_causes=causes,
        dibao=dibao, dibao_edge=not dibao and rng.random() < 0.15, owns_housing=rng.random() < 0.5,
        housing_area_m2=Decimal(rng.randint(25, 90)), has_vehicle=rng.random() < 0.1,
        financial_assets=Decimal(rng.randint(0, 30) * 1000),
    )


def _incomes(household: Household, size: int, today: datetime.date, rng: random.Random) -> list[IncomeRecord]:
    month = today.replace(day=1)
    records = []
    base = rng.randint(600, 900) * size
    for _ in range(3):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        records.append(_income(household_id=household.pk, month=month, source=c.IncomeSource.WAGES,
                               amount=Decimal(base + rng.randint(-200, 200))))
    return records


def _archive_dates(households: list[Household], today: datetime.date, seen: dict[int, int]) -> list[datetime.date]:
    """When each archived household entered the archive: the union's n-th one `ARCHIVE_STRIDE`·n days apart
    (wrapping), starting from the oldest, so that overdue reviews appear in every union."""
    days = []
    for household in households:
        n = seen.get(household.union_id, 0)
        seen[household.union_id] = n + 1
        age = ARCHIVE_AGES[(len(ARCHIVE_AGES) - 1 + n * ARCHIVE_STRIDE) % len(ARCHIVE_AGES)]
        days.append(today - datetime.timedelta(days=age))
    return days


def _insert_batch(unions: list[Organisation], people: PersonFactory, rng: random.Random,
                  today: datetime.date, seen: dict[int, int]) -> tuple[int, int, int]:
    households = Household.objects.bulk_create([_household(u, people, rng) for u in unions])
    archived = [h for h in households if h.status == CaseState.ARCHIVED]
    cases = take_over_bulk(archived, _archive_dates(archived, today, seen), source="demo",
                           reason="演示数据:按原有档案建档")
    members, incomes = [], []
    for household in households:
        family = people.family(household, today)
        active = household.status != CaseState.EXITED
        for position, member in enumerate(family):
            member.household_id, member.position, member.active = household.pk, position, active
        members.extend(family)
        incomes.extend(_incomes(household, len(family), today, rng))
    people.check(members)
    fast_insert(Member, members)
    fast_insert(IncomeRecord, incomes)
    return len(households), len(members), cases


def load_demo(*, households: int, seed: int = 2019, progress: Callable[[int], None] | None = None) -> dict:
    """Bring the database to at least `households` households; running it again adds nothing."""
    today = clock.today()
    rng, fake = random.Random(seed), Faker("zh_CN")
    fake.seed_instance(seed)
    with transaction.atomic():
        grassroots = ensure_organisations(fake, today)
        accounts = ensure_accounts()
    missing = max(0, households - Household.objects.count())
    rng.seed(seed + Household.objects.count())
    people = PersonFactory(fake, rng, used=set(Member.objects.filter(active=True).values_list("id_number", flat=True)))
    unions, added_h, added_m, added_c, seen = _unions_for(missing, grassroots, rng), 0, 0, 0, {}
    for start in range(0, missing, BATCH):
        with transaction.atomic():
            h, m, n = _insert_batch(unions[start:start + BATCH], people, rng, today, seen)
            added_h, added_m, added_c = added_h + h, added_m + m, added_c + n
            if progress:
                progress(added_h)
    if added_h:
        with connection.cursor() as cursor:
            # Fresh statistics, or the planner guesses wrong after a bulk load; on PostgreSQL also the
            # visibility map, so that counts over an area are index-only scans (autovacuum would, later).
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    with transaction.atomic():
        audit_log(actor=None, action="demo.load", object_type="household", area_path="320000/",
                  after={"households_added": added_h, "members_added": added_m, "cases_taken_over": added_c})
    return {"households_added": added_h, "members_added": added_m, "cases_taken_over": added_c,
            "accounts": accounts,
            "households": Household.objects.count()}

