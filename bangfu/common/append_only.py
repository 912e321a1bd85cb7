"""The database's own guard on an append-only table: triggers that refuse UPDATE and DELETE (SQLite, PostgreSQL),
so that not even SQL typed at a console changes history. A migration creates them with `create(schema_editor)`.

On SQLite a migration that alters the table rebuilds it and drops its triggers: such a migration must create them
again. PostgreSQL's TRUNCATE (the test suite's flush) is not seen by row triggers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AppendOnly:
    table: str
    name: str  # prefix of the trigger and function names
    message: str  # ASCII: SQLite's RAISE takes a literal

    def statements(self, vendor: str) -> tuple[list[str], list[str]]:
        t, n, m = self.table, self.name, self.message
        if vendor == "sqlite":
            return ([f"CREATE TRIGGER IF NOT EXISTS {n}_no_update BEFORE UPDATE ON {t} "
                     f"BEGIN SELECT RAISE(ABORT, '{m}'); END;",
                     f"CREATE TRIGGER IF NOT EXISTS {n}_no_delete BEFORE DELETE ON {t} "
                     f"BEGIN SELECT RAISE(ABORT, '{m}'); END;"],
                    [f"DROP TRIGGER IF EXISTS {n}_no_update;", f"DROP TRIGGER IF EXISTS {n}_no_delete;"])
        if vendor == "postgresql":
            return ([f"CREATE OR REPLACE FUNCTION {n}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
                     f"BEGIN RAISE EXCEPTION '{m} (%)', TG_OP USING ERRCODE = 'integrity_constraint_violation'; "
                     "END; $$;",
                     f"DROP TRIGGER IF EXISTS {n}_append_only ON {t};",
                     f"CREATE TRIGGER {n}_append_only BEFORE UPDATE OR DELETE ON {t} "
                     f"FOR EACH ROW EXECUTE FUNCTION {n}_append_only();"],
                    [f"DROP TRIGGER IF EXISTS {n}_append_only ON {t};", f"DROP FUNCTION IF EXISTS {n}_append_only();"])
        raise NotImplementedError(f"no append-only trigger for {vendor}")

    def _run(self, schema_editor, index: int) -> None:
        for sql in self.statements(schema_editor.connection.vendor)[index]:
            schema_editor.execute(sql, params=None)  # no parameters: "%" in the SQL is literal

    def create(self, schema_editor) -> None:
        self._run(schema_editor, 0)

    def drop(self, schema_editor) -> None:
        self._run(schema_editor, 1)

    def forwards(self, apps, schema_editor) -> None:
        """For a migration's RunPython: create the triggers."""
        self.create(schema_editor)

    def backwards(self, apps, schema_editor) -> None:
        """For a migration's RunPython: drop the triggers."""
        self.drop(schema_editor)
