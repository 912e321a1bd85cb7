"""A standard set the only way there is: one administrator proposes, a second approves (four eyes)."""

from __future__ import annotations

from bangfu.standards import services


def standard_set(users, *, proposer: str = "admin_nanjing", approver: str = "admin_province", **fields):
    """Propose `fields` as `proposer` and approve as `approver`; the value written."""
    args = {"note": "", **fields}
    request = services.standard_request_propose(actor=users[proposer], **args)
    return services.standard_request_approve(actor=users[approver], request_id=request.pk)


def standard_withdraw(users, standard_id: int, *, proposer: str = "admin_nanjing",
                      approver: str = "admin_province") -> None:
    request = services.standard_request_withdraw(actor=users[proposer], standard_id=standard_id)
    services.standard_request_approve(actor=users[approver], request_id=request.pk)
