"""Round use cases: create and prepare the payment list, adjust a line, submit, approve (four eyes, budget), reject."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q, Sum

from bangfu.accounts.access import ADD, CHANGE, in_area
from bangfu.accounts.models import Organisation
from bangfu.cases.approvals import approver_union, check_escalating_approver
from bangfu.cases.services.common import required_reason
from bangfu.common import clock
from bangfu.common.bounds import decimal_within
from bangfu.common.errors import AccessDenied, ValidationFailed
from bangfu.ledger.budgets import budget_check

from ..models import Line, LineState, Programme, Round, RoundState
from .common import audit, check_round, lock_line, lock_round, period_of, visible_programme
from .prepare_job import area_size, background_from, prepare_queue
from .preparing import build_lines


def _money_total(qs) -> Decimal:
    return (qs.aggregate(t=Sum("amount"))["t"] or Decimal(0)).quantize(Decimal("0.01"))


@transaction.atomic
def round_create(*, actor, programme: Programme, union: Organisation, paid_on: datetime.date, title: str = "",
                 period_day: datetime.date | None = None, prepare: bool = True) -> Round:
    """A new round of `programme` for `union`'s area (the programme's union or one below it), then its list."""
    if not visible_programme(actor, programme):
        raise AccessDenied("未找到该帮扶项目")
    if not in_area(actor, union.path) or not union.path.startswith(programme.union.path):
        raise AccessDenied("只能在本工会范围内、且在项目主办工会范围内发放")
    check_round(actor, Round(union=union), ADD)
    if not programme.active:
        raise ValidationFailed("该项目已停用", field="programme")
    if not isinstance(paid_on, datetime.date):
        raise ValidationFailed("发放日期无效", field="paid_on")
    start, end, key = period_of(programme.period_kind, period_day or paid_on)
    Programme.objects.select_for_update().filter(pk=programme.pk).first()  # round numbers one at a time
    number = (Round.objects.filter(programme=programme).aggregate(n=Max("number"))["n"] or 0) + 1
    title = (str(title or "").strip() or f"{union.name}{key}")[:100]
    round_ = Round.objects.create(programme=programme, union=union, number=number, title=title, paid_on=paid_on,
                                  period_start=start, period_end=end, period_key=key, prepared_by=actor)
    audit(actor, "round.create", round_, union.path, after={"round": round_.pk, "programme": programme.pk,
                                                           "union": union.pk, "paid_on": paid_on.isoformat(),
                                                           "period": key})
    if prepare:
        round_prepare(actor=actor, round_=round_, version=round_.version)
    return round_


@transaction.atomic
def round_prepare(*, actor, round_: Round, version: int) -> dict:
    """(Re)compute the payment list of a round being drawn up; earlier adjustments are dropped. An area of
    `prepare_job.background_from()` households or more is prepared by a background job: then `{"queued": n}`."""
    check_round(actor, round_, CHANGE)
    lock_round(round_, version, (RoundState.DRAFT,))
    households = area_size(round_)
    if households >= background_from():
        return prepare_queue(actor, round_, households)
    # A draft's lines have nothing pointing at them (only failed lines are carried): one DELETE, no collector.
    lines = Line.objects.filter(round=round_)
    lines._raw_delete(lines.db)
    counts = build_lines(round_)
    round_.version += 1
    round_.prepared_by, round_.prepared_at = actor, clock.now()
    round_.job_state, round_.job_message = "", ""  # a failed background attempt is superseded
    round_.save()
    audit(actor, "round.prepare", round_, round_.union.path, after={"round": round_.pk, **counts})
    return counts


@transaction.atomic
def round_discard(*, actor, round_: Round, version: int) -> None:
    """Drop a round still being drawn up (its households are free again for another round of the period)."""
    check_round(actor, round_, CHANGE)
    lock_round(round_, version, (RoundState.DRAFT,))
    lines = Line.objects.filter(round=round_)
    count = lines.count()
    lines._raw_delete(lines.db)
    audit(actor, "round.discard", round_, round_.union.path,
          after={"round": round_.pk, "programme": round_.programme_id, "number": round_.number, "count": count})
    round_.delete()


@transaction.atomic
def line_adjust(*, actor, line: Line, version: int, reason: str, amount=None, include: bool = True) -> Line:
    """A caseworker changes a line's amount, or leaves it out, with a reason; audited."""
    round_ = line.round
    check_round(actor, round_, CHANGE)
    lock_round(round_, None, (RoundState.DRAFT,), versioned=False)
    locked = lock_line(line, version)
    reason = required_reason(reason, "调整原因")
    before = {"included": locked.included, "amount": str(locked.amount) if locked.amount else None,
              "adjust_reason": locked.adjust_reason}
    if include:
        if not locked.included and locked.exclusion not in ("adjusted",):
            raise ValidationFailed(f"该户未纳入的原因是「{locked.get_exclusion_display()}」,不能手工纳入",
                                   field="include")
        value = decimal_within(Line, "amount", amount if amount not in (None, "") else locked.computed_amount,
                               field="amount", label="发放金额", exact=True)
        if value <= 0:
            raise ValidationFailed("发放金额应大于零(不发放请选择剔除)", field="amount")
        locked.included, locked.amount, locked.state, locked.exclusion = True, value, LineState.OPEN, ""
    else:
        locked.included, locked.amount, locked.state, locked.exclusion = False, None, LineState.EXCLUDED, "adjusted"
    locked.adjust_reason = reason[:200]
    locked.version += 1
    locked.save()
    audit(actor, "round.line_adjust", round_, round_.union.path, before=before,
          after={"round": round_.pk, "line": locked.pk, "household": locked.household_id,
                 "included": locked.included, "amount": str(locked.amount) if locked.amount else None,
                 "adjust_reason": locked.adjust_reason})
    return locked


@transaction.atomic
def round_submit(*, actor, round_: Round, version: int) -> Round:
    """Submit the list for approval; it goes to the nearest union with a reviewer other than the proposers."""
    check_round(actor, round_, CHANGE)
    lock_round(round_, version, (RoundState.DRAFT,))
    if not round_.lines.filter(included=True).exists():
        raise ValidationFailed("名单中没有纳入发放的家庭", field="lines")
    target = approver_union(round_.union, {actor.pk, round_.prepared_by_id})
    if target is None:
        raise ValidationFailed("本级及上级工会均没有其他审核人,无法提交审核", field="state")
    round_.state, round_.submitted_by, round_.submitted_at = RoundState.SUBMITTED, actor, clock.now()
    round_.approver_union, round_.version = target, round_.version + 1
    round_.save()
    audit(actor, "round.submit", round_, round_.union.path,
          after={"round": round_.pk, "approver_union": target.pk, "total": str(_money_total(
              round_.lines.filter(included=True))), "count": round_.lines.filter(included=True).count()})
    return round_


def budget_warnings(round_: Round, total: Decimal, lock: bool = False) -> tuple[list[str], str | None]:
    """The programme's own budget, then the unions' budgets of its fund source (Article 28)."""
    programme = round_.programme
    warnings, refused = [], None
    if programme.budget is not None:
        committed = _money_total(Line.objects.filter(programme=programme).filter(
            Q(state=LineState.PAID) | Q(state=LineState.OPEN, round__state=RoundState.APPROVED)).exclude(round=round_))
        if committed + total > programme.budget:
            message = (f"{programme.name}项目预算{programme.budget}元,已发放及已审核待发放{committed}元,"
                       f"本批次{total}元将超出{committed + total - programme.budget}元")
            warnings.append(message)
            if programme.refuse_over_budget:
                refused = f"{message};该项目按规定不得超支"
    more, refused_ledger = budget_check(round_.union, programme.fund_source, round_.paid_on.year, total, lock=lock)
    return warnings + more, refused or refused_ledger


@transaction.atomic
def round_approve(*, actor, round_: Round, version: int, reason: str = "") -> tuple[Round, list[str]]:
    """审核: another reviewer (the union above where none is left) approves; the budget is checked, nothing is
    written to the ledger until the bank says paid."""
    check_escalating_approver(actor, round_.union, {round_.submitted_by_id, round_.prepared_by_id})
    lock_round(round_, version, (RoundState.SUBMITTED,))
    total = _money_total(round_.lines.filter(included=True))
    warnings, refused = budget_warnings(round_, total, lock=True)
    if refused:
        raise ValidationFailed(refused, field="budget", extra={"warnings": warnings})
    round_.state, round_.approved_by, round_.approved_at = RoundState.APPROVED, actor, clock.now()
    round_.decision_reason, round_.budget_warnings = str(reason or "").strip(), warnings
    round_.version += 1
    round_.save()
    audit(actor, "round.approve", round_, round_.union.path,
          after={"round": round_.pk, "total": str(total), "warnings": warnings})
    return round_, warnings


@transaction.atomic
def round_reject(*, actor, round_: Round, version: int, reason: str) -> Round:
    """退回: back to the caseworker with a reason, to be corrected and submitted again."""
    check_escalating_approver(actor, round_.union, {round_.submitted_by_id, round_.prepared_by_id})
    lock_round(round_, version, (RoundState.SUBMITTED,))
    round_.decision_reason = required_reason(reason, "退回原因")
    round_.state, round_.submitted_by, round_.submitted_at = RoundState.DRAFT, None, None
    round_.approver_union, round_.version = None, round_.version + 1
    round_.save()
    audit(actor, "round.reject", round_, round_.union.path, after={"round": round_.pk,
                                                                  "reason": round_.decision_reason})
    return round_
