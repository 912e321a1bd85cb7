"""The ledger append-only in the database itself (triggers, bangfu.common.append_only): the services record a
reversal instead of changing an entry, and the triggers refuse UPDATE and DELETE of entries even in SQL.

On SQLite a migration that alters the entry table rebuilds it and drops its triggers: such a migration must
call `create_triggers` again."""

from __future__ import annotations

from bangfu.common.append_only import AppendOnly

ENTRIES = AppendOnly(table="ledger_ledgerentry", name="ledger_entry",
                     message="ledger entries are append-only: record a reversal instead")


# The migration's RunPython functions.
create_triggers, drop_triggers = ENTRIES.forwards, ENTRIES.backwards
