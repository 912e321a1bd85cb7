"""Checking a bill's fields as a caseworker enters them: each error names its field in Chinese."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from bangfu.common.bounds import FIRST_YEAR, date_or_none
from bangfu.common.errors import ValidationFailed
from bangfu.policy.money import CENT

from .models import Kind, Level, Scheme

BILL_FIELDS = ("billed_on", "admitted_on", "hospital", "hospital_level", "kind", "scheme", "mutual_aid", "total",
               "in_scope", "emergency", "unpaid", "notes")
MAX_MONEY = Decimal("100000000")
LABELS = {"billed_on": "出院(结算)日期", "admitted_on": "入院日期", "total": "医疗总费用", "in_scope": "政策范围内费用",
          "hospital_level": "医院等级", "kind": "类别", "scheme": "参保类型", "hospital": "医院名称", "notes": "备注"}


def _date(name: str, value) -> datetime.date | None:
    return date_or_none(value, field=name, label=LABELS[name])


def _money(name: str, value) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"{LABELS[name]}应为金额(元)", field=name) from None
    if not number.is_finite() or number < 0 or number > MAX_MONEY:
        raise ValidationFailed(f"{LABELS[name]}应在0至1亿元之间", field=name)
    if number != number.quantize(CENT):
        raise ValidationFailed(f"{LABELS[name]}最多两位小数", field=name)
    return number.quantize(CENT)


def _choice(name: str, value, enum) -> str:
    if value not in enum.values:
        raise ValidationFailed(f"{LABELS[name]}无效:{value}", field=name)
    return value


def _flag(value) -> bool:
    return value in (True, "true", "on", "1", 1, "是")


def clean_bill(data: Mapping, *, today: datetime.date, current: Mapping | None = None) -> dict:
    """The bill's fields, checked; `current` holds the stored values a partial change keeps."""
    unknown = set(data) - set(BILL_FIELDS)
    if unknown:
        raise ValidationFailed(f"未知字段:{'、'.join(sorted(unknown))}", field=sorted(unknown)[0])
    merged = {**(current or {}), **data}
    for name in ("billed_on", "hospital_level", "scheme", "total", "in_scope"):
        if merged.get(name) in (None, ""):
            raise ValidationFailed(f"请填写{LABELS[name]}", field=name)
    out = {
        "billed_on": _date("billed_on", merged["billed_on"]),
        "admitted_on": _date("admitted_on", merged.get("admitted_on")),
        "hospital": str(merged.get("hospital") or "").strip(),
        "hospital_level": _choice("hospital_level", merged["hospital_level"], Level),
        "kind": _choice("kind", merged.get("kind") or Kind.INPATIENT, Kind),
        "scheme": _choice("scheme", merged["scheme"], Scheme),
        "mutual_aid": _flag(merged.get("mutual_aid", False)),
        "total": _money("total", merged["total"]),
        "in_scope": _money("in_scope", merged["in_scope"]),
        "emergency": _flag(merged.get("emergency", False)),
        "unpaid": _flag(merged.get("unpaid", False)),
        "notes": str(merged.get("notes") or "").strip(),
    }
    if len(out["hospital"]) > 100:
        raise ValidationFailed("医院名称最多100字", field="hospital")
    if len(out["notes"]) > 200:
        raise ValidationFailed("备注最多200字", field="notes")
    if "\x00" in out["hospital"] + out["notes"]:
        raise ValidationFailed("文字中含有无效字符", field="hospital")
    if out["in_scope"] > out["total"]:
        raise ValidationFailed("政策范围内费用不能超过医疗总费用", field="in_scope")
    if out["billed_on"] > today:
        raise ValidationFailed("出院(结算)日期不能晚于今天", field="billed_on")
    if out["billed_on"] < datetime.date(FIRST_YEAR, 1, 1):
        raise ValidationFailed(f"只记录{FIRST_YEAR}年及以后的单据", field="billed_on")
    if out["admitted_on"] and out["admitted_on"] > out["billed_on"]:
        raise ValidationFailed("入院日期不能晚于出院日期", field="admitted_on")
    return out
