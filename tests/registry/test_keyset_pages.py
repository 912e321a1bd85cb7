"""Keyset pagination of the household list (issue 13 item 7, issue 19): deep pages by cursor, filters kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.registry import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven(make_household):
    """Seven households of g1, five of them 困难 by cause "illness", two by "disability"; newest first by id."""
    made = [make_household("g1", hardship_causes=["illness"] if i < 5 else ["disability"]) for i in range(7)]
    return [h.pk for h in reversed(made)]


def walk(user, per_page: int, **filters) -> tuple[list[list[int]], list]:
    pages, page = [], selectors.household_list(user=user, per_page=per_page, **filters)
    last = page
    while True:
        pages.append([h.pk for h in page.items])
        last = page
        if page.after is None:
            break
        page = selectors.household_list(user=user, per_page=per_page, page=page.page + 1, after=page.after, **filters)
    return pages, last


def test_following_the_cursors_reads_every_row_once_in_order(seven, users) -> None:
    pages, last = walk(users["caseworker_g1"], 3)
    assert pages == [seven[0:3], seven[3:6], seven[6:7]]
    assert last.page == 3 and last.before == seven[6] and last.after is None


def test_going_back_by_the_before_cursor_gives_the_previous_page(seven, users) -> None:
    user = users["caseworker_g1"]
    second = selectors.household_list(user=user, per_page=3, page=2, after=seven[2])
    back = selectors.household_list(user=user, per_page=3, page=1, before=second.before)
    assert [h.pk for h in back.items] == seven[0:3]
    assert back.before is None and back.after == seven[2]


def test_the_cursor_keeps_the_filters(seven, users) -> None:
    pages, _ = walk(users["caseworker_g1"], 2, cause="illness")
    assert pages == [seven[2:4], seven[4:6], seven[6:7]]


def test_a_bad_cursor_is_no_cursor(seven, users) -> None:
    user = users["caseworker_g1"]
    for bad in ("x", "-3", str(2**70)):
        assert [h.pk for h in selectors.household_list(user=user, per_page=3, after=bad).items] == seven[0:3]


def test_the_api_hands_out_the_cursors(seven, client, users) -> None:
    client.force_login(users["caseworker_g1"])
    first = client.get("/api/v1/households", {"per_page": 3}).json()
    assert first["next_after"] == seven[2] and first["previous_before"] is None
    second = client.get("/api/v1/households", {"per_page": 3, "page": 2, "after": first["next_after"]}).json()
    assert [h["id"] for h in second["items"]] == seven[3:6]
    assert client.get("/api/v1/households", {"after": "abc"}).status_code == 422


def test_the_page_links_carry_the_cursor_and_the_filters(seven, client, users, monkeypatch) -> None:
    from bangfu.web.views import households

    monkeypatch.setattr(households, "PER_PAGE", 2)
    client.force_login(users["caseworker_g1"])
    body = client.get(reverse("web:household_list"), {"cause": "illness"}).content.decode()
    assert f"page=2&amp;after={seven[3]}" in body and "cause=illness" in body
    body = client.get(reverse("web:household_list"), {"cause": "illness", "page": 2, "after": seven[3]}).content.decode()
    assert f"page=1&amp;before={seven[4]}" in body and f"page=3&amp;after={seven[5]}" in body
