"""Budgets against spending: which budgets a payment counts against, and whether it would exceed one."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from bangfu.accounts.models import Organisation
from bangfu.policy.money import CENT

from .models import Budget, LedgerEntry


def ancestor_paths(path: str) -> list[str]:
    """"320000/320100/320102/" → its own path and every ancestor's ("320000/", "320000/320100/", …)."""
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]


def spent(path: str, fund_source: str, year: int) -> Decimal:
    """Net spending (reversals included) of the union subtree at `path` from one fund source in one year."""
    total = (LedgerEntry.objects.filter(union__path__startswith=path, fund_source=fund_source, paid_on__year=year)
             .aggregate(total=Sum("amount"))["total"])
    return (total or Decimal(0)).quantize(CENT)


def budget_check(union: Organisation, fund_source: str, year: int, amount: Decimal,
                 lock: bool = False, within: str | None = None) -> tuple[list[str], str | None]:
    """Warnings for each budget (the union's own and its ancestors') that `amount` more would exceed, and the
    refusal message when one of them may not be exceeded by policy. With `lock`, budget rows are locked so
    that concurrent approvals against one budget queue up. With `within` (an organisation's path), only the
    budgets of that subtree are looked at: a grassroots caseworker is not told a county's spending."""
    paths = ancestor_paths(union.path)
    if within is not None:
        paths = [p for p in paths if p.startswith(within)]
    budgets = Budget.objects.filter(union__path__in=paths, fund_source=fund_source,
                                    year=year).select_related("union").order_by("union__path")
    if lock:
        budgets = budgets.select_for_update(of=("self",))  # the budget rows, not their unions
    warnings, refused = [], None
    for budget in budgets:
        used = spent(budget.union.path, fund_source, year)
        if used + amount > budget.amount:
            message = (f"{budget.union.name}{year}年{budget.get_fund_source_display()}预算{budget.amount}元,"
                       f"已支出{used}元,本次{amount}元将超出预算{used + amount - budget.amount}元")
            warnings.append(message)
            if budget.refuse_over and refused is None:
                refused = f"{message};该预算按规定不得超支"
    return warnings, refused
