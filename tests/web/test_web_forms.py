"""Writing pages: register a household of three, edit it and its members, per-field errors, duplicates."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from bangfu.registry.models import Household

pytestmark = pytest.mark.django_db

MANAGEMENT = {"m-TOTAL_FORMS": "3", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "1", "m-MAX_NUM_FORMS": "20"}


def member_fields(index: int, **values) -> dict:
    base = {"employment": "none", "work_ability": "full", "health": "healthy", "willing_to_work": "on"}
    return {f"m-{index}-{k}": v for k, v in {**base, **values}.items()}


def family_of_three(orgs, build, **household) -> dict:
    return {
        "union": str(orgs["g1"].pk), "address": "南京市玄武区珠江路88号3栋502室", "phone": "13912345678",
        "proposed_category": "hardship", "hardship_causes": ["illness", "education"], **household, **MANAGEMENT,
        **member_fields(0, name="王强", id_number=build.id_number("320100", datetime.date(1982, 4, 2)),
                        relation="self", employment="registered_unemployed"),
        **member_fields(1, name="刘梅", id_number=build.id_number("320100", datetime.date(1984, 8, 9), "female"),
                        relation="spouse", employment="employed"),
        **member_fields(2, name="王小雨", id_number=build.id_number("320102", datetime.date(2016, 3, 1), "female"),
                        relation="child", employment="student", school_stage="primary", school_year="3",
                        school_institution="public", school_name="玄武区第一小学"),
    }


def test_register_form_renders_with_chinese_labels_and_shortcuts(login, users):
    body = login(users["caseworker_g1"]).get(reverse("web:household_create")).content.decode()
    assert "家庭住址" in body and "身份证号码" in body and "与职工本人关系" in body
    assert 'accesskey="s"' in body and "Alt+S" in body and "autofocus" in body
    assert 'id="member-template"' in body


def test_register_a_household_of_three_with_a_school_child(login, users, orgs, build):
    response = login(users["caseworker_g1"]).post(reverse("web:household_create"), family_of_three(orgs, build))
    assert response.status_code == 302
    household = Household.objects.get()
    assert response["Location"] == reverse("web:household_detail", args=[household.pk])
    members = list(household.members.order_by("position"))
    assert [m.name for m in members] == ["王强", "刘梅", "王小雨"]
    assert members[2].school_stage == "primary" and members[2].birth_date == datetime.date(2016, 3, 1)
    assert household.hardship_causes == ["illness", "education"] and household.region_code == "320102"


def test_register_shows_errors_on_the_fields(login, users, orgs, build):
    data = family_of_three(orgs, build, address="")
    data["m-1-id_number"] = "320102199001011234"
    data["m-2-school_year"] = ""
    response = login(users["caseworker_g1"]).post(reverse("web:household_create"), data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert response.context["form"].errors["address"]
    assert "身份证号码无效" in formset.forms[1].errors["id_number"][0]
    assert "年级" in formset.forms[2].errors["school_year"][0]
    assert not Household.objects.exists()
    assert "is-invalid" in response.content.decode()


def test_register_needs_exactly_one_worker(login, users, orgs, build):
    data = family_of_three(orgs, build)
    data["m-1-relation"] = "self"
    response = login(users["caseworker_g1"]).post(reverse("web:household_create"), data)
    assert "有且只有一名职工本人" in response.content.decode()


def test_a_person_active_elsewhere_gets_a_link_when_visible(login, users, orgs, build, household):
    data = family_of_three(orgs, build)
    data["m-2-id_number"] = household.members.get(relation="child").id_number
    response = login(users["admin_nanjing"]).post(reverse("web:household_create"), data)
    body = response.content.decode()
    assert f"已在{household.pk}号家庭档案中" in body
    assert reverse("web:household_detail", args=[household.pk]) in body
    assert response.context["formset"].forms[2].errors["id_number"]


def test_a_person_active_elsewhere_gets_the_neutral_message_when_not_visible(login, users, orgs, build, household):
    data = family_of_three(orgs, build, union=str(orgs["g2"].pk))
    data["m-0-id_number"] = household.members.get(relation="self").id_number
    response = login(users["caseworker_g2"]).post(reverse("web:household_create"), data)
    body = response.content.decode()
    assert "已登记在其他在册困难职工家庭中" in body
    assert reverse("web:household_detail", args=[household.pk]) not in body
    assert f"{household.pk}号" not in body.split("<main")[1].split("登记困难职工家庭")[0]


def test_auditor_cannot_open_the_register_form(login, users):
    assert login(users["auditor_province"]).get(reverse("web:household_create")).status_code == 403


def test_edit_household(login, users, household):
    client = login(users["caseworker_g1"])
    url = reverse("web:household_edit", args=[household.pk])
    assert client.get(url).status_code == 200
    data = {"address": "南京市玄武区新地址9号", "phone": "", "proposed_category": "extreme_hardship",
            "hardship_causes": ["disaster"], "version": household.version}
    assert client.post(url, data).status_code == 302
    household.refresh_from_db()
    assert household.address == "南京市玄武区新地址9号" and household.hardship_causes == ["disaster"]
    bad = client.post(url, {**data, "phone": "12345", "version": household.version})
    assert "电话号码格式不正确" in bad.content.decode()


def test_edit_household_outside_the_area_is_404(login, users, household):
    assert login(users["caseworker_g4"]).get(reverse("web:household_edit", args=[household.pk])).status_code == 404


def test_edit_member_never_puts_the_full_number_in_the_page(login, users, household):
    child = household.members.get(relation="child")
    client = login(users["caseworker_g1"])
    url = reverse("web:member_edit", args=[child.pk])
    page = client.get(url).content.decode()
    assert child.id_number not in page and child.id_number[-4:] in page
    data = {"name": "张小明", "id_number": "", "relation": "child", "employment": "student", "work_ability": "full",
            "health": "healthy", "school_stage": "junior", "school_year": "1", "school_institution": "public"}
    assert client.post(url, data).status_code == 200, "the version is required"
    data["version"] = child.version
    assert client.post(url, data).status_code == 302
    child.refresh_from_db()
    assert child.school_stage == "junior" and child.id_number
    bad = client.post(url, {**data, "school_institution": ""})
    assert "学校性质" in bad.content.decode()


def test_add_member(login, users, household, build):
    client = login(users["caseworker_g1"])
    url = reverse("web:member_add", args=[household.pk])
    data = {"name": "张建华", "id_number": build.id_number("320100", datetime.date(1958, 1, 1)), "relation": "parent",
            "employment": "retired", "work_ability": "partial", "health": "chronic"}
    assert client.post(url, data).status_code == 302
    assert household.members.filter(name="张建华").exists()
    bad = client.post(url, {**data, "relation": "self", "id_number": build.id_number()})
    assert "该家庭已有职工本人" in bad.content.decode()


def test_edit_household_with_a_garbled_version_shows_an_error_and_saves_nothing(login, users, household):
    client = login(users["caseworker_g1"])
    url = reverse("web:household_edit", args=[household.pk])
    data = {"address": "南京市玄武区新地址9号", "phone": "", "proposed_category": "hardship", "version": "abc"}
    bad = client.post(url, data)
    assert bad.status_code == 200 and "版本号(version)无效" in bad.content.decode()
    household.refresh_from_db()
    assert household.address != "南京市玄武区新地址9号"
    assert client.post(url, {**data, "version": household.version}).status_code == 302
    household.refresh_from_db()
    assert household.address == "南京市玄武区新地址9号"


def test_edit_member_carries_its_version_and_refuses_a_stale_copy(login, users, household):
    child = household.members.get(relation="child")
    client = login(users["caseworker_g1"])
    url = reverse("web:member_edit", args=[child.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()
    data = {"name": "张小明", "id_number": "", "relation": "child", "employment": "student", "work_ability": "full",
            "health": "healthy", "school_stage": "junior", "school_year": "1", "school_institution": "public",
            "version": "1"}
    assert client.post(url, data).status_code == 302
    child.refresh_from_db()
    assert child.version == 2 and child.school_stage == "junior"
    stale = client.post(url, {**data, "school_year": "2"})
    # the same user's earlier copy (another tab): said as such, not as 他人 (issue 17)
    assert stale.status_code == 200 and "您已在另一个页面(或标签页)修改过此记录" in stale.content.decode()
    garbled = client.post(url, {**data, "version": "abc"})
    assert garbled.status_code == 200 and "版本号(version)无效" in garbled.content.decode()
    child.refresh_from_db()
    assert child.school_year == 1 and child.version == 2
