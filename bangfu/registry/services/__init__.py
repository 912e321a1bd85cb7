"""Use cases of the household file, one function per action; each writes its audit row in its transaction."""

from .documents import document_delete, document_open, document_upload
from .households import (
    household_create,
    household_update,
    income_delete,
    income_set,
)
from .members import member_add, member_id_number_reveal, member_remove, member_update

__all__ = [
    "document_delete", "document_open", "document_upload", "household_create", "household_update",
    "income_delete", "income_set", "member_add", "member_id_number_reveal",
    "member_remove", "member_update",
]
