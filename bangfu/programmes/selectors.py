"""Reads of programmes and rounds, each from the acting user's restricted queryset."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from bangfu.accounts.access import ADD, APPROVE, VIEW, may
from bangfu.common.errors import NotFound
from bangfu.ledger.budgets import ancestor_paths
from bangfu.ledger.models import LedgerEntry
from bangfu.policy.money import CENT

from .models import Exclusion, Line, LineState, Programme, Reconciliation, Round, RoundState


def programme_list(*, user) -> QuerySet[Programme]:
    """Programmes of the user's area and those of the unions above (which the user may run for their area)."""
    if not may(user, VIEW) or not user.organisation or not user.organisation.path:
        return Programme.objects.none()
    path = user.organisation.path
    return (Programme.objects.filter(Q(union__path__startswith=path) | Q(union__path__in=ancestor_paths(path)))
            .select_related("union", "bank_format"))


def programme_get(*, user, pk: int) -> Programme:
    found = programme_list(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound("未找到该帮扶项目")
    return found


def round_list(*, user, programme: Programme | None = None, state: str = "") -> QuerySet[Round]:
    qs = Round.objects.restrict(user, VIEW).select_related("programme", "union", "approver_union")
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs.filter(state=state) if state else qs


def round_get(*, user, pk: int) -> Round:
    found = round_list(user=user).select_related("prepared_by", "submitted_by", "approved_by",
                                                 "programme__union").filter(pk=pk).first()
    if found is None:
        raise NotFound("未找到该发放批次")
    return found


# What the pages' lists of waiting rounds show (start page, programmes page): reading only these halves the CPU of
# the start page's query (compiling and loading three joined tables' columns; issue 19).
LISTED = ("id", "number", "title", "state", "programme__name")


def rounds_waiting(*, user, listed: bool = False) -> list[Round]:
    """Rounds waiting for this user: to approve (a reviewer of the union they went to), to correct or to pay. `listed`:
    only the columns of the pages' lists (`LISTED`), each other one a query if read."""
    qs = round_list(user=user)
    if listed:
        qs = qs.select_related(None).select_related("programme").only(*LISTED)
    if may(user, APPROVE):
        return list(qs.filter(state=RoundState.SUBMITTED, approver_union=user.organisation_id)
                    .exclude(submitted_by=user).exclude(prepared_by=user)[:20])
    if may(user, ADD):
        return list(qs.filter(Q(state=RoundState.APPROVED) | Q(state=RoundState.DRAFT, prepared_by=user))[:20])
    return []


def line_list(*, user, round_: Round, included: bool | None = None, state: str = "", exclusion: str = "",
              query: str = "") -> QuerySet[Line]:
    qs = Line.objects.restrict(user, VIEW).filter(round=round_).select_related("household")
    if included is not None:
        qs = qs.filter(included=included)
    if state:
        qs = qs.filter(state=state)
    if exclusion:
        qs = qs.filter(exclusion=exclusion)
    if query:
        qs = qs.filter(Q(payee_name__startswith=query) | Q(household__address__contains=query))
    return qs.order_by("id")


def line_get(*, user, pk: int) -> Line:
    found = Line.objects.restrict(user, VIEW).select_related("round__union", "round__programme").filter(pk=pk).first()
    if found is None:
        raise NotFound("未找到该发放明细")
    return found


def household_lines(*, user, household_id: int) -> list[Line]:
    """The rounds a household was in (the file's 发放批次 card): by the household's area, as a grassroots union
    sees its families' lines in the county's round (`round_visible` says whether the round page is theirs)."""
    if not may(user, VIEW) or not user.organisation or not user.organisation.path:
        return []
    path = user.organisation.path
    lines = list(Line.objects.filter(household_id=household_id, household__union__path__startswith=path)
                 .select_related("round__programme", "round__union").order_by("-round__paid_on", "-id")[:50])
    for line in lines:
        line.round_visible = line.round.union.path.startswith(path)
    return lines


def reconciliation_list(*, user, round_: Round) -> QuerySet[Reconciliation]:
    return (Reconciliation.objects.restrict(user, VIEW).filter(round=round_).defer("result")
            .select_related("uploaded_by"))


def reconciliation_get(*, user, pk: int) -> Reconciliation:
    found = Reconciliation.objects.restrict(user, VIEW).select_related("round__union").filter(pk=pk).first()
    if found is None:
        raise NotFound("未找到该对账记录")
    return found


def _money(value) -> Decimal:
    return (value or Decimal(0)).quantize(CENT)


def round_report(*, round_: Round) -> dict:
    """Included, excluded by reason, paid, failed, open; by union; the ledger's total beside the paid total."""
    lines = Line.objects.filter(round=round_).order_by()
    by_state = {r["state"]: r for r in lines.values("state").annotate(n=Count("id"), total=Sum("amount"))}
    excluded = [{"code": r["exclusion"], "label": Exclusion(r["exclusion"]).label, "count": r["n"]}
                for r in lines.filter(included=False).values("exclusion").annotate(n=Count("id"))
                .order_by("-n")]
    by_union = [{"union": r["household__union__name"], "count": r["n"], "total": _money(r["total"]),
                 "paid": _money(r["paid"])}
                for r in lines.filter(included=True).values("household__union__name")
                .annotate(n=Count("id"), total=Sum("amount"), paid=Sum("amount", filter=Q(state=LineState.PAID)))
                .order_by("household__union__name")]
    ledger = LedgerEntry.objects.filter(payment_line__round=round_).order_by().aggregate(t=Sum("amount"), n=Count("id"))

    def part(state):
        row = by_state.get(state, {})
        return {"count": row.get("n", 0), "total": _money(row.get("total"))}

    included = {"count": sum(part(s)["count"] for s in (LineState.OPEN, LineState.PAID, LineState.FAILED)),
                "total": sum((part(s)["total"] for s in (LineState.OPEN, LineState.PAID, LineState.FAILED)),
                             Decimal(0)).quantize(CENT)}
    return {"included": included, "paid": part(LineState.PAID), "failed": part(LineState.FAILED),
            "open": part(LineState.OPEN), "excluded": excluded,
            "excluded_count": part(LineState.EXCLUDED)["count"], "by_union": by_union,
            "fund_source": round_.programme.get_fund_source_display(),
            "ledger": {"count": ledger["n"], "total": _money(ledger["t"])}}


def programme_series(*, user, programme: Programme) -> dict:
    """A programme across its rounds (the chart): included, paid and failed totals per round."""
    rounds = list(round_list(user=user, programme=programme).order_by("paid_on", "number")
                  .annotate(inc=Sum("lines__amount", filter=Q(lines__included=True)),
                            paid=Sum("lines__amount", filter=Q(lines__state=LineState.PAID)),
                            failed=Sum("lines__amount", filter=Q(lines__state=LineState.FAILED))))
    return {"labels": [f"第{r.number}批 {r.union.name}" for r in rounds],
            "included": [float(_money(r.inc)) for r in rounds], "paid": [float(_money(r.paid)) for r in rounds],
            "failed": [float(_money(r.failed)) for r in rounds]}
