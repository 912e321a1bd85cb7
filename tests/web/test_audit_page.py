"""The audit log page reads in Chinese: actions with their code beside them, objects, 字段:值 data, actors by name."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from bangfu.audit.services import audit_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(users):
    worker = users["caseworker_g1"]
    worker.last_name, worker.first_name = "张", "敏"
    worker.save()
    return worker


def page(client, **params) -> str:
    return client.get(reverse("web:audit_log"), params).content.decode()


def test_actions_objects_and_actors_are_in_chinese_with_the_codes_beside(login, users, named, make_household):
    household = make_household()
    body = page(login(users["auditor_province"]))
    assert "登记家庭" in body and "household.create" in body and "添加家庭成员" in body
    assert f"家庭档案 <span class=\"text-muted\">#{household.pk}</span>" in body
    assert "张敏" in body and "caseworker_g1" in body
    assert "<dl" in body and "家庭住址:</dt>" in body and "享受城市低保:</dt> <dd" in body
    assert "{&quot;" not in body and "&quot;address&quot;" not in body  # no raw JSON any more


def test_the_data_shows_chinese_labels_choices_and_booleans(login, users, orgs):
    officer = users["officer"]
    with transaction.atomic():
        audit_log(actor=officer, action="exchange.department_upload", object_type="import_job", object_id=6,
                  area_path=orgs["province"].path, after={"department": "civil_affairs", "name": "低保.csv"})
        audit_log(actor=users["admin_province"], action="admin.user.change", object_type="user", object_id=officer.pk,
                  area_path=orgs["province"].path, before={"is_active": "True"}, after={"is_active": "False"})
        audit_log(actor=users["admin_province"], action="ledger.export", object_type="ledger",
                  area_path=orgs["province"].path, after={"filters": {"fund_source": "fiscal"}, "rows": 0})
    body = page(login(users["auditor_province"]))
    assert "上传部门数据" in body and "导入任务 <span class=\"text-muted\">#6</span>" in body
    assert "部门:</dt> <dd class=\"d-inline mb-0 text-break\">民政" in body and "civil_affairs" not in body
    assert "后台修改用户" in body and "有效:</dt> <dd class=\"d-inline mb-0 text-break\">否" in body
    assert "导出资金台账" in body and "筛选条件·资金来源:" in body and "财政资金" in body
    assert "行数:</dt> <dd class=\"d-inline mb-0 text-break\">0" in body


def test_filtering_by_code_still_works_and_the_htmx_answer_is_presented_too(login, users, make_household):
    make_household()
    client = login(users["auditor_province"])
    text = client.get(reverse("web:audit_log"), {"action": "member.add"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in text and "添加家庭成员" in text and "登记家庭" not in text


def test_id_numbers_stay_masked_on_the_page(login, users, make_household):
    household = make_household()
    numbers = [m.id_number for m in household.members.all()]
    body = page(login(users["auditor_province"]), action="member.add")
    assert all(n not in body and f"{n[:4]}**********{n[-4:]}" in body for n in numbers)


def test_the_page_costs_no_query_per_actor(login, users, named, make_household, django_assert_max_num_queries):
    make_household("g1")
    make_household("g2")
    make_household("g4")
    auditor = login(users["auditor_province"])
    with django_assert_max_num_queries(5):  # the fifth: the unions, households… the page's rows name, all at once
        assert "张敏" in page(auditor)


def test_a_union_named_by_id_is_shown_by_name(login, users, orgs, make_household):
    """Issue 17: 所属工会: 2474 became 所属工会: the union's name, before and after a change."""
    household = make_household("g1")
    with transaction.atomic():
        audit_log(actor=users["caseworker_g1"], action="household.update", object_type="household",
                  object_id=household.pk, area_path=orgs["g1"].path, before={"union": orgs["g1"].pk},
                  after={"union": orgs["g2"].pk})
    body = page(login(users["auditor_province"]), action="household.update")
    cell = '所属工会:</dt> <dd class="d-inline mb-0 text-break">{}</dd>'
    assert cell.format(orgs["g1"].name) in body and cell.format(orgs["g2"].name) in body
    assert cell.format(orgs["g1"].pk) not in body and cell.format(orgs["g2"].pk) not in body


def test_codes_under_keys_of_other_models_read_in_chinese_and_the_filter_lists_the_actions(login, users, orgs):
    """Issue 17, item 10: a household's row naming a department (a key of another app's model) shows 民政; the
    action filter is a list of the actions by their Chinese names, no code to type."""
    with transaction.atomic():
        audit_log(actor=users["caseworker_g1"], action="household.update", object_type="household", object_id=9,
                  area_path=orgs["g1"].path, before={"department": "human_resources"},
                  after={"department": "civil_affairs"})
    body = page(login(users["auditor_province"]))
    assert "civil_affairs" not in body and "human_resources" not in body
    assert "民政" in body and "人力资源社会保障" in body
    assert '<select name="action"' in body and '<option value="household.update">修改家庭信息</option>' in body
    assert "如 household.update" not in body
