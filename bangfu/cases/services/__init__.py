"""Use cases of the case workflow, plans and measures: one function per action, audit row in its transaction."""

import functools
from collections.abc import Callable

from ..workflow import TRANSITIONS
from .application import (
    case_archive,
    case_open,
    case_record_visit,
    case_refuse,
    case_start_notice,
    case_start_verification,
    case_submit,
)
from .common import archive_check_register, stale_case
from .helping import (
    case_complete_review,
    case_exit,
    case_relieve,
    case_start_help,
    case_start_review,
    followup_record,
)
from .household_state import household_follow_case
from .leaflet import case_leaflet_print
from .moves import case_move
from .plans import measure_create, measure_from_entitlement, measure_update, plan_create, plan_update
from .takeover import case_take_over

__all__ = [
    "archive_check_register", "case_archive", "case_move", "case_complete_review", "case_exit",
    "case_leaflet_print", "case_open",
    "case_record_visit", "case_refuse", "case_relieve", "case_start_help", "case_start_notice", "case_start_review",
    "case_start_verification", "case_submit", "case_take_over", "followup_record", "household_follow_case",
    "measure_create", "measure_from_entitlement", "measure_update", "plan_create", "plan_update", "stale_case",
    "move_service",
]


def move_service(name: str) -> Callable:
    """The service of a workflow move: `case_<name>` where the move does more than change the state, else
    `case_move` for that move (called with actor, case, version and the move's inputs)."""
    TRANSITIONS[name]  # an unknown move is a KeyError
    return globals().get(f"case_{name}") or functools.partial(case_move, name=name)
