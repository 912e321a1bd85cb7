"""The case panel's reads: which moves the user may make now, the event log in Chinese, a refused save's changes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from bangfu.cases.selectors import OPEN, allowed_moves
from bangfu.cases.workflow import INACTIVE_STATES, TRANSITIONS, state_label

# Events of the log that are no move of the workflow table.
EVENT_LABELS = {"open": "建立档案", "adopt": "按原有档案建立", "reopen": "重新申请", "take_over": "按原有档案建档",
                "recategorise": "变更核定类别", "registry_exit": "登记系统办理退出",
                "print_leaflet": "打印政策明白纸"}


def action_label(name: str) -> str:
    """A move's label from the workflow table, another event's from the list above; an unknown one as it is."""
    return TRANSITIONS[name].label if name in TRANSITIONS else EVENT_LABELS.get(name, name)


@dataclass
class MoveOption:
    name: str
    label: str
    approval: bool = False
    blocked: str = ""  # why this user may not make it (four eyes), shown instead of the button

    @property
    def button(self) -> str:
        """The button's words: an approval says so once (审批建档, not 审批建档(审批)), and a label that already
        explains itself in brackets gets no second pair (解困(转入社会救助))."""
        if not self.approval or "审批" in self.label or "(" in self.label:
            return self.label
        return f"{self.label}(审批)"

    @property
    def simple(self) -> bool:
        """A move with only an optional note: one line with its button."""
        return self.name in TRANSITIONS and TRANSITIONS[self.name].form == "note"

    @property
    def closing(self) -> bool:
        """A move that closes the file (退出, 解困, 不予建档): the page asks for confirmation."""
        return self.name in TRANSITIONS and TRANSITIONS[self.name].target in INACTIVE_STATES


def move_options(user, household, case) -> list[MoveOption]:
    """The moves the user may make now (the cases app's selector), labelled and in the order of the buttons."""
    order = [*TRANSITIONS, OPEN]  # the table's order; a new episode last
    moves = sorted(allowed_moves(user=user, household=household, case=case), key=lambda m: order.index(m.name))
    return [MoveOption(m.name, "重新申请(新一批次)" if m.name == OPEN else action_label(m.name), approval=m.approval,
                       blocked=m.blocked) for m in moves]


def event_rows(events) -> list[dict]:
    return [{"at": e.at, "actor": str(e.actor) if e.actor else "系统", "action": action_label(e.action),
             "from": state_label(e.from_state) if e.from_state else "", "to": state_label(e.to_state) if e.to_state else "",
             "reason": e.reason} for e in events]


def conflict_rows(changes: list[dict], *, user=None) -> list[dict]:
    """A refused stale save: what was done since the form was loaded, in Chinese; the user's own changes (from
    another tab) as 您."""
    rows = []
    own = {user.username, str(user)} if user is not None else set()
    for change in changes:
        try:
            at = datetime.datetime.fromisoformat(change["at"])
        except (TypeError, ValueError):
            at = change.get("at")
        actor = change.get("actor") or "系统"
        rows.append({"at": at, "actor": "您(在其他页面)" if actor in own else actor,
                     "action": action_label(change.get("action")),
                     "from": state_label(change["from_state"]) if change.get("from_state") else "",
                     "to": state_label(change["to_state"]) if change.get("to_state") else "",
                     "reason": change.get("reason", "")})
    return rows
