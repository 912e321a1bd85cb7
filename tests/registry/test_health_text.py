"""How a member's facts read on the file and its print (issue 17 item 5: each fact once)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.registry.models import Member
from bangfu.registry.presenters import health_text


@pytest.mark.parametrize(("health", "grade", "serious", "text"), [
    ("serious", None, True, "大重病"),
    ("serious", None, False, "大重病"),
    ("healthy", None, True, "健康,大重病"),
    ("chronic", None, True, "慢性病,大重病"),
    ("disabled", 2, False, "残疾2级"),
    ("disabled", 2, True, "残疾2级,大重病"),
    ("disabled", None, False, "残疾"),
    ("chronic", 4, False, "慢性病,残疾4级"),
    ("healthy", None, False, "健康"),
])
def test_health_reads_each_fact_once(health, grade, serious, text):
    assert health_text(Member(health=health, disability_grade=grade, serious_illness=serious)) == text


@pytest.mark.django_db
def test_the_file_and_its_print_show_a_serious_illness_once(login, users, make_household, build):
    household = make_household(members=[build.member("self", health="serious", serious_illness=True)])
    client = login(users["caseworker_g1"])
    for name in ("web:household_detail", "web:household_print"):
        page = client.get(reverse(name, args=[household.pk])).content.decode()
        assert "大重病" in page and "大重病,大重病" not in page, name
