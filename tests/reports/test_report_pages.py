"""The report pages: figures that open their household lists, drill, the workbook, bad input, access, query counts."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="(/households/\?[^"]+)"', html)]


def test_every_household_figure_opens_a_list_of_that_many(area, users, orgs, login):
    client = login(users["admin_province"])
    response = client.get("/reports/", {"union": orgs["xuanwu"].pk, "year": 2025})
    assert response.status_code == 200
    html = response.content.decode()
    assert "统计报表" in html and "玄武某企业工会" in html
    found = links(html)
    assert len(found) > 10
    for area_row in response.context["house"]["areas"]:
        for key, figure in (("total", area_row["total"]), ("archived", area_row["archived"])):
            listed = client.get(area_row["links"][key])
            assert listed.context["result"].total == figure, area_row["links"][key]
    for _code, _label, n, link in response.context["causes"]:
        assert client.get(link).context["result"].total == n
    g1 = next(a for a in response.context["house"]["areas"] if a["union"] == orgs["g1"])
    assert g1["archived"] == 2 and parse_qs(urlparse(g1["links"]["archived"]).query)["union"] == [str(orgs["g1"].pk)]


def test_drill_links_and_breadcrumbs(area, users, orgs, login):
    client = login(users["admin_province"])
    html = client.get("/reports/", {"year": 2025}).content.decode()
    assert f"?union={orgs['nanjing'].pk}&amp;year=2025" in html
    response = client.get("/reports/", {"union": orgs["nanjing"].pk, "year": 2025})
    assert [u.name for u in response.context["crumbs"]] == ["江苏省总工会", "南京市总工会"]
    assert "1,500.05" not in response.content.decode()  # 南京 paid 500.05 in 2025
    assert response.context["help"]["total"] == Decimal("500.05")


def test_the_report_query_count_does_not_grow_with_the_archive(area, users, orgs, login, make_household,
                                                                django_assert_num_queries):
    """A view reads the stored figures: 4 queries (the user with their union, the last change, the summary, the
    unions of its areas: the figures are JSON naming them by key; the session comes from the cache). After a
    change the first view computes them again: the same number of queries whatever the archive's size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(users["admin_province"])
    assert client.get("/reports/", {"year": 2025}).status_code == 200  # computed and stored
    with django_assert_num_queries(4):
        assert client.get("/reports/", {"year": 2025}).status_code == 200
    misses = []
    for _ in range(2):
        for _ in range(4):
            make_household("g4")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/reports/", {"year": 2025})
        misses.append(len(queries))
    assert misses[0] == misses[1] and misses[0] > 4
    assert response.context["house"]["total"]["total"] == 14  # the new households counted: the figures were refreshed
    with django_assert_num_queries(4):
        assert client.get("/reports/", {"year": 2025}).status_code == 200


def test_article2_goals_shown_with_progress(area, users, orgs, login):
    response = login(users["admin_province"]).get("/reports/", {"year": 2025})
    goals = {g["key"]: (g["done"], g["of"], g["percent"]) for g in response.context["goals"]["goals"]}
    # 4 archived (h1, h2, h4, h6); helped in 2025 by the ledger: h1, h2, h6; h5 exited by work in 2025; none of the
    # archived has income records, so none is counted below the 低保 line
    assert goals == {"helped": (3, 4, Decimal("75.0")), "resolved": (1, 5, Decimal("20.0")),
                     "above_dibao": (4, 4, Decimal("100.0"))}
    html = response.content.decode()
    assert 'value="75.0" max="100"' in html and "帮扶覆盖" in html


def test_the_annual_workbook(area, users, orgs, login):
    client = login(users["admin_province"])
    response = client.get("/reports/export.xlsx", {"year": 2025})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    ws = book["困难职工帮扶统计表"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert re.fullmatch(r"统计时点:2026年11月16日 10:\d\d\(北京时间\)", rows[1][0])  # the suite's clock
    assert rows[2][:5] == ["地区(工会)", "建档户数", "其中:困难", "其中:特困", "全部在册户数"]
    assert rows[3][:5] == ["江苏省总工会", 4, 2, 2, 6] and rows[3][-1] == 1500.05
    assert rows[4][0] == "南京市总工会" and rows[4][-1] == 500.05
    assert all(c.data_type != "f" for sheet in book for row in sheet.iter_rows() for c in row)
    assert {"致困原因", "状态", "建档年份", "月度进出", "资金来源与预算", "帮扶项目"} <= set(book.sheetnames)
    assert [[c.value for c in row] for row in book["帮扶项目"].iter_rows()][1] == ["其他(非项目发放)", 3, 1500.05, None]


def test_the_workbook_states_when_its_figures_were_computed_and_if_newer_are_coming(area, users, orgs, login,
                                                                                   make_household, monkeypatch):
    """An official table states its 统计时点: the workbook prints the stored figures' time, and after a change (the
    job not yet run) says they are being recomputed, the figures still those of that time."""
    from bangfu.reports import tasks

    def main_sheet(client) -> list[list]:
        body = client.get("/reports/export.xlsx", {"year": 2025}).content
        return [[c.value for c in row] for row in load_workbook(io.BytesIO(body))["困难职工帮扶统计表"].iter_rows()]

    client = login(users["admin_province"])
    before = main_sheet(client)
    monkeypatch.setattr(tasks, "refresh_snapshot", lambda *args: None)  # a worker not yet run
    make_household("g1")
    after = main_sheet(client)
    assert "重新统计" not in before[1][0] and after[1][0].startswith(before[1][0] + ";")
    assert "正在重新统计" in after[1][0] and after[3] == before[3]  # the figures of the time stated
    monkeypatch.undo()
    tasks.refresh_snapshot("report", orgs["province"].pk, "2025")
    assert "重新统计" not in main_sheet(client)[1][0]


def test_entitlements_page_and_a_bad_date(area, users, orgs, login):
    client = login(users["admin_province"])
    response = client.get("/reports/entitlements/", {"as_of": "2025-10-01"})
    assert response.status_code == 200
    assert response.context["result"]["areas"][0]["households"] == 4
    assert "第" in response.content.decode()
    bad = client.get("/reports/entitlements/", {"as_of": "1999-01-01"})
    assert bad.status_code == 422 and "测算日期" in bad.content.decode()


@pytest.mark.parametrize(("user", "url", "status"), [
    ("caseworker_g1", "/reports/", 200),
    ("auditor_wuxi", "/reports/", 200),
    ("officer", "/reports/", 403),
    ("auditor_wuxi", "/reports/export.xlsx", 403),
    ("caseworker_g1", "/reports/export.xlsx", 200),
])
def test_access_matrix(area, users, login, user, url, status):
    assert login(users[user]).get(url).status_code == status


def test_outside_the_area_is_a_404(area, users, orgs, login):
    client = login(users["auditor_wuxi"])
    assert client.get("/reports/", {"union": orgs["nanjing"].pk}).status_code == 404
    response = client.get("/reports/")
    assert response.context["house"]["total"]["total"] == 1
    assert client.get("/reports/entitlements/", {"union": orgs["g1"].pk}).status_code == 404


def test_article2_figures_open_their_household_lists(area, users, orgs, login):
    """The archive, those helped in the year, the families that left hardship in it or returned to it, and those below
    the 低保 line, each link listing exactly its figure, within the list's own area restriction (more in
    test_target_lists)."""
    client = login(users["admin_province"])
    response = client.get("/reports/", {"year": 2025})
    goals = {g["key"]: g for g in response.context["goals"]["goals"]}
    figures = {key: (value, link) for key, _label, value, link in response.context["goals"]["figures"]}
    linked = {key: (value, link) for key, (value, link) in figures.items() if link}
    assert set(linked) == {"archived", "helped", "exited_by_work", "social_assistance", "relapsed", "below_dibao"}
    for key, (value, link) in linked.items():
        assert client.get(link).context["result"].total == value, key
    assert figures["exited_by_work"][0] == 1  # h5, closed as exited on 2025-06-15
    assert client.get(goals["resolved"]["links"]["done"]).context["result"].total == goals["resolved"]["done"] == 1
    assert client.get(goals["helped"]["links"]["of"]).context["result"].total == goals["helped"]["of"] == 4
    assert goals["resolved"]["links"]["of"] == ""
    assert client.get(goals["helped"]["links"]["done"]).context["result"].total == goals["helped"]["done"] == 3
    html = response.content.decode()
    assert f'<a href="{goals["resolved"]["links"]["done"].replace("&", "&amp;")}">1</a>' in html
    # another year's exits are not this year's: the 2024 list is empty
    assert client.get("/households/", {"union": orgs["province"].pk, "closed_year": 2024}).context["result"].total == 0
    # 无锡's auditor following the same filter sees none of 南京's exits
    wuxi = login(users["auditor_wuxi"]).get("/households/", {"closed_year": 2025, "closed_as": "exited"})
    assert wuxi.status_code == 200 and wuxi.context["result"].total == 0
