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
from django.utils import timezone

from bangfu.common.ids import mask_id_numbers_in

from .labels import FIELD_LABELS, OBJECT_MODELS, TYPE_FIELD_LABELS, action_label, object_type_label
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


def present(entries: Iterable[AuditEntry]) -> list[EntryView]:
    """Entries (read with `select_related("actor")`, so no query per row) arranged for the audit page."""
    return [present_entry(e) for e in entries]


def present_entry(entry: AuditEntry) -> EntryView:
    name, username = actor_display(entry)
    after = data_pairs(entry.after, entry.object_type)
    if not entry.before:
        # A new record (or an export): its empty fields say nothing. In a change, — says a value was cleared.
        after = [p for p in after if p.value != EMPTY]
    return EntryView(entry=entry, action=action_label(entry.action), object_type=object_type_label(entry.object_type),
                     actor=name, username=username, before=data_pairs(entry.before, entry.object_type), after=after)


def actor_display(entry: AuditEntry) -> tuple[str, str]:
    """(name, username): 张敏 with caseworker_g1 beside it; a nameless user by username alone; no actor: 系统."""
    user = entry.actor
    if user is None:
        return (entry.actor_name if entry.actor_name not in ("", "system") else SYSTEM), ""
    username = entry.actor_name or user.username
    name = f"{user.last_name}{user.first_name}".strip()
    return (name, username) if name else (username, "")


def data_pairs(data: Any, object_type: str) -> list[Pair]:
    """字段:值 pairs of a before/after value; nested dicts one level flat (筛选条件·状态), deeper ones compact."""
    if data in (None, {}, [], ""):
        return []
    if not isinstance(data, dict):
        return [Pair("值", format_value(data))]
    pairs = []
    for key, value in data.items():
        label = field_label(object_type, key)
        if isinstance(value, dict) and value:
            pairs += [Pair(f"{label}·{field_label(object_type, k)}", format_value(v, object_type, k))
                      for k, v in value.items()]
        else:
            pairs.append(Pair(label, format_value(value, object_type, key)))
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


def format_value(value: Any, object_type: str = "", key: str = "") -> str:
    """One value as text: 是/否, — for nothing, choice labels, local times; any ID number in it stays masked."""
    field = model_field(object_type, key) if key else None
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
