"""The limits on an uploaded file, in one place: its size, its unpacked size (zip bombs), its rows, and the memory
and time the spreadsheet reader may use. Settings: `EXCHANGE_MAX_BYTES`, `EXCHANGE_MAX_UNPACKED`,
`EXCHANGE_MAX_ROWS`, `EXCHANGE_READER_MEMORY`, `EXCHANGE_READER_SECONDS`."""

from __future__ import annotations

import zipfile

from django.conf import settings

from bangfu.common.errors import ValidationFailed


def check_size(content: bytes) -> None:
    if not content:
        raise ValidationFailed("文件为空", field="file")
    limit = settings.EXCHANGE_MAX_BYTES
    if len(content) > limit:
        raise ValidationFailed(f"文件过大:不能超过{limit // (1024 * 1024) or 1}MB", field="file")


def check_package(archive: zipfile.ZipFile) -> None:
    """A zip package (.xlsx, .xlsb, .ods) whose parts unpack to more than the limit is refused before reading."""
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > settings.EXCHANGE_MAX_UNPACKED:
        raise ValidationFailed("文件解压后过大,疑似恶意文件,已拒绝", field="file")


def max_rows() -> int:
    return settings.EXCHANGE_MAX_ROWS


def rows_message(sheet: str) -> str:
    return f"「{sheet}」行数过多:每张表不能超过{settings.EXCHANGE_MAX_ROWS}行,请分批导入"


def check_rows(count: int, sheet: str) -> None:
    if count > settings.EXCHANGE_MAX_ROWS:
        raise ValidationFailed(rows_message(sheet), field="file")


def reader_memory() -> int:
    """Bytes of address space the spreadsheet reader's process may use (it is stopped, and the file refused, beyond)."""
    return settings.EXCHANGE_READER_MEMORY


def reader_seconds() -> int:
    return settings.EXCHANGE_READER_SECONDS
