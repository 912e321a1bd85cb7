"""What an uploaded file really is, from its first bytes and its package, whatever its name says.

Offices rename files (an .ods saved as .xlsx), systems export web pages or text under an .xls name, and a password
turns an .xlsx into an OLE container: each gets a message naming the real problem and what to do about it.
"""

from __future__ import annotations

import io
import zipfile

from bangfu.common.errors import ValidationFailed

from .limits import check_package

READABLE = ("xlsx", "xls", "xlsb", "ods", "csv")
ACCEPTED = "可上传:.xlsx、.xls、.xlsb、.ods 表格,或 .csv 文本(UTF-8、UTF-8 BOM、GB18030、GBK 编码)"
LABELS = {
    "xlsx": "Excel 工作簿(.xlsx)", "xls": "Excel 97-2003 工作簿(.xls)", "xlsb": "Excel 二进制工作簿(.xlsb)",
    "ods": "OpenDocument 表格(.ods)", "csv": "文本(CSV)", "xlsm": "含宏的 Excel 工作簿", "html": "网页(HTML)",
    "xml": "XML 表格", "pdf": "PDF 文档", "word": "Word 文档", "encrypted": "设有打开密码的文件",
    "zip": "压缩包", "other": "无法识别的文件",
}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _zip_kind(content: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise ValidationFailed(f"文件已损坏,无法读取。{ACCEPTED}", field="file") from exc
    check_package(archive)
    lowered = {name.lower() for name in names}
    if any(name.endswith("vbaproject.bin") for name in lowered) or any(n.startswith("basic/") for n in lowered):
        return "xlsm"
    if "mimetype" in names:
        with archive.open("mimetype") as part:
            mimetype = part.read(200).strip()
        return "ods" if mimetype in (ODS_MIMETYPE, ODS_MIMETYPE + b"-template") else "other"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "word/document.xml" in names:
        return "word"
    return "zip"


def _ole_kind(content: bytes) -> str:
    # Directory entries of an OLE container are named in UTF-16: a workbook's stream is "Workbook" (or "Book" in
    # Excel 5); a password-protected .xlsx is an "EncryptedPackage"; VBA lives under "_VBA_PROJECT_CUR".
    if _utf16("EncryptedPackage") in content:
        return "encrypted"
    if _utf16("_VBA_PROJECT_CUR") in content:
        return "xlsm"
    if _utf16("Workbook") in content or _utf16("Book\x00") in content:
        return "xls"
    if _utf16("WordDocument") in content:
        return "word"
    return "other"


def _text_kind(content: bytes) -> str:
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")):
        return "html"
    if head.startswith(b"<?xml"):
        return "html" if b"<html" in head else "xml"
    if head.startswith(b"%pdf"):
        return "pdf"
    if b"\x00" in content[:4096]:
        return "other"
    return "csv"


def kind_of(content: bytes) -> str:
    """xlsx | xls | xlsb | ods | csv (text) | xlsm | html | xml | pdf | word | encrypted | zip | other."""
    if content.startswith(b"PK\x03\x04"):
        return _zip_kind(content)
    if content.startswith(OLE):
        return _ole_kind(content)
    return _text_kind(content)


def check_kind(extension: str, content: bytes) -> str:
    """The file's real kind when it is one we read under its own name; otherwise a refusal naming what it is."""
    kind = kind_of(content)
    if kind == extension:
        return kind
    if kind == "xlsm":
        raise ValidationFailed(f"文件含有宏,已拒绝:请在表格软件中另存为不含宏的 .xlsx 后上传。{ACCEPTED}", field="file")
    if kind == "encrypted":
        raise ValidationFailed(f"文件设有打开密码,无法读取:请取消密码后另存为 .xlsx 再上传。{ACCEPTED}", field="file")
    if kind == "html":
        raise ValidationFailed("文件内容是网页(HTML),不是真正的表格文件(有些系统导出的 .xls 实为网页):"
                               f"请用表格软件打开后另存为 .xlsx 再上传。{ACCEPTED}", field="file")
    if extension == "csv":
        raise ValidationFailed(f"文件扩展名是 .csv,内容却是{LABELS[kind]}:请另存为 .xlsx(或 CSV 文本)再上传。{ACCEPTED}",
                               field="file")
    if kind == "csv":
        raise ValidationFailed(f"文件扩展名是 .{extension},内容却是文本(CSV 等),不是表格文件:请将扩展名改为 .csv,"
                               f"或用表格软件打开后另存为 .xlsx 再上传。{ACCEPTED}", field="file")
    if kind in READABLE:
        raise ValidationFailed(f"文件扩展名是 .{extension},内容却是{LABELS[kind]}:请另存为 .xlsx(或把扩展名改回 "
                               f".{kind})再上传。{ACCEPTED}", field="file")
    raise ValidationFailed(f"文件扩展名是 .{extension},内容却是{LABELS[kind]},不是表格文件:请另存为 .xlsx 再上传。"
                           f"{ACCEPTED}", field="file")
