"""The generic move of the workflow table, and the service of any move by its name."""

from __future__ import annotations

from django.db import transaction

from ..models import Case
from ..workflow import TRANSITIONS
from .common import begin, finish, required_reason


@transaction.atomic
def case_move(*, actor, case: Case, version: int, name: str, reason: str = "") -> Case:
    """A move of the table that only changes the state, with an optional note or (form "reason") a required one."""
    move = TRANSITIONS[name]
    case = begin(actor=actor, case=case, version=version, name=name)
    if move.form == "reason":
        reason = required_reason(reason, move.reason_label or "原因")
    return finish(actor=actor, case=case, name=name, reason=reason)
