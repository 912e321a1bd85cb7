"""The stored report figures are JSON, not pickles: what is read back equals what was computed (types too, Decimals
to the last digit), the unions come back in one query, and a row holds data that can never run code."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest

from bangfu.accounts.models import Organisation
from bangfu.reports import codec, snapshots
from bangfu.reports.models import ReportSnapshot

pytestmark = pytest.mark.django_db


def same(loaded, fresh, where="figures") -> None:
    """Equal, of the same types all the way down (a Counter read as a dict, a choice as its text), and every
    Decimal written the same (1.0 is not 1.00)."""
    assert type(loaded) is type(fresh) or (isinstance(fresh, dict) and type(loaded) is dict) or (
        isinstance(fresh, str) and type(loaded) is str), where
    if isinstance(fresh, dict):
        assert list(loaded) == list(fresh), where
        for key in fresh:
            same(loaded[key], fresh[key], f"{where}[{key!r}]")
    elif isinstance(fresh, list | tuple):
        assert len(loaded) == len(fresh), where
        for i, (a, b) in enumerate(zip(loaded, fresh, strict=True)):
            same(a, b, f"{where}[{i}]")
    elif isinstance(fresh, Decimal):
        assert str(loaded) == str(fresh), where
    elif isinstance(fresh, Organisation):
        assert (loaded.pk, loaded.name, loaded.path) == (fresh.pk, fresh.name, fresh.path), where
    else:
        assert loaded == fresh, where


def test_the_report_figures_read_back_equal_those_computed(area, users, orgs, monkeypatch):
    from bangfu.reports import selectors

    user = users["admin_province"]
    fresh = snapshots.report_figures(user=user, union=orgs["province"], year=2025, background=False)
    assert fresh.value["help"]["total"] == Decimal("1500.05")
    row = ReportSnapshot.objects.get(key=f"report:{orgs['province'].pk}:2025")
    assert json.loads(row.data)["help"]["total"] == {"$": "decimal", "v": "1500.05"}
    monkeypatch.setattr(selectors, "household_report", lambda **kw: pytest.fail("computed again"))
    loaded = snapshots.report_figures(user=user, union=orgs["province"], year=2025, background=False)
    assert loaded.fresh
    same(loaded.value, fresh.value)
    assert loaded.value["house"]["areas"][1]["union"] == orgs["nanjing"]


@pytest.mark.parametrize("url", ["/reports/", "/reports/entitlements/"])
def test_the_pages_from_stored_figures_are_those_computed(area, users, orgs, login, url):
    client = login(users["admin_province"])
    params = {"year": 2025, "as_of": "2025-10-01"}
    snapshots.entitlement_figures(user=users["admin_province"], union=orgs["province"],
                                  as_of=datetime.date(2025, 10, 1), background=False)
    ReportSnapshot.objects.all().delete()
    computed = client.get(url, params)
    assert computed.status_code == 200 and ReportSnapshot.objects.exists()
    loaded = client.get(url, params)
    assert loaded.context["stored"].fresh
    assert page(loaded) == page(computed)


def page(response) -> str:
    """The page without its CSRF tokens (masked anew on every response)."""
    import re

    return re.sub(r'(csrfmiddlewaretoken" value="|CSRFToken": ")[^"]+', r"\1", response.content.decode())


def test_the_entitlements_read_back_equal_those_computed(area, users, orgs):
    user, as_of = users["admin_province"], datetime.date(2025, 10, 1)
    fresh = snapshots.entitlement_figures(user=user, union=orgs["province"], as_of=as_of, background=False)
    loaded = snapshots.entitlement_figures(user=user, union=orgs["province"], as_of=as_of, background=False)
    assert loaded.fresh and fresh.value["benefits"]
    same(loaded.value, fresh.value)
    assert loaded.value["as_of"] == as_of and isinstance(loaded.value["total_cash"], Decimal)


def test_the_unions_come_back_in_one_query(orgs, django_assert_num_queries):
    value = {"areas": [{"union": orgs[k]} for k in ("province", "nanjing", "wuxi", "g1")], "n": (1, "a")}
    data = codec.encode(value)
    with django_assert_num_queries(1):
        assert codec.decode(data) == value
    with django_assert_num_queries(0):  # the union in hand is not read again, nor are unions when there are none
        assert codec.decode(codec.encode({"u": orgs["g1"]}), known={orgs["g1"].pk: orgs["g1"]})["u"] is orgs["g1"]
        assert codec.decode(codec.encode([Decimal("0.10"), datetime.date(2025, 1, 2)])) == [Decimal("0.10"),
                                                                                           datetime.date(2025, 1, 2)]


def test_awkward_values_round_trip():
    value = {"$": 1, 2025: "year as key", "t": (Decimal("-0.00"), None, True), "f": 0.5,
             "at": datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.UTC), "nested": [[(1, 2)], {}]}
    back = codec.loads(codec.dumps(value))
    assert back == value and str(back["t"][0]) == "-0.00" and type(back["nested"][0][0]) is tuple


def test_anything_else_is_refused_when_stored(area):
    for bad in (object(), area["h1"], {1, 2}, b"\x80\x04", Organisation(name="未保存")):
        with pytest.raises(TypeError):
            codec.dumps({"x": [bad]})


def test_a_row_is_data_and_never_code(orgs):
    with pytest.raises(ValueError, match="unknown tag"):
        codec.decode({"x": {"$": "os.system", "v": "touch /tmp/owned"}})
    with pytest.raises(ValueError, match="not a stored figure"):
        codec.decode(1.5)


def test_a_figure_naming_a_vanished_union_is_computed_again(area, users, orgs):
    user, key = users["admin_province"], f"report:{orgs['province'].pk}:2025"
    snapshots.report_figures(user=user, union=orgs["province"], year=2025, background=False)
    row = ReportSnapshot.objects.get(key=key)
    data = json.loads(row.data)
    data["house"]["areas"][1]["union"] = {"$": "union", "v": 987654}
    row.data = json.dumps(data)
    row.save()
    again = snapshots.report_figures(user=user, union=orgs["province"], year=2025, background=False)
    assert again.value["house"]["areas"][1]["union"] == orgs["nanjing"]
    assert json.loads(ReportSnapshot.objects.get(key=key).data)["house"]["areas"][1]["union"] == {
        "$": "union", "v": orgs["nanjing"].pk}
