"""Article 2's figures open the household lists behind them (issue 14): those helped in the year (a net payment in
the ledger or a measure completed: one rule for the figure and the list) and the archive below or not below the
低保 line today (the engine's income rule), and those returned to hardship in the year; each list's count equals its
figure on a fixture whose answer is known."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from bangfu.cases.models import Measure, Plan
from bangfu.cases.parameters import add_months
from bangfu.common import clock
from bangfu.ledger.models import LedgerEntry
from bangfu.registry.models import IncomeRecord

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def helped_and_poor(area, users, orgs):
    """On top of the area (paid in 2025: h1, h2, h6): h4 helped by a measure completed in 2025, h1 too (counted
    once); h5 paid in 2025 and the payment reversed (net nothing: not helped); h2's case opened in 2025 as a return to
    hardship (返贫), h4's in 2024 as one (not this year's). Incomes of the last 12 months: h1
    300 yuan a month for three (below any 低保 line), h2 30,000; h4 and h6 none recorded (not counted below)."""
    cw = users["caseworker_g1"]
    for key in ("h4", "h1"):
        plan = Plan.objects.create(case=area[key].cases.get(), year=2025, created_by=cw)
        done = Measure.objects.create(plan=plan, kind="visit", title="走访慰问", department="union", owner=cw,
                                      due_on=D(2025, 10, 1), created_by=cw, status="done")
        Measure.objects.filter(pk=done.pk).update(updated_at=datetime.datetime(2025, 10, 2, 9, tzinfo=clock.ZONE))
    paid = LedgerEntry.objects.create(household=area["h5"], union=orgs["g3"], amount=Decimal("80.00"),
                                      paid_on=D(2025, 4, 1), fund_source="charity", description="慰问",
                                      recorded_by=cw, approved_by=users["reviewer_xuanwu"])
    LedgerEntry.objects.create(household=area["h5"], union=orgs["g3"], amount=Decimal("-80.00"), paid_on=D(2025, 4, 2),
                               fund_source="charity", description="冲正", recorded_by=cw,
                               approved_by=users["reviewer_xuanwu"], reversal_of=paid)
    for key, opened in (("h2", datetime.datetime(2025, 3, 1, 9, tzinfo=clock.ZONE)),
                        ("h4", datetime.datetime(2024, 12, 31, 23, 30, tzinfo=clock.ZONE))):
        area[key].cases.update(is_relapse=True, opened_at=opened)
    this_month = clock.today().replace(day=1)
    for key, amount in (("h1", "300"), ("h2", "30000")):
        for i in range(1, 13):
            IncomeRecord.objects.create(household=area[key], month=add_months(this_month, -i), source="wages",
                                        amount=Decimal(amount))
    return area


def listed(client, link: str) -> set[int]:
    return {h.pk for h in client.get(link).context["result"].items}


def test_every_article2_figure_opens_a_list_of_exactly_its_households(helped_and_poor, users, login):
    hs = helped_and_poor
    client = login(users["admin_province"])
    response = client.get("/reports/", {"year": 2025})
    figures = {key: (value, link) for key, _label, value, link in response.context["goals"]["figures"]}
    assert figures["helped"][0] == 4 and figures["below_dibao"][0] == 1 and figures["archived"][0] == 4
    assert figures["relapsed"][0] == 1
    for key, (value, link) in figures.items():
        assert client.get(link).context["result"].total == value, key
    assert listed(client, figures["relapsed"][1]) == {hs["h2"].pk}
    assert listed(client, figures["helped"][1]) == {hs[k].pk for k in ("h1", "h2", "h4", "h6")}
    assert listed(client, figures["below_dibao"][1]) == {hs["h1"].pk}
    goals = {g["key"]: g for g in response.context["goals"]["goals"]}
    above = goals["above_dibao"]
    assert above["done"] == 3 and listed(client, above["links"]["done"]) == {hs[k].pk for k in ("h2", "h4", "h6")}
    assert client.get(goals["helped"]["links"]["done"]).context["result"].total == goals["helped"]["done"] == 4


def test_a_family_is_counted_once_however_many_of_its_cases(helped_and_poor, users, login):
    """h2 returned to hardship twice in 2025 (an earlier return, closed as exited in the year, and the open one): one
    family in the figures of returns and of exits, as in their lists."""
    from bangfu.cases.models import Case

    h2 = helped_and_poor["h2"]
    Case.objects.create(household=h2, episode=8, is_relapse=True, state="exited", closed_on=D(2025, 2, 20),
                        opened_at=datetime.datetime(2025, 1, 5, 9, tzinfo=clock.ZONE))
    Case.objects.create(household=h2, episode=7, state="exited", closed_on=D(2025, 1, 3),
                        opened_at=datetime.datetime(2024, 1, 5, 9, tzinfo=clock.ZONE))
    client = login(users["admin_province"])
    figures = {key: (value, link) for key, _label, value, link in
               client.get("/reports/", {"year": 2025}).context["goals"]["figures"]}
    assert figures["relapsed"][0] == 1 == client.get(figures["relapsed"][1]).context["result"].total
    assert figures["exited_by_work"][0] == client.get(figures["exited_by_work"][1]).context["result"].total


def test_a_user_of_no_union_gets_an_empty_list_not_an_error(helped_and_poor, users):
    """The pages refuse a user of no union before listing; the registry's selector, which other callers reach too,
    gives such a user nothing under any of Article 2's filters."""
    from bangfu.registry.selectors import household_queryset

    user = users["caseworker_g1"]
    type(user).objects.filter(pk=user.pk).update(organisation=None)
    user.refresh_from_db()
    for target in ({"helped": 2025}, {"relapsed": 2025}, {"dibao": "below"}, {}):
        assert list(household_queryset(user=user, **target)) == [], target


def test_the_lists_keep_to_the_union_and_the_user_s_area(helped_and_poor, users, orgs, login):
    """南京's figures: helped h1, h2, h4 (h6 is 无锡's); a 无锡 auditor's list of the same filter shows only 无锡's."""
    client = login(users["admin_province"])
    response = client.get("/reports/", {"union": orgs["nanjing"].pk, "year": 2025})
    figures = {key: (value, link) for key, _label, value, link in response.context["goals"]["figures"]}
    assert figures["helped"][0] == 3 == client.get(figures["helped"][1]).context["result"].total
    wuxi = login(users["auditor_wuxi"]).get("/households/", {"helped": 2025})
    assert {h.pk for h in wuxi.context["result"].items} == {helped_and_poor["h6"].pk}


def test_the_targets_page_links_its_figures(helped_and_poor, users, login):
    client = login(users["admin_province"])
    response = client.get("/targets/", {"year": 2025})
    rows = {key: (value, link) for key, _label, value, link in response.context["rows"]}
    assert rows["helped"][0] == 4 and rows["below_dibao"][0] == 1
    for key, (value, link) in rows.items():
        if link:
            assert client.get(link).context["result"].total == value, key
    assert "数据更新于" in response.content.decode()


def test_the_below_dibao_list_pages_through_stored_ids_computed_once_per_change(helped_and_poor, users, orgs, login,
                                                                               make_household, monkeypatch):
    from bangfu.cases import targets

    client = login(users["admin_province"])
    link = {"union": orgs["province"].pk, "status": "in_archive", "dibao": "below"}
    assert client.get("/households/", link).context["result"].total == 1  # computed and stored
    rule = targets.below_dibao_ids
    monkeypatch.setattr(targets, "below_dibao_ids", lambda **kw: pytest.fail("the income rule run again"))
    assert client.get("/households/", {**link, "page": 1}).context["result"].total == 1
    assert client.get("/households/", {**link, "dibao": "above"}).context["result"].total == 3
    monkeypatch.setattr(targets, "below_dibao_ids", rule)
    helped_and_poor["h2"].incomes.all().update(amount=Decimal("1"))  # h2 now poor, but no change recorded yet
    assert client.get("/households/", link).context["result"].total == 1  # the stored ids stand
    make_household("g1")  # a change in the area (an audit row): computed again
    assert client.get("/households/", link).context["result"].total == 2


def test_after_a_change_the_below_dibao_list_shows_the_stored_ids_while_the_queue_computes_them(
        helped_and_poor, users, orgs, login, make_household, monkeypatch):
    """The income rule over the archive runs in a job (one per change, whoever views the list), never in the list's
    request once ids are stored; the report's job stores them with its figures."""
    from bangfu.cases import targets
    from bangfu.reports import tasks

    client = login(users["admin_province"])
    link = {"union": orgs["province"].pk, "status": "in_archive", "dibao": "below"}
    assert client.get("/reports/", {"year": 2025}).status_code == 200  # the report stores the ids too
    monkeypatch.setattr(targets, "below_dibao_ids", lambda **kw: pytest.fail("the income rule run in the request"))
    assert client.get("/households/", link).context["result"].total == 1
    helped_and_poor["h2"].incomes.all().update(amount=Decimal("1"))
    queued = []
    monkeypatch.setattr(tasks, "refresh_snapshot", lambda *args: queued.append(args))  # a worker not yet run
    make_household("g1")
    for user in ("admin_province", "auditor_province"):
        response = login(users[user]).get("/households/", link)
        assert response.context["result"].total == 1  # the stored ids, with their time
        assert not response.context["dibao_stored"].fresh and "正在重新统计" in response.content.decode()
    assert queued == [("below", orgs["province"].pk, "")]
    monkeypatch.undo()
    tasks.refresh_snapshot(*queued[0])  # the worker
    monkeypatch.setattr(targets, "below_dibao_ids", lambda **kw: pytest.fail("the income rule run in the request"))
    response = client.get("/households/", link)
    assert response.context["result"].total == 2 and response.context["dibao_stored"].fresh
    assert "比对统计于" in response.content.decode() and "正在重新统计" not in response.content.decode()
    assert "比对统计于" not in client.get("/households/", {"union": orgs["province"].pk}).content.decode()
