"""Writing checked households with bulk inserts (never half a household), and the file returned with a 错误 column."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, connection, transaction
from openpyxl import Workbook

from bangfu.audit.services import audit_log_many
from bangfu.common import clock
from bangfu.common.bulk import blank_factory, converter, fast_insert
from bangfu.common.spreadsheets import append_row, csv_bytes, workbook_bytes
from bangfu.registry.models import Household, Member

from .columns import ERROR_HEADER, OUTCOME_HEADER
from .files import Sheet, text
from .importer import PlannedHousehold

BATCH = 2000


def _insert(actor, job_id: int, batch: list[PlannedHousehold]) -> None:
    """One batch of whole households: households, then their members (COPY on PostgreSQL), then audit rows."""
    objects = _households(actor, batch)
    make = blank_factory(Member)
    members = [
        make(household_id=obj.pk, position=position, **{k: v for k, v in m.items() if k != "_ref"})
        for obj, planned in zip(objects, batch, strict=True) for position, m in enumerate(planned.members)
    ]
    fast_insert(Member, members)
    audit_log_many(actor=actor, action="household.import", object_type="household", rows=(
        {"object_id": obj.pk, "area_path": planned.union.path,
         "after": {"job": job_id, "members": len(planned.members), "number": planned.number}}
        for obj, planned in zip(objects, batch, strict=True)))


def _households(actor, batch: list[PlannedHousehold]) -> list:
    """The households' rows. On PostgreSQL their keys are drawn from the sequence first, then COPY writes them
    (bulk_create spends most of its time preparing each value); elsewhere bulk_create returns the keys."""
    objects = [Household(union=h.union, created_by=actor, **h.fields) for h in batch]
    if connection.vendor != "postgresql":
        Household.objects.bulk_create(objects)
        return objects
    table = Household._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [table, len(objects)])
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
    _copy_with_keys(Household, objects)
    return objects


def _copy_with_keys(model, records: list) -> None:
    """COPY the records with their primary keys (common.bulk.fast_insert leaves keys to the database)."""
    fields = list(model._meta.concrete_fields)
    converters = [converter(f, clock.now()) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for record in records:
            copy.write_row([convert(record) for convert in converters])


def _insert_batch(actor, job_id: int, batch: list[PlannedHousehold]) -> None:
    """`_insert` in a savepoint, its database errors as Django's (COPY reports them in the driver's own classes)."""
    with transaction.atomic(), connection.wrap_database_errors:
        _insert(actor, job_id, batch)


def write_all(actor, job_id: int, households: list[PlannedHousehold], *,
              progress: Callable[[int], None] = lambda n: None) -> int:
    """All or nothing: one transaction; a clash with a registration made meanwhile rolls everything back.
    `progress(n)`: n households handled so far, after each batch."""
    with transaction.atomic():
        for start in range(0, len(households), BATCH):
            _insert(actor, job_id, households[start:start + BATCH])
            progress(min(start + BATCH, len(households)))
    return len(households)


def write_clean(actor, job_id: int, households: list[PlannedHousehold], *,
                progress: Callable[[int], None] = lambda n: None) -> tuple[int, dict[str, str]]:
    """Batches of whole households, each in a savepoint; a failing batch is retried household by household, and a
    household that still fails is left out whole. The caller's transaction makes the run all or nothing."""
    written, failed = 0, {}
    for start in range(0, len(households), BATCH):
        batch = households[start:start + BATCH]
        try:
            _insert_batch(actor, job_id, batch)
            written += len(batch)
        except IntegrityError:
            for household in batch:
                try:
                    _insert_batch(actor, job_id, [household])
                    written += 1
                except IntegrityError:
                    failed[household.number] = "写入时发现成员已在其他家庭登记(可能刚被他人登记),整户未导入"
        progress(start + len(batch))
    return written, failed


def _result_headers(sheet: Sheet, outcomes: dict | None) -> list[str]:
    return [*sheet.headers, *([OUTCOME_HEADER] if outcomes is not None else []), ERROR_HEADER]


def _result_cells(sheet: Sheet, index: int, errors: dict, outcomes: dict | None) -> list[str]:
    """The outcome of the row (when the result has that column) and its errors, 错误 last."""
    ref = (sheet.name, index)
    return [*([outcomes.get(ref, "")] if outcomes is not None else []), "；".join(errors.get(ref, []))]


def result_xlsx(sheets: list[Sheet], errors: dict, outcomes: dict | None = None) -> bytes:
    book = Workbook(write_only=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        append_row(ws, _result_headers(sheet, outcomes))
        for index, row in enumerate(sheet.rows):
            values = [row.get(h) for h in sheet.headers]
            append_row(ws, [*values, *_result_cells(sheet, index, errors, outcomes)])
    return workbook_bytes(book)


def result_csv(sheet: Sheet, errors: dict, outcomes: dict | None = None) -> bytes:
    rows = ([*(text(row.get(h)) for h in sheet.headers), *_result_cells(sheet, index, errors, outcomes)]
            for index, row in enumerate(sheet.rows))
    return csv_bytes(_result_headers(sheet, outcomes), rows)
