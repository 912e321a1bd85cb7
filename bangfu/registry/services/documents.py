"""Document use cases: upload with type and size limits, delete. Files are stored under var/media."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from bangfu.accounts.access import CHANGE, DELETE, VIEW
from bangfu.common.errors import ValidationFailed
from bangfu.common.storage import open_stored

from .. import choices as c
from ..models import Document, Household
from .common import audit_household, check_household

# Extension → (content type, leading bytes). The content must match the name: a renamed file is refused.
ALLOWED = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def _check_file(name: str, content: bytes) -> str:
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED:
        raise ValidationFailed("只能上传PDF、JPG或PNG文件", field="file")
    if not content:
        raise ValidationFailed("文件为空", field="file")
    if len(content) > settings.DOCUMENT_MAX_BYTES:
        raise ValidationFailed(f"文件不能超过{settings.DOCUMENT_MAX_BYTES // (1024 * 1024)}MB", field="file")
    content_type, magics = ALLOWED[extension]
    if not content.startswith(magics):
        raise ValidationFailed("文件内容与扩展名不符", field="file")
    return content_type


@transaction.atomic
def document_upload(*, actor, household: Household, doc_type: str, name: str, content: bytes) -> Document:
    """Store a document (申请表, 收入证明, 诊断证明, …) under a random name; the original name is kept apart."""
    check_household(actor, household, CHANGE)
    if doc_type not in c.DocumentType.values:
        raise ValidationFailed(f"材料类型无效:{doc_type}", field="doc_type")
    content_type = _check_file(name, content)
    extension = PurePath(name).suffix.lower()
    document = Document(
        household=household, doc_type=doc_type, original_name=PurePath(name).name[:200],
        content_type=content_type, size=len(content), sha256=hashlib.sha256(content).hexdigest(), uploaded_by=actor,
    )
    document.file.save(f"{uuid.uuid4().hex}{extension}", ContentFile(content), save=False)
    try:
        document.save()
    except Exception:
        # A failed upload must not leave its file behind.
        document.file.storage.delete(document.file.name)
        raise
    audit_household(actor, "document.upload", household,
                    after={"document": document.pk, "doc_type": doc_type, "name": document.original_name,
                           "size": document.size, "sha256": document.sha256})
    return document


@transaction.atomic
def document_delete(*, actor, document: Document) -> None:
    household = document.household
    check_household(actor, household, DELETE)
    before = {"document": document.pk, "doc_type": document.doc_type, "name": document.original_name}
    storage, path = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(path))
    audit_household(actor, "document.delete", household, before=before)


@transaction.atomic
def document_open(*, actor, document: Document):
    """The stored file opened for download; each download is audited (scans of ID cards carry full numbers).
    The caller closes the file (a FileResponse does)."""
    household = document.household
    check_household(actor, household, VIEW)
    audit_household(actor, "document.download", household,
                    after={"document": document.pk, "doc_type": document.doc_type, "name": document.original_name})
    return open_stored(document.file, "该材料的文件已不在存储中,请联系管理员从备份恢复")
