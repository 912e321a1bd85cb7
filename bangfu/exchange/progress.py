"""A job's progress bar: `processed` stored where the page's poller sees it, also while the job writes in one transaction."""

from __future__ import annotations

from django.db import connections, transaction

from .models import ImportJob


class Progress:
    """`progress(n)` stores `processed = n`; a smaller `n` than already stored is ignored, so the bar never goes back.

    Outside a transaction this is an ordinary UPDATE. Inside one (a job's write is all or nothing), an UPDATE on the
    same connection would only be seen at the commit: on PostgreSQL it goes through a connection of its own instead,
    and skips the row rather than wait should the job's transaction hold it. SQLite admits one writer at a time, so
    there the figures written inside the transaction are seen at its commit. Call `close()` when the job ends."""

    def __init__(self, job_id: int) -> None:
        self.job_id, self.last = job_id, 0
        self._side = None

    def __call__(self, count: int) -> None:
        if count <= self.last:
            return
        self.last = count
        main = transaction.get_connection()
        if main.in_atomic_block and main.vendor == "postgresql":
            self._update_aside(main.alias, count)
        else:
            ImportJob.objects.filter(pk=self.job_id, processed__lt=count).update(processed=count)

    def _update_aside(self, alias: str, count: int) -> None:
        if self._side is None:
            self._side = connections.create_connection(alias)
        table = self._side.ops.quote_name(ImportJob._meta.db_table)
        with self._side.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET processed = %s WHERE id = (SELECT id FROM {table} WHERE id = %s "
                           "AND processed < %s FOR NO KEY UPDATE SKIP LOCKED)", [count, self.job_id, count])

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
