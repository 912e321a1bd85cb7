"""The audit table append-only in the database itself (triggers), as the ledger is: the model refuses changes in
the application, the triggers refuse them in SQL."""

from __future__ import annotations

from bangfu.common.append_only import AppendOnly

AUDIT = AppendOnly(table="audit_auditentry", name="audit_entry",
                   message="audit entries are append-only: they cannot be changed or deleted")


# The migration's RunPython functions.
create_triggers, drop_triggers = AUDIT.forwards, AUDIT.backwards
