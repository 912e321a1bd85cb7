"""The household search by part of an ID number (its first or last 6+ characters) or by another member's name or
phone finds the household within the user's area and says why it matched, ID numbers masked (issue 17, item 8)."""

from __future__ import annotations

import pytest
from django.db import connection

from bangfu.common.ids import mask_id_number
from bangfu.registry import selectors
from bangfu.registry.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(make_household):
    """One household in 玄武区 g1, one in 锡山区 g4; each has a spouse 李娜 born 1991-03-03."""
    return make_household("g1"), make_household("g4")


def found(user, q):
    return {h.pk: h.search_hint for h in selectors.household_list(user=user, q=q).items}


def test_the_last_digits_of_a_members_id_number_find_the_household_and_say_whose_number_it_is(pair, users):
    mine, _ = pair
    spouse = mine.members.get(relation="spouse")
    tail = spouse.id_number[-8:]
    assert found(users["caseworker_g1"], tail) == {
        mine.pk: f"身份证号码含「{tail}」:配偶李娜({mask_id_number(spouse.id_number)})"}
    assert "*" in mask_id_number(spouse.id_number) and spouse.id_number[4:14] not in found(
        users["caseworker_g1"], tail)[mine.pk]


def test_the_first_digits_find_it_too_and_the_area_still_bounds_the_search(pair, users):
    mine, theirs = pair
    head = theirs.members.get(relation="spouse").id_number[:14]
    assert found(users["caseworker_g1"], head) == {}  # 锡山区 is not the caseworker's area
    assert set(found(users["admin_province"], head)) == {theirs.pk}
    assert set(found(users["caseworker_g1"], mine.members.get(relation="spouse").id_number[:14])) == {mine.pk}


def test_fewer_than_six_digits_is_no_id_number_search(pair, users):
    mine, _ = pair
    assert found(users["caseworker_g1"], mine.members.get(relation="spouse").id_number[-5:]) == {}


def test_another_members_name_or_phone_is_named_as_the_reason(pair, users):
    mine, _ = pair
    assert found(users["caseworker_g1"], "李娜") == {mine.pk: "成员姓名:配偶李娜"}
    assert found(users["caseworker_g1"], "张伟") == {mine.pk: ""}  # the worker: the list shows the name already
    Member.objects.filter(household=mine, relation="child").update(phone="13811112222")
    assert found(users["caseworker_g1"], "13811112222") == {mine.pk: "联系电话:子女张小明"}


def test_the_web_list_shows_the_reason(pair, users, login):
    mine, _ = pair
    body = login(users["caseworker_g1"]).get("/households/", {"q": "李娜"}).content.decode()
    assert 'data-testid="search-hint">匹配:成员姓名:配偶李娜' in body


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the reversed-number index is PostgreSQL's")
def test_both_id_number_searches_are_index_scans_on_postgresql(pair):
    tail, head = "12345678", "32010219"
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plans = []
        for sql in (f"SELECT id FROM registry_member WHERE REVERSE(id_number) LIKE '{tail[::-1]}%%'",
                    f"SELECT id FROM registry_member WHERE id_number LIKE '{head}%%'"):
            cursor.execute("EXPLAIN " + sql)
            plans.append(" ".join(row[0] for row in cursor.fetchall()))
        cursor.execute("RESET enable_seqscan")
    assert "registry_member_id_suffix" in plans[0]
    assert "Index" in plans[1] and "id_number" in plans[1]


def test_part_of_an_id_number_finds_nothing_for_a_role_that_may_not_see_id_numbers(pair, users):
    """The auditor sees masked numbers only: were partial numbers searchable, growing a prefix one digit at a time
    would reveal the masked digits."""
    _, theirs = pair
    number = theirs.members.get(relation="spouse").id_number
    assert found(users["auditor_province"], number[:14]) == {} and found(users["auditor_province"], number[-8:]) == {}
    assert set(found(users["admin_province"], number[:14])) == {theirs.pk}


def test_the_way_out_and_its_year_are_those_of_one_case(make_household, users):
    """A household handed to social assistance in 2025 that had left hardship by work in 2023 is not one of 2025's
    exits by work (the year and the way out are read on the same case)."""
    import datetime

    from bangfu.cases.models import Case

    household = make_household("g1")
    Case.objects.create(household=household, episode=1, state="exited", closed_on=datetime.date(2023, 5, 1))
    Case.objects.create(household=household, episode=2, state="relieved", closed_on=datetime.date(2025, 5, 1))

    def listed(**filters):
        return set(selectors.household_queryset(user=users["caseworker_g1"], **filters).values_list("pk", flat=True))

    assert listed(closed_year=2025, closed_as=["exited"]) == set()
    assert listed(closed_year=2025, closed_as=["relieved"]) == {household.pk}
    assert listed(closed_year=2023, closed_as=["exited"]) == {household.pk}
    assert listed(closed_year=2025) == {household.pk}
