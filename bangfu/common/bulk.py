"""Fast bulk inserts for generated rows (the demo's 300,000 members): COPY on PostgreSQL, executemany elsewhere.

bulk_create spends most of its time building model instances and preparing each value; for rows that this
program generates itself (not user input), plain records and one converter per column are enough.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import attrgetter
from types import SimpleNamespace
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections

from bangfu.common import clock


def _fields(model) -> list:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def blank_factory(model) -> Callable[..., SimpleNamespace]:
    """A maker of plain records with the model's defaults (foreign keys by `<name>_id`)."""
    defaults = {f.attname: f.get_default() for f in _fields(model)}

    def make(**values: Any) -> SimpleNamespace:
        return SimpleNamespace(**{**defaults, **values})

    return make


def converter(field, now) -> Callable[[Any], Any]:
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: `connection` is a proxy that looks it up each time
    ops, kind = db.ops, field.get_internal_type()
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        stamp = ops.adapt_datetimefield_value(now)
        return lambda obj: stamp
    get = attrgetter(field.attname)
    if kind == "DateField":
        return lambda obj: ops.adapt_datefield_value(get(obj))
    if kind == "DecimalField":
        return lambda obj: ops.adapt_decimalfield_value(get(obj), field.max_digits, field.decimal_places)
    if kind in {"DateTimeField", "JSONField"}:
        return lambda obj: field.get_db_prep_save(get(obj), db)
    return get


def fast_insert(model, records: Iterable) -> None:
    """Insert the records (model instances or plain records) as they are; no signals, no returned keys."""
    fields = _fields(model)
    converters = [converter(f, clock.now()) for f in fields]
    rows = [[convert(record) for convert in converters] for record in records]
    quote = connection.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
