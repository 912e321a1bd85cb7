"""The start page's figures of the area kept in the cache (issue 19): read, not computed, while nothing changes; a
change made through a service, a standard above the area or a new day shows on the very next view; each area sees
its own figures, each role its own actions."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.cases.models import Case
from bangfu.common import clock
from bangfu.exchange import services as exchange
from bangfu.exchange.models import Alert
from bangfu.standards import services as standards

pytestmark = pytest.mark.django_db
TODAY = clock.today()
HOME = reverse("web:home")


def view(client) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def total(body: str) -> int:
    return int(body.split('data-testid="count-total">', 1)[1].split("<", 1)[0])


def test_read_from_the_cache_until_a_change_through_a_service(login, users, make_household):
    make_household("g1")
    client = login(users["caseworker_g1"])
    body, first = view(client)
    assert total(body) == 1 and any("registry_household" in q for q in first)
    body, again = view(client)
    assert total(body) == 1 and not any("registry_household" in q for q in again), again
    assert len(again) < len(first)
    make_household("g1")  # registered through the registry's service
    assert total(view(client)[0]) == 2


def test_an_alert_closed_through_the_service_is_gone_from_the_next_view(login, users, make_household):
    alert = Alert.objects.create(household=make_household("g1"), kind="death", key="k", message="民政部门报告某某已死亡")
    client = login(users["caseworker_g1"])
    assert f'data-testid="alert-{alert.pk}"' in view(client)[0]
    assert f'data-testid="alert-{alert.pk}"' in view(client)[0]  # read from the cache
    exchange.alert_resolve(actor=users["caseworker_g1"], alert=alert, note="已核实")
    body = view(client)[0]
    assert f'data-testid="alert-{alert.pk}"' not in body and "没有待处理的预警" in body


def test_a_review_due_tomorrow_shows_after_midnight(login, users, make_household, drive):
    household = make_household("g1")
    case = drive(household, "helping")
    Case.objects.filter(pk=case.pk).update(next_review_on=TODAY + datetime.timedelta(days=1))
    link = reverse("web:household_detail", args=[household.pk])

    def at(day: datetime.date, hour: int, minute: int):
        return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=clock.ZONE))

    with at(TODAY, 23, 58):
        client = login(users["caseworker_g1"])
        assert link not in view(client)[0]
    with at(TODAY + datetime.timedelta(days=1), 0, 1):  # three minutes later: the figures kept would still live
        assert link in view(client)[0]


def test_a_standard_set_above_the_area_moves_the_exit_suggestions(login, users, under_review_with_wages):
    under_review_with_wages("6000")
    client = login(users["reviewer_xuanwu"])
    assert "建议脱困退出" in view(client)[0]
    assert "建议脱困退出" in view(client)[0]  # read from the cache
    # 南京's 低保 standard raised far above the household's income, by the province (an audited change above 玄武)
    proposed = standards.standard_request_propose(
        actor=users["admin_nanjing"], parameter="sync.dibao.standard", region_code="320100",
        start=datetime.date(2020, 1, 1), value="20000", document="南京市城市低保标准(测试)", note="")
    standards.standard_request_approve(actor=users["admin_province"], request_id=proposed.pk)
    body = view(client)[0]
    assert "建议脱困退出" not in body and "暂无退出建议" in body


def test_each_area_its_own_figures_each_role_its_own_actions(login, users, make_household):
    near, far = make_household("g1"), make_household("g4")
    for household in (near, far):
        Alert.objects.create(household=household, kind="death", key="k", message="民政部门报告某某已死亡")
    province = view(login(users["admin_province"]))[0]  # the province's figures computed and kept first
    assert total(province) == 2 and "处理完毕" in province
    wuxi = view(login(users["caseworker_g4"]))[0]
    assert total(wuxi) == 1
    assert reverse("web:household_detail", args=[far.pk]) in wuxi
    assert reverse("web:household_detail", args=[near.pk]) not in wuxi
    assert total(view(login(users["caseworker_g2"]))[0]) == 0  # 玄武's other union: not g1's household
    auditor = view(login(users["auditor_province"]))[0]  # the province's kept figures, an auditor's actions
    assert total(auditor) == 2 and "处理完毕" not in auditor
