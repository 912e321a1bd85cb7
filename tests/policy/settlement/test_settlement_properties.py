"""Properties of the settlement over random valid bills (spec/settlement.md).

1. The layers never pay more than the bill, no layer is negative, the family's share never below 0.
2. A year's bills settled one by one, each with the `year_to_date` of the answer before, equal the same bills
   settled as one chained batch; and any batch equals its bills settled alone.
3. A hardship member never pays more than an ordinary insured person for the same bill.
"""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.policy.settlement import parse_bill, settle, settle_chained, settle_many

CITIES = ["320100", "320200", "320300", "320500", "321300"]
YTD = ["basic_paid", "critical_base", "critical_paid", "assistance_base", "assistance_paid", "mutual_aid_paid"]

fen = st.integers(min_value=0, max_value=30_000_000).map(lambda c: c / 100)


@st.composite
def bill(draw) -> dict:
    total = draw(fen)
    in_scope = draw(st.integers(min_value=0, max_value=int(round(total * 100)))) / 100
    return {"kind": draw(st.sampled_from(["inpatient", "outpatient"])),
            "hospital_level": draw(st.sampled_from(["community", "secondary", "tertiary"])),
            "total": total, "in_scope": in_scope,
            "emergency": draw(st.booleans()), "unpaid": draw(st.booleans())}


@st.composite
def local(draw) -> dict:
    out = {}
    if draw(st.booleans()):
        out["basic"] = {"threshold": draw(fen), "ratio": draw(st.sampled_from([0, 0.5, 0.85, 1])),
                        "cap": draw(st.one_of(st.none(), fen))}
    if draw(st.booleans()):
        bounds = sorted(set(draw(st.lists(st.integers(1, 500_000), max_size=3))))
        segments = [{"to": b, "ratio": draw(st.sampled_from([0.5, 0.6, 0.95, 1]))} for b in bounds]
        segments.append({"to": None, "ratio": draw(st.sampled_from([0.7, 1]))})
        out["critical"] = {"normal_threshold": draw(fen), "segments": segments,
                           "bonus_points": draw(st.integers(5, 10)), "cap": draw(st.one_of(st.none(), fen))}
    if draw(st.booleans()):
        out["assistance"] = {"threshold": draw(fen), "ratio": draw(st.sampled_from([0.3, 0.7, 1])),
                             "cap": draw(st.one_of(st.none(), fen))}
    if draw(st.booleans()):
        out["mutual_aid"] = {"threshold": draw(fen), "ratio": 0.5, "cap": draw(fen)}
    if draw(st.booleans()):
        out["emergency"] = {"cap": draw(st.one_of(st.none(), fen))}
    return out


@st.composite
def member(draw) -> dict:
    return {"region": draw(st.sampled_from(CITIES)),
            "category": draw(st.sampled_from(["none", "hardship", "extreme_hardship"])),
            "archived": draw(st.booleans()),
            "member": {"relation": draw(st.sampled_from(["self", "spouse", "child", "parent"])),
                       "scheme": draw(st.sampled_from(["resident", "employee"])),
                       "serious_illness": draw(st.booleans()), "mutual_aid": draw(st.booleans())},
            "local": draw(st.one_of(st.just({}), local()))}


@st.composite
def document(draw) -> dict:
    day = draw(st.dates(datetime.date(2018, 6, 1), datetime.date(2026, 12, 31)))
    ytd = {k: draw(fen) for k in YTD if draw(st.booleans())}
    return {"as_of": day.isoformat(), **draw(member()), "bill": draw(bill()), "year_to_date": ytd}


@st.composite
def year_of_bills(draw) -> list[dict]:
    """One member's bills of one year, in date order."""
    head = draw(member())
    year = draw(st.integers(2019, 2026))
    days = sorted(draw(st.lists(st.dates(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
                                min_size=1, max_size=5)))
    return [{"as_of": d.isoformat(), **head, "bill": draw(bill())} for d in days]


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(document())
def test_layers_never_pay_more_than_the_bill(doc):
    answer = settle(doc)
    amounts = [layer["amount"] for layer in answer["layers"]]
    assert all(a >= 0 for a in amounts)
    assert sum(amounts) <= answer["total"]
    assert sum(amounts[:4]) <= answer["in_scope"]  # only the emergency relief pays outside the catalogue
    assert answer["out_of_pocket"] >= 0
    assert answer["out_of_pocket"] + answer["paid_by_schemes"] == answer["total"]


@SETTINGS
@given(st.lists(year_of_bills(), min_size=1, max_size=4))
def test_bills_one_by_one_equal_one_chained_batch(years):
    one_by_one = []
    for bills in years:
        ytd: dict = {}
        for doc in bills:
            answer = settle({**doc, "year_to_date": ytd})
            ytd = {k: float(v) for k, v in answer["year_to_date"].items()}
            one_by_one.append(answer)
    flat = [doc for bills in years for doc in bills]
    keys = [i for i, bills in enumerate(years) for _ in bills]
    assert settle_chained([parse_bill(d) for d in flat], keys) == one_by_one


@SETTINGS
@given(st.lists(document(), min_size=1, max_size=6))
def test_a_batch_equals_its_bills_settled_alone(docs):
    assert settle_many(docs) == [settle(d) for d in docs]


@SETTINGS
@given(document())
def test_a_hardship_member_never_pays_more_than_an_ordinary_one(doc):
    ordinary = copy.deepcopy(doc)
    ordinary.update(category="none", archived=False)
    for category in ("hardship", "extreme_hardship"):
        hardship = {**copy.deepcopy(doc), "category": category, "archived": True}
        assert settle(hardship)["out_of_pocket"] <= settle(ordinary)["out_of_pocket"] + Decimal("0.00")
