"""Pages answer odd query parameters (years, pages, ids, dates out of range) with a page or a 4xx, never a 500."""

import pytest

pytestmark = pytest.mark.django_db
URLS = ["/", "/households/", "/ledger/", "/ledger/requests/", "/ledger/budgets/", "/targets/", "/alerts/", "/imports/",
        "/audit/", "/users/"]
BAD = ["year=-1", "year=0", "year=10000", "year=99999999999999999999", "page=99999999999999999999",
       "union=99999999999999999999", "as_of=0001-01-01", "as_of=9999-12-31", "since=0001-01-01",
       "until=9999-12-31", "household=99999999999999999999", "status=%ff"]


@pytest.mark.parametrize("url", URLS)
def test_odd_query_parameters_never_answer_500(client, users, url):
    client.force_login(users["admin_province"])
    for query in BAD:
        assert client.get(f"{url}?{query}").status_code < 500, (url, query)


@pytest.mark.parametrize("url", ["/households/{pk}/plans/10000/", "/households/{pk}/plans/0/",
                                 "/households/{pk}/entitlements/?as_of=9999-12-31",
                                 "/households/{pk}/?as_of=0001-01-01"])
def test_odd_years_and_dates_on_a_file_never_answer_500(client, users, make_household, url):
    household = make_household()
    client.force_login(users["caseworker_g1"])
    assert client.get(url.format(pk=household.pk)).status_code < 500
