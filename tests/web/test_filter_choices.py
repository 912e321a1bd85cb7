"""The list filters' regions and unions kept in the process's memory under the area's stamp (issue 19): read, not
queried, while nothing changes; a union created in the area or renamed shows on the very next view; each area sees
its own unions only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.accounts.organisations import grassroots_create

pytestmark = pytest.mark.django_db
LIST = reverse("web:household_list")


def union_options(client, url: str = LIST) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    select = page.split('<select name="union"', 1)[1].split("</select>", 1)[0]
    return select, [q["sql"] for q in captured.captured_queries]


def test_read_once_until_a_union_is_created_or_renamed_in_the_area(login, users, orgs):
    client = login(users["reviewer_xuanwu"])
    first, _ = union_options(client)
    again, queries = union_options(client)
    assert again == first and "玄武某街道工会" in first
    assert not any('FROM "accounts_organisation"' in sql for sql in queries)  # the area's unions from memory
    grassroots_create(actor=users["admin_province"], county=orgs["xuanwu"], name="玄武新建社区工会", kind="community")
    assert "玄武新建社区工会" in union_options(client)[0]
    # a rename through the admin site (audited in the union's area)
    admin = login(users["admin_province"])
    admin.force_login(users["admin_province"].__class__.objects.create_superuser("root", "", "pw-for-tests-123"))
    g2 = orgs["g2"]
    response = admin.post(reverse("admin:accounts_organisation_change", args=[g2.pk]), {"name": "玄武改名街道工会"})
    assert response.status_code == 302, response.content[:300]
    assert "玄武改名街道工会" in union_options(login(users["reviewer_xuanwu"]))[0]


def test_each_area_its_own_unions(login, users):
    xuanwu, _ = union_options(login(users["reviewer_xuanwu"]))
    xishan, _ = union_options(login(users["reviewer_xishan"]))
    assert "玄武某企业工会" in xuanwu and "玄武某企业工会" not in xishan
    nanjing, _ = union_options(login(users["admin_nanjing"]), reverse("web:targets"))
    assert "南京市秦淮区总工会" in nanjing and "无锡市总工会" not in nanjing
    province, _ = union_options(login(users["admin_province"]), reverse("web:targets"))
    assert "无锡市总工会" in province and "玄武某企业工会" not in province  # a province lists no grassroots unions


def test_a_change_in_the_area_replaces_its_choices_in_memory_not_adds_to_them(login, users, orgs):
    """Each change in an area gives its filters a new stamp: the process keeps the area's newest choices only, not
    one copy per past stamp (a province's unions are ~120 KB; a busy province changes every few seconds)."""
    from bangfu.audit.services import audit_log
    from bangfu.reports import snapshots

    client = login(users["reviewer_xuanwu"])
    union_options(client)
    kept = len(snapshots._LOCAL)
    for n in range(5):
        audit_log(actor=users["admin_province"], action="organisation.create", object_type="organisation",
                  object_id=n, area_path=orgs["xuanwu"].path)
        union_options(client)
    assert len(snapshots._LOCAL) == kept
