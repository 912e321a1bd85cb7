"""The household's status: its current case's state. The states are defined once, beside the case workflow
(`bangfu.cases.workflow.CaseState`); the registry sits below cases in the layers and does not import them, so cases
hands them here when the app is ready (`CasesConfig.ready`), as it hands the audit trail its labels. Only
`bangfu.cases.services.household_follow_case` writes the status; the registry reads it through these."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field


@dataclass
class _States:
    choices: list[tuple[str, str]] = field(default_factory=list)
    initial: str = ""
    archived: frozenset[str] = frozenset()  # in the union's archive: members active, the spec's `archived`
    inactive: frozenset[str] = frozenset()  # a closed file: no edits, members free for another household
    in_archive: str = ""  # the household list's pseudo-status for "any archived state"


_STATES = _States()


def register(*, choices: list[tuple[str, str]], initial: str, archived: Collection[str], inactive: Collection[str],
             in_archive: str) -> None:
    _STATES.choices[:] = list(choices)
    _STATES.initial, _STATES.in_archive = str(initial), str(in_archive)
    _STATES.archived, _STATES.inactive = frozenset(archived), frozenset(inactive)


def choices() -> list[tuple[str, str]]:
    """The status field's choices (a callable, so that the field and its migrations name no state)."""
    return _STATES.choices


def initial() -> str:
    """A new household's status: that of a case not yet submitted."""
    if not _STATES.initial:
        raise RuntimeError("the case states are not registered: is bangfu.cases installed?")
    return _STATES.initial


def label(status: str) -> str:
    return dict(_STATES.choices).get(status, status)


def archived_states() -> frozenset[str]:
    return _STATES.archived


def is_archived(status: str) -> bool:
    return status in _STATES.archived


def is_closed(status: str) -> bool:
    return status in _STATES.inactive


def matching(status: str) -> frozenset[str]:
    """The statuses a list filter's value stands for: the pseudo-status "in the archive" for all archived states."""
    return _STATES.archived if status == _STATES.in_archive else frozenset({status})
