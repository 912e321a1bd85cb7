"""Bulk import of households: good files written whole; bad and malicious ones refused, nothing half-written."""

from __future__ import annotations

import csv
import io

import pytest
from exchange_files import CSV_HEADERS, H_HEADERS, M_HEADERS, csv_bytes, flat_csv_rows, m_row, xlsx
from openpyxl import load_workbook

from bangfu.audit.models import AuditEntry
from bangfu.common.errors import AccessDenied, ValidationFailed
from bangfu.exchange.models import ImportJob
from bangfu.exchange.services import household_import_upload, import_start
from bangfu.registry.models import Household, Member

pytestmark = pytest.mark.django_db


def run(users, orgs, content: bytes, name: str = "families.xlsx", mode: str = "all", actor=None) -> ImportJob:
    actor = actor or users["caseworker_g1"]
    job = household_import_upload(actor=actor, union=orgs["g1"], name=name, content=content, mode=mode)
    return import_start(actor=actor, job=job)


def result_column(job: ImportJob, sheet: str, header: str) -> list[str]:
    with job.result_file.open("rb") as fh:
        ws = load_workbook(io.BytesIO(fh.read()))[sheet]
    rows = list(ws.iter_rows(values_only=True))
    column = rows[0].index(header)
    return [row[column] or "" for row in rows[1:]]


def result_errors(job: ImportJob, sheet: str) -> list[str]:
    return result_column(job, sheet, "错误")


def test_a_clean_file_is_imported_whole_with_members_and_audit_rows(users, orgs, household_file):
    job = run(users, orgs, household_file(3))
    assert job.state == "done" and job.written == 3 and job.error_rows == 0
    households = Household.objects.filter(union=orgs["g1"])
    assert households.count() == 3
    assert Member.objects.filter(household__in=households, active=True).count() == 9
    child = Member.objects.get(household=households.first(), relation="child")
    assert (child.school_stage, child.school_year, child.sex) == ("primary", 3, "male")
    assert households.first().hardship_causes == ["illness", "unemployment"]
    assert AuditEntry.objects.filter(action="household.import").count() == 3
    assert not job.result_file


def test_one_bad_row_refuses_the_whole_file_and_returns_the_errors_per_row(users, orgs, household_file):
    def tweak(households, members):
        members[1][M_HEADERS.index("身份证号码")] = "320102198001010000"  # wrong check digit
        members[4][M_HEADERS.index("就业状况")] = "打零工"
    job = run(users, orgs, household_file(3, tweak))
    assert job.state == "invalid" and job.error_rows == 2
    assert Household.objects.count() == 0 and Member.objects.count() == 0
    errors = result_errors(job, "成员")
    assert "身份证号码无效" in errors[1] and "就业状况的取值无效" in errors[4]
    assert errors[0] == "" and "错误" in job.message


def test_clean_only_imports_the_clean_households_and_never_half_of_one(users, orgs, household_file):
    def tweak(households, members):
        members[4][M_HEADERS.index("年级")] = "三年级"  # the second household's spouse row is fine; its child is not
        members[5][M_HEADERS.index("年级")] = "三年级"
    job = run(users, orgs, household_file(3, tweak), mode="clean_only")
    assert job.state == "done" and job.written == 2 and job.skipped == 1
    assert sorted(Household.objects.values_list("address", flat=True)) == ["南京市玄武区珠江路1号", "南京市玄武区珠江路3号"]
    assert Member.objects.count() == 6
    assert result_column(job, "家庭", "处理结果") == ["已导入(户编号1)", "未导入:本户「成员」表第6、7行有错误,整户未导入",
                                                 "已导入(户编号3)"]
    outcomes, errors = result_column(job, "成员", "处理结果"), result_errors(job, "成员")
    assert outcomes[:3] == ["已导入(户编号1)"] * 3 and outcomes[6:] == ["已导入(户编号3)"] * 3
    assert outcomes[3:6] == ["未导入:本户「成员」表第6、7行有错误,整户未导入"] * 3
    assert errors[3] == "" and "年级" in errors[4] and "年级" in errors[5] and result_errors(job, "家庭") == [""] * 3


def test_clean_only_csv_says_on_each_row_what_happened_to_it(users, orgs, family):
    """Issue 17: household 1 (three valid members) imported, household 2 (a bad ID number) not, and the result
    says so on household 2's rows, not on a member of household 1."""
    rows = flat_csv_rows(family, 2)
    rows[4][CSV_HEADERS.index("身份证号码")] = "320102198001010000"  # household 2's spouse: wrong check digit
    job = run(users, orgs, csv_bytes(CSV_HEADERS, rows), "families.csv", mode="clean_only")
    assert job.state == "done" and job.written == 1 and job.skipped == 1
    assert list(Household.objects.values_list("address", flat=True)) == ["南京市玄武区珠江路1号"]
    with job.result_file.open("rb") as fh:
        back = list(csv.reader(io.StringIO(fh.read().decode("utf-8-sig"))))
    assert back[0][-2:] == ["处理结果", "错误"]
    assert [row[-2] for row in back[1:4]] == ["已导入(户编号1)"] * 3 and [row[-1] for row in back[1:4]] == [""] * 3
    assert [row[-2] for row in back[4:]] == ["未导入:本户第6行有错误,整户未导入"] * 3
    assert back[4][-1] == "" and "身份证号码无效" in back[5][-1] and back[6][-1] == ""


def test_a_csv_households_own_error_is_written_on_its_own_first_row(users, orgs, family):
    """The flat CSV's household columns are read from each household's first row: an error in them is that row's."""
    rows = flat_csv_rows(family, 2)
    rows[3][CSV_HEADERS.index("行政区划代码")] = "999999"  # household 2's first row
    job = run(users, orgs, csv_bytes(CSV_HEADERS, rows), "families.csv")
    assert job.state == "invalid"
    with job.result_file.open("rb") as fh:
        back = list(csv.reader(io.StringIO(fh.read().decode("utf-8-sig"))))
    assert [bool(row[-1]) for row in back[1:]] == [False, False, False, True, False, False]


def test_formulas_are_flagged_as_text_and_never_evaluated(users, orgs, household_file):
    def tweak(households, members):
        households[0][H_HEADERS.index("家庭住址")] = '=HYPERLINK("http://evil","点我")'
        members[0][M_HEADERS.index("姓名")] = "@SUM(1+1)"
        members[1][M_HEADERS.index("工作单位")] = "+cmd|' /C calc'!A0"
    job = run(users, orgs, household_file(2, tweak))
    assert job.state == "invalid" and Household.objects.count() == 0
    assert "公式" in result_errors(job, "家庭")[0]
    errors = result_errors(job, "成员")
    assert "公式" in errors[0] and "公式" in errors[1]
    with job.result_file.open("rb") as fh:
        ws = load_workbook(io.BytesIO(fh.read()))["家庭"]
    cell = ws.cell(row=2, column=H_HEADERS.index("家庭住址") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")  # written back as text, not a formula


def test_wrong_types_duplicates_and_orphans_are_each_explained(users, orgs, household_file, build):
    def tweak(households, members):
        members[0][M_HEADERS.index("身份证号码")] = 320102198001010011  # a number: digits would be lost
        members[3] = list(members[2])  # the same person twice
        members[3][M_HEADERS.index("户编号")] = "2"
        members.append(m_row("9", "王芳", build.id_number(), "本人"))
        households.append(list(households[0]))
    job = run(users, orgs, household_file(2, tweak))
    assert job.state == "invalid" and Household.objects.count() == 0
    members, households = result_errors(job, "成员"), result_errors(job, "家庭")
    assert "文本格式" in members[0]
    assert "身份证号码与第4行重复" in members[3]
    assert "户编号9在「家庭」表中不存在" in members[-1]
    assert "与第2行重复" in households[-1]


def test_a_person_active_elsewhere_is_refused_neutrally_outside_the_area(users, orgs, household_file, make_household):
    other = make_household("g4")  # 无锡: not visible to a 玄武 caseworker
    taken = other.members.get(relation="self").id_number

    def tweak(households, members):
        members[0][M_HEADERS.index("身份证号码")] = taken
    job = run(users, orgs, household_file(1, tweak))
    assert job.state == "invalid"
    error = result_errors(job, "成员")[0]
    assert "不能重复登记" in error and str(other.pk) not in error


def test_a_household_needs_exactly_one_worker_and_a_union_in_the_actors_area(users, orgs, household_file):
    def tweak(households, members):
        members[0][M_HEADERS.index("与职工本人关系")] = "其他"
        households[1][H_HEADERS.index("所属工会代码")] = "320205-0001"  # 锡山: outside 玄武
    job = run(users, orgs, household_file(2, tweak))
    errors = result_errors(job, "家庭")
    assert "有且只有一名职工本人" in errors[0]
    assert "只能在本单位及下级工会登记" in errors[1]


def test_csv_in_utf8_bom_and_gb18030_is_read_and_other_encodings_refused(users, orgs, family):
    rows = flat_csv_rows(family, 2)
    job = run(users, orgs, csv_bytes(CSV_HEADERS, rows, "gb18030"), "families.csv")
    assert job.state == "done" and job.written == 2 and Member.objects.count() == 6
    job = run(users, orgs, csv_bytes(CSV_HEADERS, flat_csv_rows(family, 1), "utf-8-sig"), "families.csv")
    assert job.state == "done" and job.written == 1
    for content in (csv_bytes(CSV_HEADERS, rows, "utf-16"), csv_bytes(CSV_HEADERS, rows, "utf-32")):
        with pytest.raises(ValidationFailed, match="编码"):
            household_import_upload(actor=users["caseworker_g1"], union=orgs["g1"], name="families.csv",
                                    content=content)
    broken = csv_bytes(CSV_HEADERS, rows, "utf-8") + b"\xff\xfe\x80"
    with pytest.raises(ValidationFailed, match="编码"):
        household_import_upload(actor=users["caseworker_g1"], union=orgs["g1"], name="x.csv", content=broken)


def test_csv_errors_come_back_as_csv_with_formulas_defused(users, orgs, family):
    rows = flat_csv_rows(family, 1)
    rows[1][CSV_HEADERS.index("姓名")] = "=1+1"
    job = run(users, orgs, csv_bytes(CSV_HEADERS, rows), "families.csv")
    assert job.state == "invalid" and Member.objects.count() == 0
    with job.result_file.open("rb") as fh:
        back = list(csv.reader(io.StringIO(fh.read().decode("utf-8-sig"))))
    assert back[0][-1] == "错误" and "公式" in back[2][-1] and back[2][CSV_HEADERS.index("姓名")] == "'=1+1"


def test_huge_broken_and_wrong_files_are_refused_with_a_clear_message(users, orgs, settings, household_file):
    actor, union = users["caseworker_g1"], orgs["g1"]
    settings.EXCHANGE_MAX_BYTES = 1000
    with pytest.raises(ValidationFailed, match="文件过大"):
        household_import_upload(actor=actor, union=union, name="a.xlsx", content=household_file(5))
    settings.EXCHANGE_MAX_BYTES = 10 * 1024 * 1024
    with pytest.raises(ValidationFailed, match="xlsm"):
        household_import_upload(actor=actor, union=union, name="a.xlsm", content=household_file(1))
    with pytest.raises(ValidationFailed, match="不是表格文件.*另存为 .xlsx.*可上传:.xlsx、.xls、.xlsb、.ods"):
        household_import_upload(actor=actor, union=union, name="a.xlsx", content=b"MZ\x90\x00 not a workbook")
    with pytest.raises(ValidationFailed, match="损坏"):
        household_import_upload(actor=actor, union=union, name="a.xlsx", content=b"PK\x03\x04" + b"\x00" * 200)
    settings.EXCHANGE_MAX_ROWS = 3
    with pytest.raises(ValidationFailed, match="行数过多"):  # the sheet's declared dimension, at upload
        run(users, orgs, household_file(2))
    settings.EXCHANGE_MAX_ROWS = 1000
    job = run(users, orgs, xlsx({"Sheet1": (["a"], [[1]])}))
    assert job.state == "invalid" and "缺少工作表「家庭」" in job.message
    assert Household.objects.count() == 0


def test_a_zip_bomb_is_refused(users, orgs, settings):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (5 * 1024 * 1024))
    settings.EXCHANGE_MAX_UNPACKED = 1024 * 1024
    with pytest.raises(ValidationFailed, match="解压后过大"):
        run(users, orgs, out.getvalue())


def test_a_failure_while_writing_leaves_the_database_as_it_was(users, orgs, household_file, monkeypatch):
    from bangfu.exchange import writer

    calls = {"n": 0}
    real = writer.fast_insert

    def failing(model, records):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(model, records)
    monkeypatch.setattr(writer, "BATCH", 1)
    monkeypatch.setattr(writer, "fast_insert", failing)
    job = run(users, orgs, household_file(3))
    assert job.state == "failed" and "数据库未做任何修改" in job.message
    assert Household.objects.count() == 0 and Member.objects.count() == 0


def test_only_those_who_may_register_households_may_import(users, orgs, household_file):
    for who in ("reviewer_xuanwu", "auditor_province", "officer"):
        with pytest.raises(AccessDenied):
            household_import_upload(actor=users[who], union=orgs["g1"], name="a.xlsx", content=household_file(1))
    with pytest.raises(AccessDenied):
        household_import_upload(actor=users["caseworker_g4"], union=orgs["g1"], name="a.xlsx",
                                content=household_file(1))


def test_the_template_has_both_sheets_chinese_headers_and_lists(users):
    from bangfu.exchange.template import household_template_xlsx

    book = load_workbook(io.BytesIO(household_template_xlsx()))
    assert book.sheetnames[:2] == ["家庭", "成员"]
    headers = [c.value for c in book["成员"][1]]
    assert "身份证号码*" in headers and "学段" in headers
    lists = [v.formula1 for v in book["成员"].data_validations.dataValidation]
    assert any(f.startswith("选项!") for f in lists)
    assert book["选项"].sheet_state == "hidden"


def test_the_spreadsheet_reader_reads_what_openpyxl_reads(household_file):
    from bangfu.exchange import files

    def tweak(households, members):
        households[0][H_HEADERS.index("家庭住址")] = '=HYPERLINK("http://x","<点我>&")'
        households[0][H_HEADERS.index("金融资产(元)")] = 1234.5
        members[0][M_HEADERS.index("身份证号码")] = 320102198001010011
        members[1][M_HEADERS.index("大重病患者")] = True
        members[2][M_HEADERS.index("工作单位")] = "A&B <公司> \"引号\""
    content = household_file(2, tweak)
    read = files.read_upload("a.xlsx", content, ("家庭", "成员"))
    book = load_workbook(io.BytesIO(content), read_only=True)
    for name in ("家庭", "成员"):
        rows = list(book[name].iter_rows(values_only=True))
        assert read[name].headers == list(rows[0])
        assert read[name].numbers == list(range(2, len(rows) + 1))
        assert [list(r.values()) for r in read[name].rows] == [list(r) for r in rows[1:]]
    assert read["家庭"].rows[0]["家庭住址"].startswith("=HYPERLINK")  # text that looks like a formula stays text


def test_the_templates_carry_an_example_household_in_the_forms_words_and_the_import_skips_it(
        login, users, orgs, family):
    """Issue 17, item 9: an example row (户编号 示例) under headers worded as the form (与职工本人关系)."""
    from bangfu.exchange.template import household_template_csv, household_template_xlsx
    from bangfu.web.forms.households import MemberForm

    book = load_workbook(io.BytesIO(household_template_xlsx()))
    members = list(book["成员"].iter_rows(values_only=True))
    assert members[0][3] == "与职工本人关系*" == MemberForm.base_fields["relation"].label + "*"
    assert [row[:4] for row in members[1:3]] == [("示例", "张示例", "320102198001010112", "本人"),
                                                 ("示例", "张小例", "320102201209010124", "子女")]
    assert list(book["家庭"].iter_rows(values_only=True))[1][:3] == ("示例", None, "320102")
    # The workbook filled in below its example imports the household typed in, not the example.
    h, ms = family("1")
    book["家庭"].append(h)
    for row in ms:
        book["成员"].append(row)
    filled = io.BytesIO()
    book.save(filled)
    job = household_import_upload(actor=users["caseworker_g1"], union=orgs["g1"], name="t.xlsx",
                                  content=filled.getvalue())
    job = import_start(actor=users["caseworker_g1"], job=job)
    assert (job.state, job.written, job.check_total) == ("done", 1, 4)
    assert not Member.objects.filter(name="张示例").exists()
    lines = household_template_csv().decode("utf-8-sig").splitlines()
    assert len(lines) == 3 and "与职工本人关系" in lines[0] and lines[1].startswith("示例,,320102,")
    assert lines[2].startswith("示例,,,")
