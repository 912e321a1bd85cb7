"""The case panel's reads: which moves the user may make now, the event log in Chinese, a refused save's changes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from bangfu.cases.selectors import OPEN, allowed_moves
from bangfu.cases.workflow import TRANSITIONS, state_label

ACTION_LABELS = {**{name: move.label for name, move in TRANSITIONS.items()},
                 "open": "建立档案", "adopt": "按原有档案建立", "reopen": "重新申请",
                 "take_over": "按原有档案建档", "recategorise": "变更核定类别", "registry_exit": "登记系统办理退出"}
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


def move_options(user, household, case) -> list[MoveOption]:
    """The moves the user may make now (the cases app's selector), labelled and in the order of the buttons."""
    moves = sorted(allowed_moves(user=user, household=household, case=case), key=lambda m: ORDER.index(m.name))
    return [MoveOption(m.name, "重新申请(新一批次)" if m.name == OPEN else ACTION_LABELS[m.name], approval=m.approval,
                       blocked=m.blocked) for m in moves]


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
