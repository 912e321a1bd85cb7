"""The audit table append-only in the database itself (triggers), as the ledger is: the model refuses changes in
the application, the triggers refuse them in SQL."""

from __future__ import annotations

from bangfu.common.append_only import AppendOnly

AUDIT = AppendOnly(table="audit_auditentry", name="audit_entry",
                   message="audit entries are append-only: they cannot be changed or deleted")


def create_triggers(apps, schema_editor) -> None:
    AUDIT.create(schema_editor)


def drop_triggers(apps, schema_editor) -> None:
    AUDIT.drop(schema_editor)
