"""Fixtures of the Django tests: a small real union tree, one user per role and area, households."""

from __future__ import annotations

import datetime
import itertools
from types import SimpleNamespace

import pytest
import time_machine
from hypothesis import settings

from bangfu.common import clock
from bangfu.common.ids import make_id_number

_sequence = itertools.count(1)
# Every test runs on one fixed day, the clock ticking on from mid-morning in Jiangsu: no test depends on the real
# date, none breaks across midnight or New Year. A test that needs another moment moves it with time-machine's
# `time_machine` fixture.
FROZEN_AT = datetime.datetime(2026, 11, 16, 10, 0, tzinfo=clock.ZONE)
_CLOCK = pytest.StashKey()

# Speed lives in benchmarks, never in tests: Hypothesis's per-example deadline would fail a correct rule on a loaded
# machine (the CI runs beside other suites).
settings.register_profile("bangfu", deadline=None)
settings.load_profile("bangfu")


def pytest_configure(config):
    config.stash[_CLOCK] = time_machine.travel(FROZEN_AT, tick=True)
    config.stash[_CLOCK].start()


def pytest_unconfigure(config):
    if _CLOCK in config.stash:
        config.stash[_CLOCK].stop()


@pytest.fixture
def today() -> datetime.date:
    """Today in Jiangsu, as the service's clock reads it (the frozen day)."""
    return clock.today()


@pytest.fixture
def noticed():
    """`noticed(actor, case)`: the case's history up to a public notice that ended yesterday, made `days` ago by
    `actor` (submitted if still a draft, checked, visited, noticed from that day): a notice cannot start before
    the application nor in the past, and the archive waits until it is over, so a case archived today was
    noticed earlier."""
    from bangfu.cases import services

    def run(actor, case, *, days: int = 10):
        with time_machine.travel(clock.now() - datetime.timedelta(days=days), tick=True):
            day = clock.today()
            if case.state == "draft":
                case = services.case_submit(actor=actor, case=case, version=case.version)
            if case.state == "submitted":
                case = services.case_start_verification(actor=actor, case=case, version=case.version)
            case = services.case_record_visit(actor=actor, case=case, version=case.version, visited_on=day,
                                              notes="入户走访,情况属实", authorisation_signed_on=day)
            return services.case_start_notice(actor=actor, case=case, version=case.version, start=day,
                                              end=day + datetime.timedelta(days=days - 1))
    return run
TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _transactional(request) -> bool:
    """Does this test run as a TransactionTestCase (emptied by a flush afterwards), as pytest-django decides?"""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None:
        from pytest_django.fixtures import validate_django_db

        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    return bool(TRANSACTIONAL_FIXTURES & set(request.fixturenames))


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (memory in the suite): figures kept under a stamp (reports.snapshots) must
    not outlive the test whose rows they counted, as ids start again after a rollback on SQLite."""
    from django.core.cache import cache

    from bangfu.reports.snapshots import clear_local

    cache.clear()
    clear_local()  # and the figures kept in the process's memory (`cached_figures(local=True)`)


@pytest.fixture(autouse=True)
def ledger_entries_flushable(request):
    """The ledger's and the audit table's append-only triggers (ledger/db.py, audit/db.py) refuse DELETE, and on SQLite the flush after a
    transactional test (`transactional_db`, `live_server`, `django_db(transaction=True)`) is a DELETE: the test's
    entries are removed first with the triggers briefly dropped. PostgreSQL flushes by TRUNCATE, which row
    triggers do not see. Set up after the database fixture, so torn down before its flush."""
    if not _transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    from bangfu.audit.db import AUDIT
    from bangfu.ledger.db import ENTRIES

    with connection.schema_editor() as editor:
        ENTRIES.drop(editor)
        editor.execute("DELETE FROM programmes_line")  # payment lines point at their entries
        editor.execute("DELETE FROM ledger_ledgerrequest")
        editor.execute("DELETE FROM ledger_ledgerentry")
        ENTRIES.create(editor)
        AUDIT.drop(editor)  # the audit table is append-only too (bangfu/audit/db.py)
        editor.execute("DELETE FROM audit_auditentry")
        AUDIT.create(editor)


def id_number(region: str = "320100", born: datetime.date = datetime.date(1990, 5, 5), sex: str = "male") -> str:
    """A fresh valid ID number for that region, birth date and sex (a different one on every call)."""
    return make_id_number(region, born, next(_sequence) % 500, sex)


@pytest.fixture
def orgs(db):
    """江苏省总工会 → 南京市(玄武区: two grassroots; 秦淮区: one) and 无锡市(锡山区: one)."""
    from bangfu.accounts.models import Organisation

    made = {}

    def org(key, code, name, level, parent=None, kind=""):
        made[key] = Organisation.objects.create(
            code=code, name=name, level=level, kind=kind, division_code=code[:6],
            parent=made.get(parent), path=(made[parent].path if parent else "") + code + "/",
        )

    org("province", "320000", "江苏省总工会", "province")
    org("nanjing", "320100", "南京市总工会", "city", "province")
    org("xuanwu", "320102", "南京市玄武区总工会", "county", "nanjing")
    org("g1", "320102-0001", "玄武某企业工会", "grassroots", "xuanwu", "enterprise")
    org("g2", "320102-0002", "玄武某街道工会", "grassroots", "xuanwu", "street")
    org("qinhuai", "320104", "南京市秦淮区总工会", "county", "nanjing")
    org("g3", "320104-0001", "秦淮某社区工会", "grassroots", "qinhuai", "community")
    org("wuxi", "320200", "无锡市总工会", "city", "province")
    org("xishan", "320205", "无锡市锡山区总工会", "county", "wuxi")
    org("g4", "320205-0001", "锡山某社区工会", "grassroots", "xishan", "community")
    return made


@pytest.fixture
def make_user(orgs):
    from bangfu.accounts.models import User

    def make(role: str, org: str, username: str | None = None, department: str = "") -> User:
        if role == "department_officer" and not department:
            department = "civil_affairs"
        return User.objects.create_user(
            username=username or f"{role}-{org}-{next(_sequence)}", password="pw-for-tests-123",
            organisation=orgs[org], role=role, department=department,
        )

    return make


@pytest.fixture
def users(make_user):
    """One user per role, named by role and place."""
    return {
        "caseworker_g1": make_user("caseworker", "g1", "caseworker_g1"),
        "caseworker_g2": make_user("caseworker", "g2", "caseworker_g2"),
        "caseworker_g4": make_user("caseworker", "g4", "caseworker_g4"),
        "reviewer_xuanwu": make_user("reviewer", "xuanwu", "reviewer_xuanwu"),
        "reviewer_xishan": make_user("reviewer", "xishan", "reviewer_xishan"),
        "admin_nanjing": make_user("admin", "nanjing", "admin_nanjing"),
        "admin_province": make_user("admin", "province", "admin_province"),
        "auditor_province": make_user("auditor", "province", "auditor_province"),
        "auditor_wuxi": make_user("auditor", "wuxi", "auditor_wuxi"),
        "officer": make_user("department_officer", "province", "officer"),
    }


def member_data(relation: str = "self", *, sex: str = "male", born=datetime.date(1990, 5, 5),
                region: str = "320100", **extra) -> dict:
    names = {"self": "张伟", "spouse": "李娜", "child": "张小明", "parent": "张建华"}
    return {"name": names.get(relation, "王芳"), "id_number": id_number(region, born, sex), "relation": relation,
            **extra}


def household_data(**extra) -> dict:
    return {"region_code": "320102", "address": "南京市玄武区珠江路1号2栋301室", "phone": "13912345678",
            "hardship_causes": ["illness"], **extra}


@pytest.fixture
def make_household(orgs, users):
    """A registered household of a worker, a spouse and a primary-school child, by the union's caseworker."""
    from bangfu.registry.services import household_create

    def make(union: str = "g1", actor=None, members=None, **data):
        actor = actor or {"g1": users["caseworker_g1"], "g2": users["caseworker_g2"],
                          "g4": users["caseworker_g4"]}.get(union, users["admin_province"])
        region = orgs[union].division_code
        born_in = region[:4] + "00"  # a city code, in use since before anyone's birth
        if members is None:
            members = [
                member_data("self", region=born_in, employment="registered_unemployed"),
                member_data("spouse", sex="female", born=datetime.date(1991, 3, 3), region=born_in),
                member_data("child", sex="male", born=datetime.date(2015, 9, 1), region=region,
                            employment="student", school_stage="primary", school_year=3,
                            school_institution="public"),
            ]
        return household_create(actor=actor, union=orgs[union], data=household_data(**{"region_code": region, **data}),
                                members=members)

    return make


@pytest.fixture
def build():
    """Builders of input data: `build.member(...)`, `build.household(...)`, `build.id_number(...)`."""
    return SimpleNamespace(member=member_data, household=household_data, id_number=id_number)


@pytest.fixture
def login(client):
    """`login(user)` logs the test client in as that user and returns the client (one client: the last login wins)."""

    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.fixture
def exit_household(users):
    """`exit_household(household)`: 脱困退出 through the case services, as the union does it: taken into the archive
    if it is not there yet, reviewed by the caseworker, exited by the county reviewer. Returns the household."""
    from bangfu.cases import services
    from bangfu.cases.workflow import ARCHIVED_STATES

    cw, rv = users["caseworker_g1"], users["reviewer_xuanwu"]

    def run(household, reason: str = "已稳定就业"):
        household.refresh_from_db()
        if household.status not in ARCHIVED_STATES:
            services.case_take_over(actor=rv, household=household, category="hardship")
        case = household.cases.order_by("-episode").first()
        if case.state != "review":
            case = services.case_start_review(actor=cw, case=case, version=case.version)
        services.case_exit(actor=rv, case=case, version=case.version, reason=reason)
        household.refresh_from_db()
        return household

    return run

