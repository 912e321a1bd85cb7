"""Role × area × action through the API and the export: the same rule as the querysets, end to end."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

# (user, union of the household) → expected status per action
IN, OUT = "g1", "g4"
MATRIX = [
    # user,              union, view, change, reveal, export-row, add
    ("caseworker_g1",    IN,    200,  200,    200,    True,       201),
    ("caseworker_g1",    OUT,   404,  404,    404,    False,      422),
    ("caseworker_g2",    IN,    404,  404,    404,    False,      422),
    ("reviewer_xuanwu",  IN,    200,  200,    200,    True,       403),
    ("reviewer_xishan",  IN,    404,  404,    404,    False,      422),
    ("admin_nanjing",    IN,    200,  200,    200,    True,       201),
    ("admin_nanjing",    OUT,   404,  404,    404,    False,      422),
    ("admin_province",   OUT,   200,  200,    200,    True,       201),
    ("auditor_province", IN,    200,  403,    403,    None,       403),
    ("auditor_wuxi",     IN,    404,  404,    404,    None,       422),
    ("officer",          IN,    404,  404,    404,    None,       403),
]


def send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("who, union, view, change, reveal, exported, add", MATRIX)
def test_api_matrix(client_for, make_household, orgs, build, who, union, view, change, reveal, exported, add):
    household = make_household(union)
    member = household.members.get(relation="self")
    client = client_for(who)

    assert client.get(f"/api/v1/households/{household.pk}").status_code == view
    assert client.get(f"/api/v1/members/{member.pk}").status_code == view
    listed = {h["id"] for h in client.get("/api/v1/households").json()["items"]}
    assert (household.pk in listed) is (view == 200)

    response = send(client, "patch", f"/api/v1/households/{household.pk}", {"notes": "改", "version": 1})
    assert response.status_code == change
    assert client.post(f"/api/v1/members/{member.pk}/id-number").status_code == reveal

    export = client.get("/api/v1/households/export.xlsx")
    if exported is None:
        assert export.status_code == 403
    else:
        rows = list(load_workbook(io.BytesIO(export.content)).active.values)[1:]
        assert export.status_code == 200 and (household.pk in {r[0] for r in rows}) is exported
        assert all("*" * 10 in (r[2] or "**********") for r in rows)

    payload = {**build.household(region_code=orgs[union].division_code), "union_id": orgs[union].pk,
               "address": "新地址1号"}
    assert send(client, "post", "/api/v1/households", payload).status_code == add
