"""Resource limits of uploads and the worker (exchange/limits.py): zip ratio and size before any reader runs, rows
while streaming, encodings named when refused, and a memory limit that fails the job cleanly."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest

from bangfu.common.errors import ValidationFailed
from bangfu.exchange import files, limits
from bangfu.exchange.jobs import household_import_upload, import_start
from bangfu.registry.models import Household

pytestmark = pytest.mark.django_db


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_package_that_unpacks_far_beyond_its_size_is_refused_by_ratio_at_upload(users, orgs):
    bomb = _zip({"xl/worksheets/sheet1.xml": b"<row/>" * (8 * 1024 * 1024 // 6)})  # 8 MB from ~10 KB
    assert len(bomb) < 100_000
    with pytest.raises(ValidationFailed, match="压缩比异常"):
        household_import_upload(actor=users["caseworker_g1"], union=orgs["g1"], name="a.xlsx", content=bomb)


def test_the_absolute_unpacked_size_is_capped(settings):
    settings.EXCHANGE_MAX_UNPACKED = 1024
    with pytest.raises(ValidationFailed, match="解压后过大"):
        limits.check_package(zipfile.ZipFile(io.BytesIO(_zip({"xl/styles.xml": b"x" * 2048}))))


def test_a_declared_dimension_beyond_the_row_limit_is_refused_without_reading_the_sheet(settings):
    settings.EXCHANGE_MAX_ROWS = 1000
    sheet = b'<?xml version="1.0"?><worksheet><dimension ref="A1:N10000000"/><sheetData/></worksheet>'
    with pytest.raises(ValidationFailed, match="10000000行"):
        limits.check_package(zipfile.ZipFile(io.BytesIO(_zip({"xl/worksheets/sheet1.xml": sheet}))))


def test_rows_are_counted_while_streaming_empty_ones_included(settings):
    settings.EXCHANGE_MAX_ROWS = 100
    consumed = []

    def rows():  # ten million empty rows, as a hostile sheet without a dimension would stream them
        for number in range(2, 10_000_000):
            consumed.append(number)
            yield number, (None, None)

    with pytest.raises(ValidationFailed, match="行数过多"):
        files._collect(files.Sheet("家庭", ["a", "b"]), rows())
    assert len(consumed) < 200  # refused at the limit, not after the whole sheet


HEADER = "户编号,姓名,身份证号码,与职工关系\n1,张伟,320102198001010011,本人\n"


@pytest.mark.parametrize(("encoding", "name"), [("big5", "Big5"), ("shift_jis", "Shift-JIS")])
def test_big5_and_shift_jis_are_refused_naming_the_encoding(encoding, name):
    content = HEADER.replace("张伟", "陳大文" if encoding == "big5" else "山田").encode(encoding, errors="replace")
    with pytest.raises(ValidationFailed, match=name):
        files.decode_csv(content)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_utf8_and_gb18030_are_read(encoding):
    text = HEADER + "2,王喆,320102198001010011,配偶\n"  # 喆: outside GB2312, inside GB18030
    assert files.decode_csv(text.encode(encoding)) == text


def test_utf16_is_refused_by_name():
    with pytest.raises(ValidationFailed, match="UTF-16"):
        files.decode_csv(HEADER.encode("utf-16"))


def test_a_job_that_runs_out_of_memory_fails_cleanly(users, orgs, household_file, monkeypatch):
    from bangfu.exchange import jobs

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(jobs, "write_all", exhausted)
    job = household_import_upload(actor=users["caseworker_g1"], union=orgs["g1"], name="a.xlsx",
                                  content=household_file(2))
    job = import_start(actor=users["caseworker_g1"], job=job)
    assert job.state == "failed" and job.message == limits.MEMORY_MESSAGE
    assert Household.objects.count() == 0


def test_the_worker_memory_limit_turns_a_huge_allocation_into_memory_error():
    script = ("from bangfu.exchange.limits import set_memory_limit\n"
              "set_memory_limit(400)\n"
              "try:\n    b = bytearray(2 * 1024 ** 3)\nexcept MemoryError:\n    print('refused')\n")
    answer = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert answer.stdout.strip() == "refused", answer.stderr
