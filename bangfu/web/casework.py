"""The case panel's reads: which moves the user may make now, the event log in Chinese, a refused save's changes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from bangfu.accounts.access import CHANGE, may
from bangfu.cases.services.common import check_approver, proposer_ids
from bangfu.cases.workflow import TRANSITIONS, allowed_moves, state_label
from bangfu.common.errors import DomainError
from bangfu.registry.choices import INACTIVE_STATES

OPEN = "open"
ACTION_LABELS = {**{name: move.label for name, move in TRANSITIONS.items()},
                 "open": "建立档案", "adopt": "按原有档案建立", "reopen": "重新申请"}
# The order buttons appear in; the forward move first, refusals last.
ORDER = ["submit", "start_verification", "record_visit", "start_notice", "archive", "start_help", "start_review",
         "complete_review", "exit", "relieve", "refuse", OPEN]
SIMPLE = frozenset({"submit", "start_verification", "start_help", "start_review"})


@dataclass
class MoveOption:
    name: str
    label: str
    approval: bool = False
    blocked: str = ""  # why this user may not make it (four eyes), shown instead of the button

    @property
    def simple(self) -> bool:
        """A move with only an optional note: one line with its button."""
        return self.name in SIMPLE


def _approver_block(user, case, path: str) -> str | None:
    """None when the user is no approver at all; "" when they may approve; else the four-eyes reason."""
    try:
        check_approver(user, path)
    except DomainError:
        return None
    if case is not None and user.pk in proposer_ids(case):
        return "双人审核:您提交或发起了该事项,须由另一名审核人审批"
    return ""


def move_options(user, household, case) -> list[MoveOption]:
    """The moves the user may make now on the household's current case (or its registry state before any)."""
    state = case.state if case is not None else household.status
    names = [OPEN] if state in INACTIVE_STATES else allowed_moves(state)
    out = []
    approver = None
    for name in sorted(names, key=ORDER.index):
        move = TRANSITIONS.get(name)
        if move is not None and move.approval:
            if approver is None:
                approver = _approver_block(user, case, household.union.path)
            if approver is not None:
                out.append(MoveOption(name, move.label, approval=True, blocked=approver))
        elif may(user, CHANGE):
            out.append(MoveOption(name, "重新申请(新一批次)" if name == OPEN else ACTION_LABELS[name]))
    return out


def event_rows(events) -> list[dict]:
    return [{"at": e.at, "actor": str(e.actor) if e.actor else "系统", "action": ACTION_LABELS.get(e.action, e.action),
             "from": state_label(e.from_state) if e.from_state else "", "to": state_label(e.to_state) if e.to_state else "",
             "reason": e.reason} for e in events]


def conflict_rows(changes: list[dict]) -> list[dict]:
    """A refused stale save: what others did since the form was loaded, in Chinese."""
    rows = []
    for change in changes:
        try:
            at = datetime.datetime.fromisoformat(change["at"])
        except (TypeError, ValueError):
            at = change.get("at")
        rows.append({"at": at, "actor": change.get("actor") or "系统",
                     "action": ACTION_LABELS.get(change.get("action"), change.get("action")),
                     "from": state_label(change["from_state"]) if change.get("from_state") else "",
                     "to": state_label(change["to_state"]) if change.get("to_state") else "",
                     "reason": change.get("reason", "")})
    return rows
