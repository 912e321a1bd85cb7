"""Audit rows as an auditor reads them: the action and object in Chinese, the actor by name, and the data
before and after as 字段:值 pairs (field labels, choice labels, 是/否, ID numbers kept masked)."""

from __future__ import annotations

import datetime
import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast
from django.utils import timezone

from bangfu.common.ids import mask_id_numbers_in

from .labels import (
    FIELD_LABELS,
    NAMED_MODELS,
    OBJECT_MODELS,
    REFERENCE_KEYS,
    TYPE_FIELD_LABELS,
    action_label,
    object_type_label,
)
from .models import AuditEntry

EMPTY = "—"
SYSTEM = "系统"
# Codes under keys that no model field of the object carries (export filters, a case's move data); the registry
# adds its categories and causes when it is ready (audit imports no other app).
VALUE_CHOICES: dict[str, dict[str, str]] = {
    "suggestion": {"exit": "脱困退出", "relieve": "解困"},
}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass(frozen=True)
class Pair:
    label: str
    value: str


@dataclass(frozen=True)
class EntryView:
    entry: AuditEntry
    action: str  # the Chinese label; the code stays on entry.action
    object_type: str
    actor: str  # the person's name, family name first
    username: str  # shown muted beside the name; empty when the name is the username
    before: list[Pair]
    after: list[Pair]


# {"accounts.Organisation": {"2474": "玄武区总工会"}, …}: the names of the rows the values of a page refer to by id.
Names = dict[str, dict[str, str]]


def present(entries: Iterable[AuditEntry]) -> list[EntryView]:
    """Entries (read with `select_related("actor")`, so no query per row) arranged for the audit page; the unions,
    users, households and members their data name by id are read once for the page (one query per kind named)."""
    entries = list(entries)
    names = referenced_names(entries)
    return [present_entry(e, names) for e in entries]


def present_entry(entry: AuditEntry, names: Names | None = None) -> EntryView:
    name, username = actor_display(entry)
    after = data_pairs(entry.after, entry.object_type, names)
    if not entry.before:
        # A new record (or an export): its empty fields say nothing. In a change, — says a value was cleared.
        after = [p for p in after if p.value != EMPTY]
    return EntryView(entry=entry, action=action_label(entry.action), object_type=object_type_label(entry.object_type),
                     actor=name, username=username, before=data_pairs(entry.before, entry.object_type, names),
                     after=after)


@functools.cache
def reference_model(object_type: str, key: str) -> str | None:
    """The named model (labels.NAMED_MODELS) whose id a value under `key` is: the target of the object type's
    foreign key of that name, else the common reference keys (labels.REFERENCE_KEYS);
    None for any other key."""
    target = getattr(model_field(object_type, key), "related_model", None)
    if target is not None:
        return target._meta.label if target._meta.label in NAMED_MODELS else None
    return REFERENCE_KEYS.get(key)  # no foreign key of that name (or a plain column keeping an id)


def _ids(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [str(v) for v in values if not isinstance(v, bool) and isinstance(v, int | str) and str(v).isdigit()]


def referenced_names(entries: Iterable[AuditEntry]) -> Names:
    """The names of the rows the entries' before/after data refer to by id, in one query for all the entries and
    all the named models (a UNION ALL of their columns, each row named by the model's own str()); a row since
    deleted keeps its id. No query when nothing is referred to."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        for data in (entry.before, entry.after):
            if not isinstance(data, dict):
                continue
            for key, value in data.items():
                items = value.items() if isinstance(value, dict) else [(key, value)]
                for k, v in items:
                    label = reference_model(entry.object_type, str(k))
                    if label is not None and (ids := _ids(v)):
                        wanted.setdefault(label, set()).update(ids)
    if not wanted:
        return {}
    width = max(len(NAMED_MODELS[label]) for label in wanted)
    parts = []
    for label, ids in sorted(wanted.items()):
        columns = NAMED_MODELS[label]
        text = [Cast(c, models.TextField()) for c in columns]
        text += [Value("", output_field=models.TextField())] * (width - len(columns))
        parts.append(apps.get_model(label)._base_manager.filter(pk__in=sorted(int(i) for i in ids)).order_by()
                     .values_list(Value(label, output_field=models.TextField()), "pk", *text))
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    names: Names = {}
    for label, pk, *values in query:
        model = apps.get_model(label)
        row = model(pk=pk, **dict(zip(NAMED_MODELS[label], values, strict=False)))
        names.setdefault(label, {})[str(pk)] = str(row)
    return names


def actor_display(entry: AuditEntry) -> tuple[str, str]:
    """(name, username): 张敏 with caseworker_g1 beside it; a nameless user by username alone; no actor: 系统."""
    user = entry.actor
    if user is None:
        return (entry.actor_name if entry.actor_name not in ("", "system") else SYSTEM), ""
    username = entry.actor_name or user.username
    name = f"{user.last_name}{user.first_name}".strip()
    return (name, username) if name else (username, "")


def data_pairs(data: Any, object_type: str, names: Names | None = None) -> list[Pair]:
    """字段:值 pairs of a before/after value; nested dicts one level flat (筛选条件·状态), deeper ones compact; ids of
    unions, users, households and members by their names when `names` has them (referenced_names)."""
    if data in (None, {}, [], ""):
        return []
    if not isinstance(data, dict):
        return [Pair("值", format_value(data))]
    pairs = []
    for key, value in data.items():
        label = field_label(object_type, key)
        if isinstance(value, dict) and value:
            pairs += [Pair(f"{label}·{field_label(object_type, k)}", format_value(v, object_type, k, names))
                      for k, v in value.items()]
        else:
            pairs.append(Pair(label, format_value(value, object_type, key, names)))
    return pairs


def field_label(object_type: str, key: str) -> str:
    """An override for the object type, else the model field's Chinese verbose_name, else a common label."""
    key = str(key)
    if key in TYPE_FIELD_LABELS.get(object_type, {}):
        return TYPE_FIELD_LABELS[object_type][key]
    field = model_field(object_type, key)
    verbose = str(getattr(field, "verbose_name", "") or "")
    if _CJK.search(verbose):
        return verbose
    return FIELD_LABELS.get(key, key)


@functools.cache
def model_field(object_type: str, key: str) -> models.Field | None:
    """The first of the object type's models with a field (or foreign-key column) of that name."""
    for label in OBJECT_MODELS.get(object_type, ()):
        try:
            meta = apps.get_model(label)._meta
        except LookupError:  # an app left out of INSTALLED_APPS
            continue
        field = next((f for f in meta.concrete_fields if key in (f.name, f.attname)), None)
        if field is not None:
            return field
    return None


def format_value(value: Any, object_type: str = "", key: str = "", names: Names | None = None) -> str:
    """One value as text: 是/否, — for nothing, choice labels, local times, a referenced row by its name (from
    `names`); any ID number in it stays masked."""
    field = model_field(object_type, key) if key else None
    known = (names or {}).get(reference_model(object_type, str(key))) if key else None
    if known:
        values = value if isinstance(value, list) else [value]
        if values and all(str(v) in known for v in values):
            return mask_id_numbers_in("、".join(known[str(v)] for v in values))
    if isinstance(value, list):
        text = "、".join(_scalar(v, field, key) for v in value) if value else EMPTY
    else:
        text = _scalar(value, field, key)
    return mask_id_numbers_in(text)


def _scalar(value: Any, field: models.Field | None, key: str) -> str:
    if value is None or value in ("", {}, []):
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    text = str(value)
    if field is not None and text in ("True", "False", "None"):  # the admin's snapshots are str() of each field
        if text == "None":
            return EMPTY
        if isinstance(field, models.BooleanField):
            return "是" if text == "True" else "否"
    for choices in (_choices(field), VALUE_CHOICES.get(key, {}), key_choices().get(key, {})):
        if text in choices:
            return str(choices[text])
    if _ISO_DATETIME.match(text):
        return _local_time(text)
    return text


@functools.cache
def key_choices() -> dict[str, dict[str, str]]:
    """Every model field with choices, by field name, over all the apps: the labels of codes under a key that the
    object type's own models lack (a household's row naming a department fact's `department`, say)."""
    out: dict[str, dict[str, str]] = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if getattr(field, "choices", None):
                merged = out.setdefault(field.name, {})
                for code, label in _choices(field).items():
                    merged.setdefault(code, str(label))
    return out


def _choices(field: models.Field | None) -> dict:
    if field is None or not getattr(field, "choices", None):
        return {}
    return {str(k): v for k, v in field.flatchoices}


def _local_time(text: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return text
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{moment:%Y-%m-%d %H:%M:%S}"
