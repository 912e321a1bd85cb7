"""A job's progress bar: `processed` stored where the page's poller sees it, also while the job writes in one
transaction; each store also renews the job's lease (leases.py), so a working job is never taken for a dead one."""

from __future__ import annotations

import time

from django.db import connections, transaction

from .leases import lease_until
from .models import ImportJob

HEARTBEAT_SECONDS = 20


class Progress:
    """`progress(n)` stores `processed = n`; a smaller `n` than already stored is ignored, so the bar never goes back.

    Outside a transaction this is an ordinary UPDATE. Inside one (a job's write is all or nothing), an UPDATE on the
    same connection would only be seen at the commit: on PostgreSQL it goes through a connection of its own instead,
    and skips the row rather than wait should the job's transaction hold it. SQLite admits one writer at a time, so
    there the figures written inside the transaction are seen at its commit. Call `close()` when the job ends."""

    def __init__(self, job_id: int, model=ImportJob, field: str = "processed") -> None:
        """`model` is any table with a lease (`lease_until`) and a count column `field`: an import job, a round
        whose list is prepared in the background (programmes)."""
        self.job_id, self.last, self.model, self.field = job_id, 0, model, field
        self._side = None
        self._beat = time.monotonic()

    def __call__(self, count: int) -> None:
        beat_due = time.monotonic() - self._beat >= HEARTBEAT_SECONDS
        if count <= self.last and not beat_due:
            return
        self.last, self._beat = max(count, self.last), time.monotonic()
        main = transaction.get_connection()
        if main.in_atomic_block and main.vendor == "postgresql":
            self._update_aside(main.alias, self.last)
        else:
            self.model.objects.filter(pk=self.job_id).update(**{self.field: self.last, "lease_until": lease_until()})

    def _update_aside(self, alias: str, count: int) -> None:
        if self._side is None:
            self._side = connections.create_connection(alias)
        table = self._side.ops.quote_name(self.model._meta.db_table)
        column = self._side.ops.quote_name(self.model._meta.get_field(self.field).column)
        with self._side.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {column} = GREATEST({column}, %s), lease_until = %s WHERE id = "
                           f"(SELECT id FROM {table} WHERE id = %s FOR NO KEY UPDATE SKIP LOCKED)",
                           [count, lease_until(), self.job_id])

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
