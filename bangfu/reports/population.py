"""The archive as a population file (Parquet, the engine's schema `bangfu.policy.parquet`) for what-ifs offline
(`bangfu assess-table`): the archived households of a union's subtree on a date, each member named by a salted hash
of their ID number (the salt from the environment, never in the repository), so that no ID number leaves."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import io

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.db import transaction

from bangfu.accounts.access import EXPORT, require
from bangfu.audit.services import audit_log
from bangfu.common.bounds import as_of_within
from bangfu.common.errors import ValidationFailed
from bangfu.policy import parquet as pf

from .entitlements import archived_households, chunks

SCHEMA = pf.SCHEMA.append(pa.field("union", pf.REGION))  # the household's union's division code, for totals by area
DATE_KEYS = {"as_of", "birth_date", "registered_on"}


def id_hash(id_number: str, salt: str) -> str:
    """HMAC-SHA256 of the ID number under the salt: the same person has the same name in every export made with
    the same salt; without the salt the number cannot be found again from it."""
    return hmac.new(salt.encode(), id_number.upper().encode(), hashlib.sha256).hexdigest()[:32]


def export_configured() -> bool:
    """The deployment has set a salt long enough to export (pages offer the export only then)."""
    return len(getattr(settings, "BANGFU_EXPORT_SALT", "")) >= 16


def _salt() -> str:
    salt = getattr(settings, "BANGFU_EXPORT_SALT", "")
    if not export_configured():
        raise ValidationFailed("未配置身份证号码加密盐值(环境变量 BANGFU_EXPORT_SALT,至少16位),不能导出测算人口文件")
    return salt


def _dated(value):
    if isinstance(value, dict):
        return {k: datetime.date.fromisoformat(v) if k in DATE_KEYS and isinstance(v, str) else _dated(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_dated(v) for v in value]
    return value


def _row(household, as_of: datetime.date, salt: str) -> dict:
    from bangfu.registry.assessment import household_to_assessment_document

    document = household_to_assessment_document(household, as_of)
    numbers = {f"m{m.pk}": m.id_number for m in household.active_members}
    for member in document["members"]:
        member["id"] = id_hash(numbers[member["id"]] or member["id"], salt)
    return {**_dated(document), "union": household.union.division_code}


def population_table(*, user, union, as_of: datetime.date) -> pa.Table:
    """The archived households of the union's subtree that the user may export, a row per member (`pf.SCHEMA`)."""
    require(user, EXPORT)
    as_of_within(as_of)
    salt = _salt()
    queryset = archived_households(user=user, union=union)
    batches, first = [], 0
    for chunk in chunks(queryset):
        batches.append(pf.table([_row(h, as_of, salt) for h in chunk], SCHEMA, first))
        first += len(chunk)
    return pa.concat_tables(batches) if batches else SCHEMA.empty_table()


@transaction.atomic
def population_export(*, user, union, as_of: datetime.date) -> bytes:
    """The Parquet file's bytes, the export written to the audit trail (how many households, never who)."""
    table = population_table(user=user, union=union, as_of=as_of)
    out = io.BytesIO()
    pq.write_table(table, out, **pf.write_options(SCHEMA))
    audit_log(actor=user, action="population.export", object_type="organisation", object_id=union.pk,
              area_path=union.path, after={"as_of": as_of.isoformat(), "households": pf.count_households(table)})
    return out.getvalue()
