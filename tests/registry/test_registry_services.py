"""Registry services against the database: each writes its change and its audit row, or refuses cleanly."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from bangfu.audit.models import AuditEntry
from bangfu.cases.services import case_take_over
from bangfu.common.errors import AccessDenied, Conflict, NotFound, ValidationFailed
from bangfu.registry import services
from bangfu.registry.models import Household, IncomeRecord, Member

pytestmark = pytest.mark.django_db


def test_household_create_writes_household_members_and_audit_rows(make_household, users):
    household = make_household()
    assert household.status == "draft" and not household.archived
    members = list(household.members.order_by("position"))
    assert [m.relation for m in members] == ["self", "spouse", "child"]
    assert members[1].sex == "female" and members[1].birth_date == datetime.date(1991, 3, 3)
    actions = list(AuditEntry.objects.filter(object_type__in=["household", "member"]).values_list("action", flat=True))
    assert sorted(actions) == ["household.create", "member.add", "member.add", "member.add"]
    entry = AuditEntry.objects.get(action="household.create")
    assert entry.actor == users["caseworker_g1"] and entry.after["address"].startswith("南京市玄武区")
    member_entry = AuditEntry.objects.filter(action="member.add").first()
    assert "*" in member_entry.after["id_number"], "audit rows never hold a full ID number"


def test_household_create_requires_exactly_one_worker(make_household, build):
    with pytest.raises(ValidationFailed, match="职工本人"):
        make_household(members=[build.member("spouse", sex="female")])
    assert not Household.objects.exists()


def test_household_create_outside_area_or_by_reviewer_is_refused(make_household, users):
    with pytest.raises(AccessDenied):
        make_household(union="g4", actor=users["caseworker_g1"])
    with pytest.raises(AccessDenied):
        make_household(union="g1", actor=users["reviewer_xuanwu"])


def test_household_create_refuses_a_region_outside_the_union(make_household):
    with pytest.raises(ValidationFailed, match="辖区"):
        make_household(region_code="320205")
    with pytest.raises(ValidationFailed, match="市辖区"):
        make_household(region_code="320101")


def test_a_person_active_in_another_household_is_refused_with_a_link_for_those_who_may_see_it(
    make_household, build, users
):
    first = make_household()
    worker_id = first.members.get(relation="self").id_number
    second = make_household(union="g2", members=[build.member("self")])
    with pytest.raises(Conflict) as seen:
        services.member_add(actor=users["admin_nanjing"], household=second,
                            data={"name": "张伟", "id_number": worker_id, "relation": "sibling"})
    assert seen.value.extra["household_id"] == first.pk
    with pytest.raises(Conflict) as hidden:
        services.member_add(actor=users["caseworker_g2"], household=second,
                            data={"name": "张伟", "id_number": worker_id, "relation": "sibling"})
    assert "household_id" not in hidden.value.extra and str(first.pk) not in hidden.value.message


def test_the_database_itself_refuses_a_second_active_membership(make_household, build):
    from django.db import IntegrityError, transaction

    first = make_household()
    member = first.members.get(relation="self")
    other = make_household(union="g2", members=[build.member("self")])
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(household=other, name="x", id_number=member.id_number, sex=member.sex,
                              birth_date=member.birth_date, relation="other")


def test_exit_frees_the_members_for_another_household(make_household, exit_household):
    household = make_household()
    worker = household.members.get(relation="self")
    exit_household(household, reason="实现再就业,脱困")
    assert household.status == "exited" and not household.members.filter(active=True).exists()
    again = make_household(union="g2", members=[{"name": worker.name, "id_number": worker.id_number,
                                                 "relation": "self"}])
    assert again.members.get().id_number == worker.id_number


def test_verify_is_for_reviewers_and_archives_the_household(make_household, users):
    household = make_household()
    with pytest.raises(AccessDenied):
        case_take_over(actor=users["caseworker_g1"], household=household, category="hardship")
    with pytest.raises(NotFound):
        case_take_over(actor=users["reviewer_xishan"], household=household, category="hardship")
    with pytest.raises(ValidationFailed):
        case_take_over(actor=users["reviewer_xuanwu"], household=household, category="none")
    case_take_over(actor=users["reviewer_xuanwu"], household=household, category="extreme_hardship")
    household.refresh_from_db()
    assert household.archived and household.verified_category == "extreme_hardship"
    assert AuditEntry.objects.filter(action="household.status", object_id=str(household.pk)).count() == 1


def test_household_update_records_only_the_changes_and_refuses_a_stale_version(make_household, users):
    household = make_household()
    updated = services.household_update(actor=users["caseworker_g1"], household=household,
                                        data={"dibao": True, "hardship_causes": ["education", "illness"]},
                                        version=1)
    assert updated.version == 2 and updated.hardship_causes == ["illness", "education"]
    entry = AuditEntry.objects.get(action="household.update")
    assert entry.before == {"dibao": False, "hardship_causes": ["illness"], "version": 1}
    assert entry.after["dibao"] is True
    with pytest.raises(Conflict):
        services.household_update(actor=users["caseworker_g1"], household=household, data={"dibao": False},
                                  version=1)


@pytest.mark.parametrize("data, message", [
    ({"hardship_causes": ["bad_luck"]}, "致困原因"),
    ({"phone": "12345"}, "电话"),
    ({"dibao": True, "dibao_edge": True}, "低保"),
    ({"status": "archived"}, "不认识的字段"),
    ({"address": " "}, "住址"),
])
def test_household_update_refuses_bad_data_and_leaves_the_file_as_it_was(make_household, users, data, message):
    household = make_household()
    with pytest.raises(ValidationFailed, match=message):
        services.household_update(actor=users["caseworker_g1"], household=household, data=data, version=1)
    household.refresh_from_db()
    assert household.version == 1 and household.status == "draft"


def test_member_update_derives_sex_and_birth_date_from_a_new_id_number(make_household, users, build):
    household = make_household()
    spouse = household.members.get(relation="spouse")
    new_number = build.id_number("320104", datetime.date(1983, 4, 4), "female")
    services.member_update(actor=users["caseworker_g1"], member=spouse, data={"id_number": new_number},
                           version=spouse.version)
    spouse.refresh_from_db()
    assert spouse.birth_date == datetime.date(1983, 4, 4) and spouse.sex == "female"
    with pytest.raises(ValidationFailed, match="性别"):
        services.member_update(actor=users["caseworker_g1"], member=spouse, data={"sex": "male"},
                               version=spouse.version)


def test_member_remove_keeps_the_row_and_refuses_the_worker(make_household, users):
    household = make_household()
    child = household.members.get(relation="child")
    services.member_remove(actor=users["caseworker_g1"], member=child, reason="外出独立生活")
    child.refresh_from_db()
    assert child.removed and not child.active
    with pytest.raises(ValidationFailed):
        services.member_remove(actor=users["caseworker_g1"], member=household.members.get(relation="self"),
                               reason="x")


def test_revealing_an_id_number_is_logged_and_allowed_only_to_those_who_may(make_household, users):
    member = make_household().members.get(relation="self")
    assert services.member_id_number_reveal(actor=users["reviewer_xuanwu"], member=member) == member.id_number
    assert AuditEntry.objects.filter(action="member.view_id_number", object_id=str(member.pk)).count() == 1
    with pytest.raises(AccessDenied):
        services.member_id_number_reveal(actor=users["auditor_province"], member=member)
    with pytest.raises(NotFound):
        services.member_id_number_reveal(actor=users["caseworker_g4"], member=member)


def test_income_set_upserts_one_row_per_month_and_source(make_household, users):
    household = make_household()
    for amount in ("1500", "1600.5"):
        services.income_set(actor=users["caseworker_g1"], household=household, month=datetime.date(2025, 3, 15),
                            source="wages", amount=Decimal(amount))
    record = IncomeRecord.objects.get()
    assert record.month == datetime.date(2025, 3, 1) and record.amount == Decimal("1600.50")
    with pytest.raises(ValidationFailed):
        services.income_set(actor=users["caseworker_g1"], household=household, month=datetime.date(2025, 3, 1),
                            source="wages", amount=Decimal("-1"))
    services.income_delete(actor=users["caseworker_g1"], record=record)
    assert not IncomeRecord.objects.exists()


PDF = b"%PDF-1.4\n%test\n"


def test_document_upload_stores_the_file_and_checks_type_and_size(
    make_household, users, settings, django_capture_on_commit_callbacks
):
    household = make_household()
    document = services.document_upload(actor=users["caseworker_g1"], household=household,
                                        doc_type="income_proof", name="收入证明.pdf", content=PDF)
    assert document.size == len(PDF) and document.file.read() == PDF
    assert document.file.name.startswith("documents/") and "收入" not in document.file.name
    with pytest.raises(ValidationFailed, match="PDF"):
        services.document_upload(actor=users["caseworker_g1"], household=household, doc_type="other",
                                 name="x.exe", content=b"MZ")
    with pytest.raises(ValidationFailed, match="不符"):
        services.document_upload(actor=users["caseworker_g1"], household=household, doc_type="other",
                                 name="x.png", content=PDF)
    settings.DOCUMENT_MAX_BYTES = 10
    with pytest.raises(ValidationFailed, match="超过"):
        services.document_upload(actor=users["caseworker_g1"], household=household, doc_type="other",
                                 name="big.pdf", content=PDF)
    storage, name = document.file.storage, document.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.document_delete(actor=users["caseworker_g1"], document=document)
    assert AuditEntry.objects.filter(action="document.delete").exists()
    assert storage.exists(name), "the file stays until the deletion commits"
    for callback in callbacks:
        callback()
    assert not storage.exists(name)


def test_amounts_and_text_beyond_their_columns_are_refused_naming_the_field(make_household, users):
    household = make_household()
    cw = users["caseworker_g1"]
    done = services.household_update(actor=cw, household=household, data={"housing_area_m2": "999999.99"},
                                     version=household.version)
    assert done.housing_area_m2 == Decimal("999999.99")
    for field, value in (("housing_area_m2", "1000000"), ("financial_assets", "1e40"), ("address", "址" * 201)):
        with pytest.raises(ValidationFailed) as caught:
            services.household_update(actor=cw, household=household, data={field: value}, version=household.version)
        assert caught.value.field == field
    month = datetime.date(2025, 3, 1)
    record = services.income_set(actor=cw, household=household, month=month, source="wages", amount="9999999999.99")
    assert record.amount == Decimal("9999999999.99")
    with pytest.raises(ValidationFailed) as caught:
        services.income_set(actor=cw, household=household, month=month, source="wages", amount="1e10")
    assert caught.value.field == "amount"
    spouse = household.members.get(relation="spouse")
    with pytest.raises(ValidationFailed) as caught:
        services.member_update(actor=cw, member=spouse, data={"employer": "厂" * 101}, version=spouse.version)
    assert caught.value.field == "employer"


def test_an_exited_file_refuses_updates_and_incomes(make_household, users, exit_household):
    household = make_household()
    cw = users["caseworker_g1"]
    services.household_update(actor=cw, household=household, data={"notes": "在册"}, version=household.version)
    exit_household(household)
    with pytest.raises(ValidationFailed, match="已退出") as caught:
        services.household_update(actor=cw, household=household, data={"notes": "退出后"}, version=household.version)
    assert caught.value.field == "status"
    with pytest.raises(ValidationFailed, match="已退出"):
        services.income_set(actor=cw, household=household, month=datetime.date(2025, 3, 1), source="wages",
                            amount="100")
    household.refresh_from_db()
    assert household.notes == "在册" and not household.incomes.exists()


def test_member_update_refuses_a_stale_version(make_household, users):
    household = make_household()
    cw = users["caseworker_g1"]
    spouse = household.members.get(relation="spouse")
    stale = Member.objects.get(pk=spouse.pk)
    updated = services.member_update(actor=cw, member=spouse, data={"employer": "新单位"}, version=1)
    assert updated.version == 2
    with pytest.raises(Conflict) as caught:
        services.member_update(actor=cw, member=stale, data={"employer": "旧副本"}, version=1)
    assert caught.value.field == "version" and caught.value.extra["version"] == 2
    assert caught.value.extra["current"]["employer"] == "新单位"
    spouse.refresh_from_db()
    assert spouse.employer == "新单位"


def test_each_document_download_is_audited_and_only_within_the_area(make_household, users):
    household = make_household()
    document = services.document_upload(actor=users["caseworker_g1"], household=household,
                                        doc_type="income_proof", name="收入证明.pdf", content=PDF)
    with services.document_open(actor=users["auditor_province"], document=document) as handle:
        assert handle.read() == PDF
    entry = AuditEntry.objects.get(action="document.download")
    assert entry.actor == users["auditor_province"] and entry.after["document"] == document.pk
    with pytest.raises(NotFound):
        services.document_open(actor=users["caseworker_g4"], document=document)
    assert AuditEntry.objects.filter(action="document.download").count() == 1
