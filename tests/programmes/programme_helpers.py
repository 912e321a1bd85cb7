"""Helpers of the programme tests: a round's lines by household, a bank return file, submit and approve."""

from __future__ import annotations

from bangfu.programmes import bankfiles, services
from bangfu.programmes.models import BankFormat, Line, LineState


def lines_of(round_):
    return {line.household_id: line for line in Line.objects.filter(round=round_)}


def return_csv(round_, outcomes: dict, encoding="utf-8-sig", extra=(), skip=()) -> bytes:
    """A bank return file: for each open line, 成功 or the failure reason in `outcomes` (by household id)."""
    from bangfu.common.spreadsheets import csv_bytes

    rows = []
    for line in Line.objects.filter(round=round_, state=LineState.OPEN).exclude(household_id__in=skip).order_by("id"):
        reason = outcomes.get(line.household_id)
        rows.append([bankfiles.line_ref(line), line.account_number, line.payee_name, f"{line.amount:.2f}",
                     "失败" if reason else "成功", reason or ""])
    return csv_bytes(["业务参考号", "收款账号", "收款人户名", "金额", "状态", "说明"], [*rows, *extra],
                     encoding=encoding)


def approve(round_, staff, approver="reviewer_xuanwu"):
    round_ = services.round_submit(actor=staff["caseworker_xuanwu"], round_=round_, version=round_.version)
    round_, _ = services.round_approve(actor=staff[approver], round_=round_, version=round_.version)
    return round_


def preset(code: str) -> BankFormat:
    """A shipped bank format (a transactional test's flush removes the migration's rows: made again)."""
    from bangfu.programmes.bankfiles import PRESETS

    found = next(p for p in PRESETS if p["code"] == code)
    return BankFormat.objects.get_or_create(code=code, defaults=found)[0]


def luhn_card(seed: int) -> str:
    from stdnum import luhn

    body = f"622202{seed:012d}"
    return body + luhn.calc_check_digit(body)
