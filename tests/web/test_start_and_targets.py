"""The start page's work lists (overdue reviews, follow-ups due, exit suggestions) and the targets of Article 2."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from bangfu.cases.models import Case, FollowUp
from bangfu.common import clock

pytestmark = pytest.mark.django_db
TODAY = clock.today()


def test_overdue_reviews_show_on_the_start_page(login, users, household, drive, make_household):
    case = drive(household, "helping")
    Case.objects.filter(pk=case.pk).update(next_review_on=TODAY - datetime.timedelta(days=3))
    body = login(users["caseworker_g1"]).get(reverse("web:home")).content.decode()
    assert "到期未复核" in body and reverse("web:household_detail", args=[household.pk]) in body
    other = login(users["caseworker_g4"]).get(reverse("web:home")).content.decode()
    assert reverse("web:household_detail", args=[household.pk]) not in other


def test_followups_due_and_exit_suggestions(login, users, household, drive, under_review_with_wages):
    exited = drive(household, "exited")
    FollowUp.objects.filter(case=exited).update(due_on=TODAY - datetime.timedelta(days=1))
    under_review_with_wages("30000")
    body = login(users["reviewer_xuanwu"]).get(reverse("web:home")).content.decode()
    assert "第一次回访" in body and "建议脱困退出" in body
    assert 'data-testid="home-pending">0<' in body  # reviewers see the ledger queue too
    assert 'data-testid="home-pending"' not in login(users["caseworker_g1"]).get(reverse("web:home")).content.decode()


def test_start_page_query_count_is_bounded(login, users, make_household, drive, django_assert_max_num_queries):
    for _ in range(3):
        case = drive(make_household("g1"), "helping")
        Case.objects.filter(pk=case.pk).update(next_review_on=TODAY - datetime.timedelta(days=1))
    client = login(users["caseworker_g1"])
    with django_assert_max_num_queries(10) as captured:
        client.get(reverse("web:home"))
    for _ in range(3):
        case = drive(make_household("g1"), "helping")
        Case.objects.filter(pk=case.pk).update(next_review_on=TODAY - datetime.timedelta(days=1))
    with django_assert_max_num_queries(len(captured)):
        assert client.get(reverse("web:home")).content.decode().count("应于") == 6


def test_targets_page_shows_the_figures_and_a_chart(login, users, orgs, household, drive):
    drive(household, "exited")
    client = login(users["reviewer_xuanwu"])
    body = client.get(reverse("web:targets")).content.decode()
    assert 'data-testid="target-exited_by_work">1<' in body and 'id="chart-data"' in body
    assert "本年度脱困退出" in body
    past = client.get(reverse("web:targets"), {"year": TODAY.year - 1}).content.decode()
    assert 'data-testid="target-exited_by_work">0<' in past
    bogus = client.get(reverse("web:targets"), {"union": orgs["xishan"].pk, "year": "x"})
    assert bogus.status_code == 200 and "南京市玄武区总工会" in bogus.content.decode()  # not a choice: own union


def test_targets_by_role_and_area(login, users, orgs, household, drive):
    drive(household, "exited")
    wuxi = login(users["auditor_wuxi"]).get(reverse("web:targets"), {"union": orgs["xuanwu"].pk})
    assert 'data-testid="target-exited_by_work">0<' in wuxi.content.decode()
    assert login(users["officer"]).get(reverse("web:targets")).status_code == 403
