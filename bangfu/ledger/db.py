"""The database's own guard on the ledger: triggers that refuse UPDATE and DELETE of entries (SQLite, PostgreSQL).

On SQLite a migration that alters the entry table rebuilds it and drops its triggers: such a migration must
call `create_triggers` again.
"""

from __future__ import annotations

TABLE = "ledger_ledgerentry"
MESSAGE = "ledger entries are append-only: record a reversal instead"

SQLITE_CREATE = [
    f"CREATE TRIGGER IF NOT EXISTS ledger_entry_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER IF NOT EXISTS ledger_entry_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS ledger_entry_no_update;", "DROP TRIGGER IF EXISTS ledger_entry_no_delete;"]

POSTGRES_CREATE = [
    "CREATE OR REPLACE FUNCTION ledger_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE} (%)', TG_OP USING ERRCODE = 'integrity_constraint_violation'; END; $$;",
    f"DROP TRIGGER IF EXISTS ledger_entry_append_only ON {TABLE};",
    f"CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION ledger_entry_append_only();",
]
POSTGRES_DROP = [f"DROP TRIGGER IF EXISTS ledger_entry_append_only ON {TABLE};",
                 "DROP FUNCTION IF EXISTS ledger_entry_append_only();"]

STATEMENTS = {"sqlite": (SQLITE_CREATE, SQLITE_DROP), "postgresql": (POSTGRES_CREATE, POSTGRES_DROP)}


def _run(schema_editor, index: int) -> None:
    statements = STATEMENTS.get(schema_editor.connection.vendor)
    if statements is None:
        raise NotImplementedError(f"no append-only trigger for {schema_editor.connection.vendor}")
    for sql in statements[index]:
        schema_editor.execute(sql, params=None)  # no parameters: "%" in the SQL is literal


def create_triggers(apps, schema_editor) -> None:
    _run(schema_editor, 0)


def drop_triggers(apps, schema_editor) -> None:
    _run(schema_editor, 1)
