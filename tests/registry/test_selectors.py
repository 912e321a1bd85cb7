"""Selectors: the list filters and searches within the user's area, in two queries, with masked ID numbers."""

from __future__ import annotations

import pytest

from bangfu.cases.services import case_take_over
from bangfu.common.errors import NotFound
from bangfu.registry import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(make_household, users):
    """Two households in 玄武区 (g1 and g2) and one in 锡山区 (g4)."""
    a = make_household("g1", hardship_causes=["illness", "education"], phone="13900000001")
    b = make_household("g2", hardship_causes=["unemployment"])
    c = make_household("g4")
    case_take_over(actor=users["reviewer_xuanwu"], household=b, category="extreme_hardship")
    return a, b, c


def ids(page):
    return {h.pk for h in page.items}


def test_each_user_sees_only_their_area(three, users):
    a, b, c = three
    assert ids(selectors.household_list(user=users["caseworker_g1"])) == {a.pk}
    assert ids(selectors.household_list(user=users["reviewer_xuanwu"])) == {a.pk, b.pk}
    assert ids(selectors.household_list(user=users["admin_nanjing"])) == {a.pk, b.pk}
    assert ids(selectors.household_list(user=users["admin_province"])) == {a.pk, b.pk, c.pk}
    assert ids(selectors.household_list(user=users["auditor_wuxi"])) == {c.pk}
    assert ids(selectors.household_list(user=users["officer"])) == set()


@pytest.mark.parametrize("filters, expected", [
    ({"cause": "education"}, "a"),
    ({"cause": "unemployment"}, "b"),
    ({"category": "extreme_hardship"}, "b"),
    ({"status": "archived"}, "b"),
    ({"status": "draft"}, "ac"),
    ({"region": "320205"}, "c"),
    ({"region": "320100"}, "ab"),
    ({"q": "13900000001"}, "a"),
    ({"q": "张"}, "abc"),
    ({"q": "李娜"}, "abc"),
    ({"q": "王"}, ""),
])
def test_filters_and_search(three, users, filters, expected):
    named = dict(zip("abc", three, strict=True))
    page = selectors.household_list(user=users["admin_province"], **filters)
    assert ids(page) == {named[k].pk for k in expected}


def test_search_by_full_id_number_and_filter_by_union_subtree(three, users, orgs):
    a, b, _ = three
    number = b.members.get(relation="self").id_number
    assert ids(selectors.household_list(user=users["admin_province"], q=number)) == {b.pk}
    assert ids(selectors.household_list(user=users["admin_province"], union=orgs["xuanwu"])) == {a.pk, b.pk}
    assert ids(selectors.household_list(user=users["admin_province"], union=orgs["g2"])) == {b.pk}


def test_the_list_takes_two_queries_whatever_the_page_size(make_household, users, django_assert_num_queries):
    for _ in range(3):
        make_household("g1", members=[])
    make_household("g1")
    user = users["caseworker_g1"]
    user.organisation  # noqa: B018 - the request's user arrives with its organisation loaded
    with django_assert_num_queries(2):
        page = selectors.household_list(user=user, per_page=2)
        rows = [(h.worker_name, h.worker_id_number, h.union.name, h.size) for h in page.items]
    assert page.total == 4 and page.pages == 2 and len(rows) == 2
    assert rows[0][0] == "张伟" and rows[0][3] == 3


def test_the_list_counts_the_households_it_pages_through(three, users, orgs):
    """The count is taken of the filtered households without the page's union, worker and size (`counted`): the same
    households, a search and a union filter included."""
    _, b, _ = three
    admin = users["admin_province"]
    for filters, expected in (({}, 3), ({"union": orgs["xuanwu"]}, 2),
                              ({"q": b.members.get(relation="self").id_number}, 1)):
        page = selectors.household_list(user=admin, per_page=1, **filters)
        assert page.total == expected and page.pages == expected


def test_household_get_outside_the_area_is_not_found(three, users):
    a, _, c = three
    assert selectors.household_get(user=users["caseworker_g1"], pk=a.pk).pk == a.pk
    with pytest.raises(NotFound):
        selectors.household_get(user=users["caseworker_g1"], pk=c.pk)
    with pytest.raises(NotFound):
        selectors.household_get(user=users["officer"], pk=a.pk)


def test_pagination_is_clamped(three, users):
    page = selectors.household_list(user=users["admin_province"], page=0, per_page=10_000)
    assert page.page == 1 and page.per_page == selectors.MAX_PER_PAGE


def test_the_lists_shared_subqueries_serve_every_query_unchanged(three, users):
    """The worker and size subqueries are built once per process (`_list_columns`): lists of other areas, a search
    and an export between them leave them as they were."""
    from bangfu.registry.exports import household_export

    def rows(user, **filters):
        return [(h.pk, h.worker_name, h.size) for h in selectors.household_list(user=user, **filters).items]

    a, b, _ = three
    before = rows(users["caseworker_g1"])
    assert before and all(name and size for _, name, size in before)
    rows(users["admin_province"], q=b.members.get(relation="self").id_number)
    household_export(user=users["admin_province"])
    assert rows(users["caseworker_g1"]) == before and a.pk in {pk for pk, _, _ in before}
