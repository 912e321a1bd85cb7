"""The limits on an uploaded file, in one place: its size, its unpacked size (zip bombs), its rows, and the memory
and time the spreadsheet reader may use, a CSV's encoding, and the background worker's memory. Settings:
`EXCHANGE_MAX_BYTES`, `EXCHANGE_MAX_UNPACKED`, `EXCHANGE_MAX_RATIO`, `EXCHANGE_MAX_ROWS`, `EXCHANGE_READER_MEMORY`,
`EXCHANGE_READER_SECONDS`, `BANGFU_WORKER_MEMORY_MB`.

A zip package is judged from its directory and the first bytes of each worksheet, before any reader runs: entries,
unpacked size (absolute) and unpacked-to-packed ratio (zip bombs), and the rows a sheet declares (`<dimension>`)."""

from __future__ import annotations

import re
import zipfile

from django.conf import settings

from bangfu.common.errors import ValidationFailed

MEMORY_MESSAGE = "处理失败:文件过大,处理时超出内存限制,数据库未做任何修改。请将文件拆分后分批导入。"
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')
_HEAD_BYTES = 4096
MAX_ENTRIES = 2000


def _refuse(message: str) -> None:
    raise ValidationFailed(message, field="file")


def check_size(content: bytes) -> None:
    if not content:
        raise ValidationFailed("文件为空", field="file")
    limit = settings.EXCHANGE_MAX_BYTES
    if len(content) > limit:
        raise ValidationFailed(f"文件过大:不能超过{limit // (1024 * 1024) or 1}MB", field="file")


def check_package(archive: zipfile.ZipFile) -> None:
    """A zip package (.xlsx, .xlsb, .ods) refused before reading when it has too many parts, unpacks beyond the
    absolute limit or far beyond its packed size (as a whole or one part), or a sheet declares too many rows."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        _refuse("文件结构异常(包含的部件过多),疑似恶意文件,已拒绝")
    unpacked = sum(info.file_size for info in entries)
    if unpacked > settings.EXCHANGE_MAX_UNPACKED:
        _refuse(f"文件解压后过大(超过{settings.EXCHANGE_MAX_UNPACKED // (1024 * 1024)}MB),疑似恶意文件,已拒绝")
    ratio, packed = settings.EXCHANGE_MAX_RATIO, sum(info.compress_size for info in entries)
    if unpacked > 1024 * 1024 and unpacked > ratio * max(packed, 1):
        _refuse(f"文件压缩比异常(解压后是原文件的{unpacked // max(packed, 1)}倍),疑似恶意文件,已拒绝")
    for info in entries:
        if info.file_size > 1024 * 1024 and info.file_size > ratio * max(info.compress_size, 1):
            _refuse("文件压缩比异常,疑似恶意文件,已拒绝")
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            _check_dimension(archive, info)


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


def _check_dimension(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    try:
        with archive.open(info) as part:
            head = part.read(_HEAD_BYTES)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as exc:  # broken, or encrypted
        raise ValidationFailed("文件已损坏或已加密,无法作为 Excel 文件读取", field="file") from exc
    match = _DIMENSION.search(head)
    if match and match.group(1) and int(match.group(1)) > settings.EXCHANGE_MAX_ROWS + 1:
        _refuse(f"工作表行数过多({int(match.group(1))}行,含空行):每张表不能超过{settings.EXCHANGE_MAX_ROWS}行,"
                "请删除多余的空行或分批导入")


def check_row_number(number: int, sheet: str) -> None:
    """Called for every row streamed (empty ones too): past the limit the sheet is refused at once."""
    if number > settings.EXCHANGE_MAX_ROWS + 1:  # +1: the header row
        _refuse(f"「{sheet}」行数过多(含空行):每张表不能超过{settings.EXCHANGE_MAX_ROWS}行,请删除多余的空行或分批导入")


# Encodings a CSV might come in, beside the accepted ones, with the name users know them by.
_FOREIGN = (("big5", "Big5(繁体中文)"), ("shift_jis", "Shift-JIS(日文)"), ("euc_kr", "EUC-KR(韩文)"))
_HEADER_WORDS = ("姓名", "身份", "证件", "户编号", "关系", "住址", "家庭")


def _plausible_gb(text: str) -> bool:
    """GB18030 decodes almost any bytes: text from another encoding shows as rare characters. Real files are
    mostly characters of GB2312 (the common 6,763); a file whose CJK text is mostly outside it is not GB text."""
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return True
    common = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= 0.9 * len(wide)


def detect_encoding(content: bytes) -> str:
    """'utf-8-sig' or 'gb18030'; any other encoding is refused with its name when it can be told."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in content[:4096]:
        _refuse("CSV 文件是 UTF-16 编码(或二进制文件),只接受 UTF-8 或 GB18030 编码,请在 Excel 中另存为「CSV UTF-8」")
    try:
        content.decode("utf-8-sig")
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    sample = content[:65536]
    head = sample[: sample.find(b"\n")] if b"\n" in sample else sample
    try:
        gb_head, gb = head.decode("gb18030"), sample.decode("gb18030", errors="ignore")
    except UnicodeDecodeError:
        gb_head, gb = "", ""
    if any(w in gb_head for w in _HEADER_WORDS) or (gb and _plausible_gb(gb)):
        return "gb18030"
    for codec, label in _FOREIGN:
        try:
            text = head.decode(codec)
        except UnicodeDecodeError:
            continue
        if any(w in text for w in ("姓名", "身份", "證", "関係", "氏名")):
            _refuse(f"CSV 文件是 {label} 编码,只接受 UTF-8 或 GB18030(简体中文)编码,请另存为「CSV UTF-8」后重新上传")
    _refuse("CSV 文件编码无法识别:只接受 UTF-8、UTF-8-BOM 或 GB18030 编码,请另存为「CSV UTF-8」后重新上传")
    raise AssertionError  # unreachable


def apply_worker_memory_limit() -> None:
    """In a worker process (not the web process, not tests' immediate mode): an address-space limit
    (BANGFU_WORKER_MEMORY_MB), so an allocation beyond it raises MemoryError, which fails the job cleanly."""
    megabytes = getattr(settings, "BANGFU_WORKER_MEMORY_MB", 0)
    if not megabytes or settings.HUEY.get("immediate"):
        return
    set_memory_limit(megabytes)


def set_memory_limit(megabytes: int) -> None:
    try:
        import resource
    except ImportError:  # not on this platform
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft == resource.RLIM_INFINITY or soft > wanted:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
