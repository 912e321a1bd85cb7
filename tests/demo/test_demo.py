"""The demo data: realistic, consistent, idempotent; and `run` wires migrate, demo and gunicorn together."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from stdnum.cn import ric

from bangfu.accounts.models import Organisation, User
from bangfu.demo.loader import ACCOUNTS, DEMO_PASSWORD
from bangfu.registry.models import Household, Member
from bangfu.registry.validation import PHONE

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    out = io.StringIO()
    call_command("demo", households=40, stdout=out)
    return out.getvalue()


def test_demo_builds_organisations_accounts_and_households(demo):
    assert Household.objects.count() == 40
    assert Organisation.objects.filter(level="city").count() == 13
    assert Organisation.objects.filter(level="grassroots").count() == 3 * Organisation.objects.filter(
        level="county").count()
    for account in ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.check_password(DEMO_PASSWORD) and user.role == account.role
        assert account.username in demo
    assert DEMO_PASSWORD in demo
    caseworker = User.objects.get(username="caseworker")
    assert Household.objects.restrict(caseworker, "view").exists(), "the demo caseworker has files to work on"


def test_demo_people_are_consistent(demo):
    members = list(Member.objects.select_related("household"))
    assert len(members) >= 40
    for m in members:
        assert ric.validate(m.id_number) == m.id_number
        assert ric.get_birth_date(m.id_number) == m.birth_date
        assert (int(m.id_number[16]) % 2 == 1) == (m.sex == "male")
        assert m.phone == "" or PHONE.match(m.phone)
        assert 2 <= len(m.name) <= 4
    assert Member.objects.filter(relation="self", removed=False).count() == 40
    assert Member.objects.exclude(school_stage="").exists()
    assert {h.verified_category for h in Household.objects.all()} >= {"hardship", "none"}
    household = Household.objects.first()
    assert household.address.startswith(("南京", "无锡", "徐州", "常州", "苏州", "南通", "连云港", "淮安", "盐城",
                                          "扬州", "镇江", "泰州", "宿迁"))


def test_demo_is_idempotent(demo):
    before = (Household.objects.count(), Member.objects.count(), User.objects.count(), Organisation.objects.count())
    call_command("demo", households=40, stdout=io.StringIO())
    assert (Household.objects.count(), Member.objects.count(), User.objects.count(),
            Organisation.objects.count()) == before
    call_command("demo", households=45, stdout=io.StringIO())
    assert Household.objects.count() == 45


def test_run_migrates_loads_the_demo_once_and_serves_with_gunicorn_and_the_worker(monkeypatch):
    started = []

    class Process:
        def __init__(self, argv):
            started.append(argv)

        def wait(self, timeout=None):
            return 0

        def terminate(self):
            started.append("terminated")

    monkeypatch.setattr("subprocess.Popen", Process)
    out = io.StringIO()
    for stdout in (out, io.StringIO()):
        with pytest.raises(SystemExit) as done:
            call_command("run", households=5, stdout=stdout)
        assert done.value.code == 0
    assert Household.objects.count() == 5
    worker, server = started[0], started[1]
    assert worker[-2:] == ["run_huey", "--quiet"]
    assert server[1] == "bangfu.config.wsgi:application" and server[server.index("--bind") + 1] == "127.0.0.1:8000"
    assert "terminated" in started  # the worker stops with the server
    assert "caseworker" in out.getvalue() and "http://127.0.0.1:8000/" in out.getvalue()
