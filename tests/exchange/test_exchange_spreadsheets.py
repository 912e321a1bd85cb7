"""Spreadsheets as union offices have them: the same households from every format and encoding, department files
with date cells and date text, and a message naming the real problem for each file that cannot be read."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from bangfu.common.errors import ValidationFailed
from bangfu.exchange.models import DepartmentFact
from bangfu.exchange.services import department_upload, household_import_upload, import_start
from bangfu.registry.models import Household, Member

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent / "fixtures"  # written once by fixtures/make_fixtures.py (LibreOffice)
HOUSEHOLD_FILES = ["households-openpyxl.xlsx", "households-libreoffice.xlsx", "households.xls", "households.ods",
                   "households-utf8.csv", "households-utf8-bom.csv", "households-gb18030.csv", "households-gbk.csv"]
CIVIL_FILES = ["civil-affairs-openpyxl.xlsx", "civil-affairs-libreoffice.xlsx", "civil-affairs.xls",
               "civil-affairs.ods", "civil-affairs-dates.csv"]
ACCEPTED = "可上传:.xlsx、.xls、.xlsb、.ods 表格,或 .csv 文本(UTF-8、UTF-8 BOM、GB18030、GBK 编码)"

HOUSEHOLDS = [
    ("320102", "南京市玄武区珠江路1号", "13912345678", "hardship", ["illness", "unemployment"], False, True, True,
     Decimal("45.50"), False, Decimal("8800.80"), '住房困难,"待核"'),
    ("320102", "南京市玄武区中山路2号", "025-84561234", "extreme_hardship", ["disability"], True, False, False, None, False,
     Decimal("12000.00"), ""),
    ("320102", "南京市玄武区北京东路3号", "", "hardship", ["education"], False, False, True, Decimal("60.00"), False,
     Decimal("1234567.50"), "单亲"),
]
MEMBERS = [
    ("南京市玄武区珠江路1号", "张伟", "320100198001010232", "self", "", "registered_unemployed", "", "full",
     "chronic", None, False, "", None, "", ""),
    ("南京市玄武区珠江路1号", "李娜", "320100198202020269", "spouse", "", "none", "", "full", "healthy", None, False,
     "", None, "", ""),
    ("南京市玄武区珠江路1号", "张小明", "320100201509010270", "child", "", "student", "", "full", "healthy", None,
     False, "primary", 3, "public", "珠江路小学"),
    ("南京市玄武区中山路2号", "王芳", "320100197505050305", "self", "13800001111", "none", "", "partial",
     "disabled", 2, False, "", None, "", ""),
    ("南京市玄武区中山路2号", "王小红", "320100201206060326", "child", "", "student", "", "full", "healthy", None,
     False, "junior", 1, "public", ""),
    ("南京市玄武区北京东路3号", "刘洋", "320100197807070336", "self", "", "employed", "某某制造有限公司", "full",
     "healthy", None, False, "", None, "", ""),
    ("南京市玄武区北京东路3号", "刘晓", "32010020090808036X", "child", "", "student", "", "full", "healthy", None,
     False, "senior_high", 2, "public", ""),
]


def import_households(users, orgs, name: str, content: bytes | None = None):
    actor = users["caseworker_g1"]
    content = (FIXTURES / name).read_bytes() if content is None else content
    job = household_import_upload(actor=actor, union=orgs["g1"], name=name, content=content)
    return import_start(actor=actor, job=job)


def registry_rows():
    households = sorted(Household.objects.values_list(
        "region_code", "address", "phone", "proposed_category", "hardship_causes", "dibao", "dibao_edge",
        "owns_housing", "housing_area_m2", "has_vehicle", "financial_assets", "notes"), key=lambda h: h[1])
    members = sorted(Member.objects.order_by("position", "pk").values_list(
        "household__address", "name", "id_number", "relation", "phone", "employment", "employer", "work_ability",
        "health", "disability_grade", "serious_illness", "school_stage", "school_year", "school_institution",
        "school_name"), key=lambda m: m[0])
    return households, members


@pytest.mark.parametrize("name", HOUSEHOLD_FILES)
def test_the_same_households_come_in_alike_from_every_format_and_encoding(users, orgs, name):
    job = import_households(users, orgs, name)
    assert (job.state, job.written, job.error_rows) == ("done", 3, 0), job.message
    households, members = registry_rows()
    assert households == sorted(HOUSEHOLDS, key=lambda h: h[1])
    assert members == sorted(MEMBERS, key=lambda m: m[0])


@pytest.mark.parametrize("name", CIVIL_FILES)
def test_department_files_with_date_cells_or_any_accepted_date_text_are_read(users, orgs, make_user, name):
    assert import_households(users, orgs, "households-utf8.csv").state == "done"
    officer = make_user("department_officer", "province", department="civil_affairs")
    job = department_upload(actor=officer, name=name, content=(FIXTURES / name).read_bytes())
    job = import_start(actor=officer, job=job)
    assert (job.state, job.written, job.unmatched) == ("done", 7, 0), job.message
    facts = DepartmentFact.objects.filter(kind="dibao")
    assert facts.count() == 7
    assert {(f.value["start"], f.value["amount"], f.source_date.isoformat()) for f in facts} == \
        {("2024-03-01", "900.00", "2025-06-30")}


def _refused(users, orgs, name: str, content: bytes) -> str:
    with pytest.raises(ValidationFailed) as caught:
        household_import_upload(actor=users["caseworker_g1"], union=orgs["g1"], name=name, content=content)
    return caught.value.message


def test_a_file_of_another_kind_under_a_spreadsheet_name_is_named_and_saving_as_xlsx_is_asked(users, orgs):
    ods, xls = (FIXTURES / "households.ods").read_bytes(), (FIXTURES / "households.xls").read_bytes()
    xlsx = (FIXTURES / "households-openpyxl.xlsx").read_bytes()
    cases = [
        ("a.xlsx", ods, "扩展名是 .xlsx,内容却是OpenDocument 表格(.ods):请另存为 .xlsx"),
        ("a.xlsx", xls, "内容却是Excel 97-2003 工作簿(.xls):请另存为 .xlsx"),
        ("a.xls", xlsx, "扩展名是 .xls,内容却是Excel 工作簿(.xlsx)"),
        ("a.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页(HTML)"),
        ("a.xlsx", (FIXTURES / "households-utf8.csv").read_bytes(), "内容却是文本(CSV 等),不是表格文件:请将扩展名改为 .csv"),
        ("a.xlsx", b"%PDF-1.7 ...", "内容却是PDF 文档"),
        ("a.csv", xlsx, "扩展名是 .csv,内容却是Excel 工作簿"),
        ("a.txt", b"x", "不接受 .txt 文件"),
        ("a", b"x", "不接受没有扩展名的文件"),
        ("a.xlsm", xlsx, "不接受含宏的 .xlsm"),
    ]
    for name, content, expected in cases:
        message = _refused(users, orgs, name, content)
        assert expected in message, (name, message)
        assert message.endswith(ACCEPTED), message


def test_macros_and_passwords_are_refused_in_every_package(users, orgs):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO((FIXTURES / "households-openpyxl.xlsx").read_bytes())) as source, \
            zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr("xl/vbaProject.bin", b"\x00" * 10)
    assert "含有宏" in _refused(users, orgs, "a.xlsx", out.getvalue())
    xls = (FIXTURES / "households.xls").read_bytes()
    assert "含有宏" in _refused(users, orgs, "a.xls", xls + "_VBA_PROJECT_CUR".encode("utf-16-le"))
    encrypted = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le")
    assert "设有打开密码" in _refused(users, orgs, "a.xlsx", encrypted)


def test_a_cell_far_away_is_refused_without_harming_the_worker(users, orgs, settings):
    book = Workbook()
    ws = book.active
    ws.title = "家庭"
    ws["A1"], ws["XFD1048576"] = "户编号", "x"  # calamine would ask for hundreds of gigabytes
    book.create_sheet("成员")["A1"] = "户编号"
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationFailed, match="1048576行"):  # the declared dimension, at upload (limits.py)
        import_households(users, orgs, "far.xlsx", out.getvalue())
    settings.EXCHANGE_MAX_ROWS = 2_000_000  # past that check, the reader's child process still protects the worker
    job = import_households(users, orgs, "far.xlsx", out.getvalue())
    assert job.state == "invalid" and "结构异常" in job.message and job.message.endswith(ACCEPTED)


def test_an_id_number_saved_as_a_number_is_refused_alike_on_every_path(users, orgs, make_user):
    text = (FIXTURES / "households-utf8.csv").read_text("utf-8").replace("320100198001010232", "3.20100E+17")
    job = import_households(users, orgs, "a.csv", text.encode())
    assert job.state == "invalid"
    with job.result_file.open("rb") as fh:
        assert "身份证号码须以文本格式填写(数字格式会丢失末几位):3.20100E+17" in fh.read().decode("utf-8-sig")
    officer = make_user("department_officer", "province", department="civil_affairs")
    rows = (FIXTURES / "civil-affairs-dates.csv").read_text("utf-8").replace("320100198001010232", "3.2010019800101E+17")
    job = import_start(actor=officer, job=department_upload(actor=officer, name="a.csv", content=rows.encode()))
    assert job.state == "invalid" and "须以文本格式填写" in job.message + _result_text(job)


def _result_text(job) -> str:
    if not job.result_file:
        return ""
    with job.result_file.open("rb") as fh:
        return fh.read().decode("utf-8-sig")


def test_dates_and_money_written_otherwise_are_refused_naming_the_accepted_forms(users, orgs, make_user):
    assert import_households(users, orgs, "households-utf8.csv").state == "done"
    officer = make_user("department_officer", "province", department="civil_affairs")
    rows = (FIXTURES / "civil-affairs-dates.csv").read_text("utf-8")
    rows = rows.replace("2024/3/1,900", "03/01/24,900").replace("2024.3.1,900", "2024.3.1,\"8.800,80\"")
    job = import_start(actor=officer, job=department_upload(actor=officer, name="a.csv", content=rows.encode()))
    text = _result_text(job)
    assert job.state == "invalid"
    assert "起始日期日期无效:03/01/24(应为日期单元格,或 2024-03-01、2024/3/1、2024.3.1、2024年3月1日、20240301)" in text
    assert "月救助金额(元)应为数字:8.800,80(如 8800.80、8,800.80、¥8,800.80)" in text


def test_a_formula_cell_gives_the_result_its_program_saved_and_never_the_formula(users, orgs, make_user):
    from bangfu.exchange import files

    content = (FIXTURES / "civil-affairs-formula-libreoffice.xlsx").read_bytes()  # 月救助金额 is =800+100
    assert files.read_upload("a.xlsx", content, ("数据",))["数据"].rows[0]["月救助金额(元)"] == 900
    assert import_households(users, orgs, "households-utf8.csv").state == "done"
    officer = make_user("department_officer", "province", department="civil_affairs")
    job = import_start(actor=officer, job=department_upload(actor=officer, name="a.xlsx", content=content))
    assert job.state == "done" and DepartmentFact.objects.get().value["amount"] == "900.00"


def test_tab_separated_text_is_read_like_csv(users, orgs):
    import csv

    rows = list(csv.reader(io.StringIO((FIXTURES / "households-utf8.csv").read_text("utf-8"))))
    out = io.StringIO()
    csv.writer(out, delimiter="\t").writerows(rows)
    job = import_households(users, orgs, "a.csv", out.getvalue().encode("gb18030"))
    assert (job.state, job.written) == ("done", 3), job.message
    households, members = registry_rows()
    assert households == sorted(HOUSEHOLDS, key=lambda h: h[1]) and len(members) == 7


def test_rows_keep_their_numbers_in_the_file_when_the_sheet_starts_lower_down():
    from bangfu.exchange import files

    book = Workbook()
    ws = book.active
    ws.title = "数据"
    ws["B3"], ws["C3"], ws["B5"], ws["C6"] = "身份证号码", "姓名", "x", "y"
    out = io.BytesIO()
    book.save(out)
    sheet = files.read_upload("a.xlsx", out.getvalue(), ("数据",))["数据"]
    assert sheet.headers == ["身份证号码", "姓名"] and sheet.numbers == [5, 6]
    assert sheet.rows == [{"身份证号码": "x", "姓名": None}, {"身份证号码": None, "姓名": "y"}]
