"""Issue 17 item 3, on the file: without income records the entitlements panel, its print page and the leaflet say
that income is missing and show no income-tested figure (Article 2's shortfall from the spec's default income 0)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from bangfu.cases.services import case_take_over
from bangfu.registry.services import income_set

pytestmark = pytest.mark.django_db

MISSING = ("2025年11月至2026年10月没有家庭收入记录:收入信息缺失。按收入测算的政策暂不测算金额,请先登记家庭收入。")
PENDING = ("<span class=\"fw-semibold\">纳入社会救助体系,生活水平不低于当地低保标准</span>(第2条 · 全户):"
           "收入信息缺失,是否符合及金额待登记家庭收入后测算")


@pytest.fixture
def unable(make_household, build, users):
    """A couple of working age, neither able to work, in 玄武区, archived as 困难: Article 2 turns on income."""
    household = make_household("g1", members=[
        build.member("self", born=datetime.date(1970, 1, 1), work_ability="none"),
        build.member("spouse", sex="female", born=datetime.date(1972, 1, 1), work_ability="none")])
    case_take_over(actor=users["reviewer_xuanwu"], household=household, category="hardship")
    household.refresh_from_db()
    return household


def test_the_panel_says_income_is_missing_and_holds_article_2_back(login, users, unable):
    client = login(users["caseworker_g1"])
    page = client.get(reverse("web:household_entitlements", args=[unable.pk])).content.decode()
    assert MISSING in page
    assert "登记家庭收入后测算的政策(1项)" in page and PENDING in page
    assert "可享受 <strong>7</strong> 项" in page
    assert "每月收入还差" not in page  # the shortfall's explanation, a figure from income 0
    printed = client.get(reverse("web:household_print", args=[unable.pk])).content.decode()
    assert MISSING in printed and PENDING in printed and "每月收入还差" not in printed


def test_with_an_income_record_the_shortfall_is_a_figure(login, users, unable):
    income_set(actor=users["caseworker_g1"], household=unable, month=datetime.date(2026, 10, 1), source="wages",
               amount=Decimal("1000"))
    client = login(users["caseworker_g1"])
    page = client.get(reverse("web:household_entitlements", args=[unable.pk])).content.decode()
    assert "收入信息缺失" not in page and "登记家庭收入后测算" not in page
    assert "当地低保标准每人每月900元,全家2人,每月收入还差800元,一年共9600元(第2条)" in page  # (900 × 2 − 1000) × 12
    assert "可享受 <strong>8</strong> 项" in page


def test_the_leaflet_says_income_is_missing(login, users, unable):
    client = login(users["caseworker_g1"])
    page = client.post(reverse("web:household_leaflet", args=[unable.pk]),
                       {"caseworker": "王芳", "phone": "13800001111"}).content.decode()
    assert ('<p class="mb-2" id="leaflet-income-missing">2025年11月至2026年10月没有家庭收入记录:收入信息缺失。'
            '纳入社会救助体系,生活水平不低于当地低保标准(第2条)是否符合及金额,待登记家庭收入后确定。'
            '请把家庭收入告诉经办人。</p>') in page
    apply = page.split('id="leaflet-apply"')[1].split("</table>")[0]
    assert "纳入社会救助体系" not in apply
