"""Drawing up a round's payment list: every household of the area, included with the rule's reason or left out
and why; failed lines of earlier rounds carried in; each line tied to the plan measure it pays."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from bangfu.cases.models import LIVE_MEASURE, Measure, MeasureKind
from bangfu.cases.workflow import ARCHIVED_STATES, INACTIVE_STATES, CaseState
from bangfu.common.bulk import blank_factory, fast_insert
from bangfu.exchange.models import DepartmentFact, FactKind
from bangfu.registry.models import Member

from ..models import Delivery, Exclusion, Line, LineState, Payee, ProgrammeKind, Round
from ..picking import MEASURE_CODES, area_households, pick
from .programmes import clean_account

_line = blank_factory(Line)
PROGRESS_EVERY = 5000


def _payees(path: str) -> dict[int, tuple]:
    rows = (Payee.objects.filter(household__union__path__startswith=path)
            .values_list("household_id", "member_id", "member__name", "member__id_number", "member__removed",
                         "bank_name", "account_number", "account_kind"))
    return {r[0]: r[1:] for r in rows}


def _workers(path: str) -> dict[int, tuple]:
    rows = (Member.objects.filter(household__union__path__startswith=path, relation="self", removed=False)
            .values_list("household_id", "name", "id_number"))
    return {r[0]: r[1:] for r in rows}


def _deceased(path: str) -> set[int]:
    return set(DepartmentFact.objects.filter(household__union__path__startswith=path, kind=FactKind.DEATH)
               .values_list("member_id", flat=True))


def _taken(round_: Round) -> dict[int, int]:
    """Households already in another round of the programme for this period (open or paid): -> round number."""
    rows = (Line.objects.filter(programme_id=round_.programme_id, period_key=round_.period_key,
                                state__in=[LineState.OPEN, LineState.PAID])
            .exclude(round=round_).values_list("household_id", "round__number"))
    return dict(rows)


def _measures(path: str, year: int, kind: str) -> dict[int, int]:
    codes = MEASURE_CODES.get(kind)
    qs = Measure.objects.filter(plan__case__household__union__path__startswith=path, plan__year=year,
                                status__in=LIVE_MEASURE)
    if codes:
        from django.db.models import Q

        match = Q()
        for code in codes:
            match |= Q(benefit_code__startswith=code)
        qs = qs.filter(match)
    elif kind == ProgrammeKind.SEND_WARMTH:
        qs = qs.filter(kind=MeasureKind.VISIT)
    else:
        return {}
    found: dict[int, int] = {}
    for household, measure in qs.values_list("plan__case__household_id", "id").order_by("-id"):
        found[household] = measure
    return found


def _failed(round_: Round) -> list[Line]:
    """Failed lines of the programme in the area not yet carried into a later round."""
    return list(Line.objects.filter(programme_id=round_.programme_id, state=LineState.FAILED,
                                    round__union__path__startswith=round_.union.path, carried_to__isnull=True)
                .exclude(round=round_).select_related("round").order_by("id"))


def _payee_fields(round_: Round, household: int, payees: dict, workers: dict, dead: set) -> tuple:
    """(exclusion, reason, fields) of the household's payee: bank rounds need a valid account."""
    bank = round_.programme.delivery == Delivery.BANK
    payee = payees.get(household)
    if payee is None:
        if bank:
            return Exclusion.NO_ACCOUNT, "未登记领款人及银行账户", {}
        name, number = workers.get(household, ("", ""))
        return "", "", {"payee_name": name, "payee_id_number": number}
    member, name, number, removed, bank_name, account, kind = payee
    if removed:
        return Exclusion.NO_ACCOUNT, f"领款人{name}已不在本户,请重新指定领款人", {}
    if member in dead:
        return Exclusion.DECEASED_PAYEE, f"领款人{name}已死亡(部门数据报告),请重新指定领款人", {}
    fields = {"payee_name": name, "payee_id_number": number}
    if bank:
        try:
            clean_account(account, kind)
        except Exception:
            return Exclusion.NO_ACCOUNT, "银行账号无效,请核对", {}
        fields.update(bank_name=bank_name, account_number=account)
    return "", "", fields


def _no_progress(count: int) -> None:
    pass


def build_lines(round_: Round, progress: Callable[[int], None] = _no_progress) -> dict:
    """Insert the round's lines; returns counts by outcome. `progress(n)` hears of the households done, counted
    twice (picked by the rule, then written): 2 × the area's households at the end."""
    path, programme = round_.union.path, round_.programme
    households = area_households(path)
    archived = [h for h in households if h.status in ARCHIVED_STATES]
    picks = dict(zip((h.id for h in archived),
                     pick(programme, archived, round_.paid_on, round_.period_start, round_.period_end,
                          progress=progress), strict=True))
    progress(len(households))
    payees, workers, dead = _payees(path), _workers(path), _deceased(path)
    taken, measures = _taken(round_), _measures(path, round_.paid_on.year, programme.kind)
    failed = {line.household_id: line for line in _failed(round_) if line.period_key == round_.period_key}
    base = {"round_id": round_.pk, "programme_id": programme.pk, "period_key": round_.period_key}
    lines, counts = [], Counter()
    for done, h in enumerate(households):
        if done % PROGRESS_EVERY == 0:
            progress(len(households) + done)
        fields = dict(base, household_id=h.id)
        if h.status in INACTIVE_STATES:
            exclusion, reason = Exclusion.EXITED, f"家庭已{CaseState(h.status).label}"
        elif h.status not in ARCHIVED_STATES:
            exclusion, reason = Exclusion.NOT_ARCHIVED, f"尚未建档({CaseState(h.status).label})"
        elif picks[h.id].amount is None:
            exclusion, reason = Exclusion.RULE, picks[h.id].reason
        elif h.id in taken:
            exclusion, reason = Exclusion.PAID_ELSEWHERE, f"本期已列入第{taken[h.id]}批发放"
        else:
            exclusion, reason, payee = _payee_fields(round_, h.id, payees, workers, dead)
            fields.update(payee)
            if not exclusion:
                reason = picks[h.id].reason
                carried = failed.pop(h.id, None)
                if carried is not None:
                    reason = f"{reason};第{carried.round.number}批发放失败({carried.bank_reason}),转入本批次"
                    fields["carried_from_id"] = carried.pk
                fields.update(amount=picks[h.id].amount, computed_amount=picks[h.id].amount,
                              measure_id=measures.get(h.id))
        if exclusion:
            fields.update(included=False, exclusion=exclusion, state=LineState.EXCLUDED,
                          computed_amount=picks[h.id].amount if h.id in picks else None)
        fields["reason"] = reason[:500]
        counts[exclusion or "included"] += 1
        lines.append(_line(**fields))
    lines += _carried_lines(round_, payees, workers, dead, base, counts)
    fast_insert(Line, lines)
    progress(2 * len(households))
    return dict(counts)


def _carried_lines(round_: Round, payees, workers, dead, base: dict, counts: Counter) -> list:
    """Failed lines of other periods go into this round with their own period and amount."""
    out, paid = [], set(Line.objects.filter(programme_id=round_.programme_id, state=LineState.PAID)
                        .values_list("household_id", "period_key"))
    for line in _failed(round_):
        if line.period_key == round_.period_key or (line.household_id, line.period_key) in paid:
            continue
        exclusion, _, payee = _payee_fields(round_, line.household_id, payees, workers, dead)
        if exclusion:
            continue  # stays failed until the account is corrected
        counts["carried"] += 1
        out.append(_line(**dict(base, period_key=line.period_key), household_id=line.household_id,
                         amount=line.amount, computed_amount=line.amount, measure_id=line.measure_id,
                         carried_from_id=line.pk, **payee,
                         reason=f"{line.period_key}期第{line.round.number}批发放失败({line.bank_reason}),转入本批次"))
    return out
