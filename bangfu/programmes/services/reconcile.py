"""Paying a round: the bank file out, the bank's return file in (or the signed 签领表 for cash and goods);
paid lines become ledger entries in one transaction, failed lines stay for a later round; nothing is paid twice."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.db import IntegrityError, connection, transaction

from bangfu.accounts.access import CHANGE, EXPORT
from bangfu.common import clock
from bangfu.common.errors import Conflict, ValidationFailed
from bangfu.ledger.measures import measures_follow_payments
from bangfu.ledger.models import EntryKind, LedgerEntry

from .. import bankfiles
from ..models import BankFormat, Delivery, Line, LineState, Reconciliation, Round, RoundState
from .common import audit, check_round, lock_round

CHUNK = 5000


def _format(round_: Round) -> BankFormat:
    fmt = round_.programme.bank_format or BankFormat.objects.filter(code="generic").first()
    if fmt is None:
        fmt = BankFormat(code="generic", name="通用代发格式", encoding="utf-8", columns=bankfiles.DEFAULT_COLUMNS)
    return fmt


def description(round_: Round) -> str:
    return f"{round_.programme.name}第{round_.number}批({round_.title})"[:200]


@transaction.atomic
def round_bank_file(*, actor, round_: Round, kind: str = "xlsx") -> tuple[bytes, str]:
    """The 代发文件 of an approved bank round's open lines (full account numbers: the bank needs them); logged."""
    check_round(actor, round_, EXPORT)
    lock_round(round_, None, (RoundState.APPROVED,), versioned=False)
    if round_.programme.delivery != Delivery.BANK:
        raise ValidationFailed("现金或实物发放请打印签领表", field="delivery")
    if kind not in ("xlsx", "csv"):
        raise ValidationFailed("文件类型应为 xlsx 或 csv", field="kind")
    # Plain rows, not model instances: a province's 85,000 lines are read in a fraction of the time.
    lines = list(Line.objects.filter(round=round_, state=LineState.OPEN).order_by("id")
                 .values_list("pk", "round_id", "amount", "account_number", "payee_name", "bank_name",
                              "payee_id_number", named=True))
    fmt = _format(round_)
    content = bankfiles.bank_file(lines, fmt, description(round_), kind)
    round_.bank_file_at = clock.now()
    round_.save(update_fields=["bank_file_at"])
    audit(actor, "round.bank_file", round_, round_.union.path,
          after={"round": round_.pk, "format": fmt.code, "kind": kind, "count": len(lines),
                 "sha256": hashlib.sha256(content).hexdigest()})
    return content, f"daifa-{round_.pk}-{round_.number}.{kind}"


def _lines(round_: Round) -> dict[str, tuple]:
    rows = (Line.objects.filter(round=round_, included=True)
            .values_list("id", "amount", "account_number", "state", "household_id", "period_key"))
    return {f"BF{round_.pk}-{r[0]}": r for r in rows}


def _paid_elsewhere(round_: Round) -> dict[tuple, int]:
    rows = (Line.objects.filter(programme_id=round_.programme_id, state=LineState.PAID).exclude(round=round_)
            .values_list("household_id", "period_key", "round__number"))
    return {(h, p): n for h, p, n in rows}


def _check_row(row: list[str], cols: dict, lines: dict, seen: dict, i: int, elsewhere: dict) -> tuple:
    """(error, line id, status, reason) of one return row."""
    def get(key):
        return row[cols[key]] if cols[key] is not None and cols[key] < len(row) else ""

    ref = get("ref")
    if ref in seen:
        return f"与第{seen[ref] + 2}行重复", None, None, ""
    seen[ref] = i
    line = lines.get(ref)
    if line is None:
        return "未找到对应的发放明细(业务参考号不属于本批次)", None, None, ""
    line_id, amount, account, state, household, period = line
    status = bankfiles.status_of(get("status"))
    if status is None:
        return "状态无法识别(应为 成功 或 失败)", None, None, ""
    value = bankfiles.parse_amount(get("amount"))
    if value is None or value != amount:
        return f"金额与发放明细不符(应为{amount}元)", None, None, ""
    if cols["account"] is not None and get("account") and get("account") != account:
        return "账号与发放明细不符", None, None, ""
    if state != LineState.OPEN:
        return f"该明细{LineState(state).label},不重复处理", None, None, ""
    if status == "paid" and (household, period) in elsewhere:
        return f"该户本期已在第{elsewhere[(household, period)]}批发放,不重复入账", None, None, ""
    return "", line_id, status, get("reason")[:200]


@transaction.atomic
def round_reconcile(*, actor, round_: Round, content: bytes, file_name: str) -> Reconciliation:
    """Take in the bank's return file row by row; rows that match nothing get an 错误 and change nothing."""
    check_round(actor, round_, CHANGE)
    lock_round(round_, None, (RoundState.APPROVED,), versioned=False)  # two reconciliations of one round queue up here
    table = bankfiles.read_table(content, file_name)
    header, rows = table[0], [r for r in table[1:] if r[0] not in ("合计", "校验码")]
    cols = bankfiles.return_columns(header, _format(round_))
    lines, seen, elsewhere, errors = _lines(round_), {}, _paid_elsewhere(round_), {}
    paid, failed = [], []
    for i, row in enumerate(rows):
        error, line_id, status, reason = _check_row(row, cols, lines, seen, i, elsewhere)
        if error:
            errors[i] = error
        elif status == "paid":
            paid.append((line_id, reason))
        else:
            failed.append((line_id, reason or "银行未说明原因"))
    total = settle(actor=actor, round_=round_, paid=paid, failed=failed)
    kind = "csv" if str(file_name).lower().endswith(".csv") else "xlsx"
    record = Reconciliation.objects.create(
        round=round_, uploaded_by=actor, file_name=str(file_name)[:200], sha256=hashlib.sha256(content).hexdigest(),
        paid=len(paid), failed=len(failed), errors=len(errors), paid_total=total,
        result=bankfiles.result_file(header, rows, errors, kind, _format(round_).encoding),
        result_name=f"reconcile-{round_.pk}.{kind}")
    audit(actor, "round.reconcile", round_, round_.union.path,
          after={"round": round_.pk, "reconciliation": record.pk, "file": record.file_name, "sha256": record.sha256,
                 "paid": len(paid), "failed": len(failed), "errors": len(errors), "paid_total": str(total)})
    return record


@transaction.atomic
def round_record_delivery(*, actor, round_: Round, failed: dict[int, str]) -> dict:
    """Cash or goods: the signed 签领表 is back; every open line is delivered except `failed` (line id: why)."""
    check_round(actor, round_, CHANGE)
    lock_round(round_, None, (RoundState.APPROVED,), versioned=False)
    if round_.programme.delivery == Delivery.BANK:
        raise ValidationFailed("银行代发请导入银行回盘文件", field="delivery")
    open_ids = set(Line.objects.filter(round=round_, state=LineState.OPEN).values_list("id", flat=True))
    unknown = set(failed) - open_ids
    if unknown:
        raise ValidationFailed("未领取的明细不属于本批次或已处理", field="failed")
    elsewhere = _paid_elsewhere(round_)
    rows = Line.objects.filter(pk__in=open_ids - set(failed)).values_list("id", "household_id", "period_key")
    if any((h, p) in elsewhere for _, h, p in rows):
        raise Conflict("有家庭本期已在其他批次发放,不重复入账", field="lines")
    total = settle(actor=actor, round_=round_, paid=[(i, "已签领") for i in sorted(open_ids - set(failed))],
                   failed=[(i, str(r or "未领取")[:200]) for i, r in failed.items()])
    audit(actor, "round.record_delivery", round_, round_.union.path,
          after={"round": round_.pk, "paid": len(open_ids) - len(failed), "failed": len(failed),
                 "paid_total": str(total)})
    return {"paid": len(open_ids) - len(failed), "failed": len(failed), "paid_total": total}


def settle(*, actor, round_: Round, paid: list[tuple[int, str]], failed: list[tuple[int, str]]):
    """Write the ledger entries of the paid lines and mark the lines; runs inside the caller's transaction with the
    round locked. The partial unique index on paid lines refuses a second payment for the same period."""
    programme, now = round_.programme, clock.now()
    goods = programme.delivery == Delivery.GOODS
    rows = []
    ids = [p for p, _ in paid]
    for start in range(0, len(ids), CHUNK):
        rows += Line.objects.filter(pk__in=ids[start:start + CHUNK]).values_list("id", "household_id", "measure_id",
                                                                                 "amount", "household__union_id")
    info = {r[0]: r for r in rows}
    paid_on = min(round_.paid_on, clock.today())
    # The entry belongs to the household's union (its caseworkers see it; the round's union, above, too).
    kind, goods_text = (EntryKind.GOODS.value, programme.goods_description) if goods else (EntryKind.CASH.value, "")
    entries = [(info[i][1], info[i][4], info[i][2], kind, info[i][3], goods_text, paid_on, programme.fund_source,
                description(round_), round_.submitted_by_id, round_.approved_by_id, now) for i, _ in paid]
    try:
        with transaction.atomic():
            made = _insert_entries(entries)
            _mark(now, [(LineState.PAID.value, e, reason, i) for e, (i, reason) in zip(made, paid, strict=True)]
                  + [(LineState.FAILED.value, None, reason, i) for i, reason in failed])
    except IntegrityError as exc:
        raise Conflict("有家庭本期已发放,不重复入账;请刷新后重试", field="file") from exc
    measures_follow_payments(actor=actor, measure_ids=[info[i][2] for i, _ in paid])
    if not Line.objects.filter(round=round_, state=LineState.OPEN).exists():
        round_.state = RoundState.COMPLETED
        round_.version += 1
        round_.save(update_fields=["state", "version"])
    return sum((info[i][3] for i, _ in paid), start=Decimal(0))


ENTRY_COLUMNS = ("household_id", "union_id", "measure_id", "kind", "amount", "goods_description", "paid_on",
                 "fund_source", "description", "recorded_by_id", "approved_by_id", "recorded_at")


def _insert_entries(entries: list[tuple]) -> list[int]:
    """Insert entries given as ENTRY_COLUMNS tuples; their new ids, in order. On PostgreSQL ids are drawn from the
    sequence and the rows COPied in (a fraction of bulk_create's time for a province's round); else bulk_create."""
    if connection.vendor != "postgresql" or not entries:
        made = LedgerEntry.objects.bulk_create([LedgerEntry(**dict(zip(ENTRY_COLUMNS, e, strict=True)))
                                                for e in entries], batch_size=CHUNK)
        return [e.pk for e in made]
    table = LedgerEntry._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [table, len(entries)])
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(quote(c) for c in ("id", *ENTRY_COLUMNS))
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for pk, entry in zip(ids, entries, strict=True):
                copy.write_row([pk, *entry])
    return ids


def _mark(now, rows: list[tuple]) -> None:
    """Set each line's state, entry and bank reason (state, entry id or None, reason, line id); open lines only."""
    table = connection.ops.quote_name(Line._meta.db_table)
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            states, entries, reasons, ids = (list(x) for x in zip(*rows, strict=True))
            cursor.execute(
                f"UPDATE {table} AS l SET state = v.state, entry_id = v.entry, bank_reason = v.reason, "
                f"settled_at = %s, version = l.version + 1 FROM unnest(%s::text[], %s::bigint[], %s::text[], "
                f"%s::bigint[]) AS v(state, entry, reason, id) WHERE l.id = v.id AND l.state = %s",
                [now, states, entries, reasons, ids, LineState.OPEN.value])
        else:
            cursor.executemany(f"UPDATE {table} SET state = %s, entry_id = %s, bank_reason = %s, settled_at = %s, "
                               f"version = version + 1 WHERE id = %s AND state = %s",
                               [(state, entry, reason, now, i, LineState.OPEN.value)
                                for state, entry, reason, i in rows])

