"""Audit rows for people: Chinese actions and objects, 字段:值 pairs with Chinese labels, the actor by name."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from bangfu.audit.models import AuditEntry
from bangfu.audit.presenters import Pair, actor_display, data_pairs, format_value, present, present_entry
from bangfu.common.ids import mask_id_number


def pairs(data, object_type) -> dict[str, str]:
    return {p.label: p.value for p in data_pairs(data, object_type)}


def test_an_export_shows_its_filters_flattened_with_chinese_labels_and_choice_labels():
    shown = pairs({"filters": {"q": "张伟", "status": "archived", "category": "hardship", "cause": "illness"},
                   "rows": 0, "at": "2026-01-05T09:30:00+08:00"}, "household")
    assert shown == {"筛选条件·关键词": "张伟", "筛选条件·状态": "已建档", "筛选条件·核定类别": "困难",
                     "筛选条件·致困原因": "因病", "行数": "0", "时间": "2026-01-05 09:30:00"}


def test_model_fields_are_labelled_by_their_verbose_name_and_choices_and_booleans_read_in_chinese():
    assert pairs({"department": "civil_affairs", "is_active": True, "role": "department_officer", "name": "王芳"},
                 "user") == {"部门": "民政", "有效": "是", "角色": "部门数据专员", "姓名": "王芳"}
    assert pairs({"is_active": False}, "user") == {"有效": "否"}
    assert pairs({"active": True, "removed": False, "relation": "spouse"}, "member") == {
        "在册": "是", "已移出": "否", "与职工本人关系": "配偶"}
    assert pairs({"state": "public_notice", "version": 3}, "case") == {"状态": "公示中", "版本": "3"}


def test_nothing_is_a_dash_lists_are_joined_and_deeper_data_stays_compact():
    shown = pairs({"notes": None, "phone": "", "hardship_causes": ["illness", "disability"],
                   "filters": {}, "data": {"a": {"b": 1}}}, "household")
    assert shown["备注"] == "—" and shown["联系电话"] == "—" and shown["筛选条件"] == "—"
    assert shown["致困原因"] == "因病、因残"
    assert shown["data·a"] == '{"b": 1}'
    assert data_pairs(None, "household") == [] and data_pairs({}, "household") == []
    assert data_pairs([1, 2], "household") == [Pair("值", "1、2")]


def test_keys_by_object_type_and_unknown_keys():
    assert pairs({"name": "导入.xlsx", "size": 10, "mode": "clean_only"}, "import_job") == {
        "文件名": "导入.xlsx", "文件大小(字节)": "10", "导入方式": "只导入无误的家庭"}
    assert pairs({"department": "civil_affairs", "matched": 2}, "import_job") == {"部门": "民政", "匹配家庭数": "2"}
    assert pairs({"something_new": 1}, "nothing_known") == {"something_new": "1"}


def test_the_admins_string_snapshots_read_as_booleans_and_nothing():
    assert pairs({"is_active": "False", "email": "None", "username": "x"}, "user") == {
        "有效": "否", "电子邮件地址": "—", "用户名": "x"}


def test_id_numbers_stay_masked_and_are_never_unmasked():
    number = "320102199005050033"
    masked = mask_id_number(number)
    assert format_value(masked) == masked
    assert pairs({"id_number": masked}, "member") == {"身份证号码": masked}
    # A full number that reached a row some other way is masked on the page all the same.
    assert number not in format_value(f"搜索 {number}") and masked in format_value(f"搜索 {number}")
    assert number not in str(pairs({"filters": {"q": number}}, "household"))


def test_times_are_shown_in_local_time():
    moment = datetime.datetime(2026, 1, 5, 1, 30, tzinfo=datetime.UTC)
    assert format_value(moment.isoformat()) == "2026-01-05 09:30:00"
    assert format_value("2026-13-45T99:99") == "2026-13-45T99:99"


@pytest.mark.django_db
def test_the_actor_is_named_family_name_first_with_the_username(users):
    user = users["caseworker_g1"]
    user.last_name, user.first_name = "张", "敏"
    assert actor_display(AuditEntry(actor=user, actor_name=user.username)) == ("张敏", "caseworker_g1")
    nameless = users["reviewer_xuanwu"]
    assert actor_display(AuditEntry(actor=nameless, actor_name=nameless.username)) == ("reviewer_xuanwu", "")
    assert actor_display(AuditEntry(actor=None, actor_name="system")) == ("系统", "")


@pytest.mark.django_db
def test_a_row_written_by_a_service_is_presented_whole(make_household, users):
    make_household()
    entry = AuditEntry.objects.select_related("actor").get(action="household.create")
    view = present_entry(entry)
    assert view.action == "登记家庭" and view.object_type == "家庭档案" and view.before == []
    after = {p.label: p.value for p in view.after}
    assert after["状态"] == "申请" and after["致困原因"] == "因病" and after["享受城市低保"] == "否"
    assert "备注" not in after  # a new record's empty fields are left out
    assert all(not p.label.isascii() for p in view.after), [p.label for p in view.after if p.label.isascii()]
    members = present(AuditEntry.objects.select_related("actor").filter(action="member.add"))
    assert len(members) == 3 and all("*" in {p.label: p.value for p in m.after}["身份证号码"] for m in members)
    assert timezone.is_aware(view.entry.at)


@pytest.mark.django_db
def test_in_a_change_a_cleared_value_is_shown_as_a_dash(users):
    entry = AuditEntry(actor=users["caseworker_g1"], actor_name="caseworker_g1", action="household.update",
                       object_type="household", before={"notes": "旧备注"}, after={"notes": ""})
    view = present_entry(entry)
    assert view.before == [Pair("备注", "旧备注")] and view.after == [Pair("备注", "—")]


def test_unions_households_members_and_users_named_by_id_are_shown_by_name(make_household, users, orgs):
    """所属工会: 2474 read nothing to an auditor: the union, household, member and user a row names by id are shown by
    name, read once for the page; an id of a row since deleted, or of no named kind, stays as it is."""
    household = make_household()
    member = household.members.order_by("pk").first()
    caseworker = users["caseworker_g1"]
    created = AuditEntry.objects.select_related("actor").get(action="household.create")
    moved = AuditEntry(actor=caseworker, actor_name="caseworker_g1", action="household.update",
                       object_type="household", object_id=str(household.pk),
                       before={"union": orgs["g1"].pk}, after={"union": orgs["g2"].pk})
    other = AuditEntry(actor=caseworker, actor_name="caseworker_g1", action="ledger.request", object_type="ledger",
                       after={"household_id": household.pk, "member": member.pk, "user_id": caseworker.pk,
                              "union_id": 999999, "entry": 7, "amount": "300.00"})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        views = present([created, moved, other])
    assert len(captured) == 1  # one query for every kind named, whatever the number of rows
    assert {p.label: p.value for p in views[0].after}["所属工会"] == orgs["g1"].name
    assert views[1].before == [Pair("所属工会", orgs["g1"].name)] and views[1].after == [Pair("所属工会", orgs["g2"].name)]
    shown = {p.label: p.value for p in views[2].after}
    assert shown == {"家庭": f"{household.pk}号家庭({household.address})", "家庭成员": member.name,
                     "用户": "caseworker_g1", "发放工会": "999999",  # a union since gone keeps its id
                     "台账记录编号": "7", "金额(元)": "300.00"}
