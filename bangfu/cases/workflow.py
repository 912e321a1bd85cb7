"""The transition table of a case, in one place: which move is allowed from which state, and who may make it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from bangfu.common.errors import ValidationFailed


class CaseState(models.TextChoices):
    """Where a case stands, and so its household: the household's status is its current case's state, copied by
    `services.household_follow_case` in the move's transaction (the registry receives these states when the app
    is ready, `bangfu.registry.states`: it sits below cases and does not import them)."""

    DRAFT = "draft", "申请"
    SUBMITTED = "submitted", "待核查"
    VERIFYING = "verifying", "核查中"
    PUBLIC_NOTICE = "public_notice", "公示中"
    ARCHIVED = "archived", "已建档"
    HELPING = "helping", "帮扶中"
    REVIEW = "review", "复核中"
    EXITED = "exited", "已退出"
    RELIEVED = "relieved", "解困"
    REFUSED = "refused", "不予建档"


S = CaseState

# States in which the household is in the union's archive, and its members count as active.
ARCHIVED_STATES = frozenset({S.ARCHIVED, S.HELPING, S.REVIEW})
# Closed files: exited (脱困退出), handed to social assistance (解困), refused (不予建档).
INACTIVE_STATES = frozenset({S.EXITED, S.RELIEVED, S.REFUSED})
# The household list's pseudo-status for "in the archive" (any of ARCHIVED_STATES): reports link their archive counts to it.
IN_ARCHIVE = "in_archive"
IN_ARCHIVE_LABEL = "在档(已建档、帮扶中、复核中)"


# The inputs a move takes, beside the case's version: "note", an optional note; "reason", a required reason (its
# label `reason_label`); "visit", "notice" and "archive", the inputs of those moves' own services.
FORMS = frozenset({"note", "reason", "visit", "notice", "archive"})


@dataclass(frozen=True)
class Move:
    """One row of the workflow. Its service is `bangfu.cases.services.case_<name>` where the move does more than
    change the state, else the generic `case_move`; its page form and API input follow `form`; its audit label is
    "case.<name>" → `label`; the table's order is the order of the buttons."""

    label: str  # Chinese, for buttons, the event log, the audit trail and messages: "不能{label}"
    sources: frozenset[str]
    target: str | None  # None: the case stays in its state (a record, not a move)
    approval: bool = False  # an approval: a county reviewer, never the one who proposed it (four eyes)
    form: str = "note"
    reason_label: str = ""  # the label of the reason field (form "reason", or the archive's optional opinion)

    def __post_init__(self):
        if self.form not in FORMS:
            raise ValueError(f"unknown move form {self.form!r}")


TRANSITIONS: dict[str, Move] = {
    "submit": Move("提交申请", frozenset({S.DRAFT}), S.SUBMITTED),
    "start_verification": Move("开始核查", frozenset({S.SUBMITTED}), S.VERIFYING),
    "record_visit": Move("登记入户核查", frozenset({S.VERIFYING}), None, form="visit"),
    "start_notice": Move("开始公示", frozenset({S.VERIFYING}), S.PUBLIC_NOTICE, form="notice"),
    "archive": Move("审批建档", frozenset({S.PUBLIC_NOTICE}), S.ARCHIVED, approval=True, form="archive",
                    reason_label="审批意见(可选)"),
    "start_help": Move("开始帮扶", frozenset({S.ARCHIVED}), S.HELPING),
    "start_review": Move("开始复核", frozenset({S.ARCHIVED, S.HELPING}), S.REVIEW),
    "complete_review": Move("完成复核并继续帮扶", frozenset({S.REVIEW}), S.HELPING, form="reason",
                            reason_label="复核结论"),
    "exit": Move("脱困退出", frozenset({S.REVIEW}), S.EXITED, approval=True, form="reason", reason_label="退出原因"),
    "relieve": Move("解困(转入社会救助)", frozenset({S.REVIEW}), S.RELIEVED, approval=True, form="reason",
                    reason_label="解困原因"),
    "refuse": Move("不予建档", frozenset({S.SUBMITTED, S.VERIFYING, S.PUBLIC_NOTICE}), S.REFUSED, approval=True,
                   form="reason", reason_label="不予建档的原因"),
}


def audit_labels() -> dict[str, str]:
    """The audit trail's labels of the moves (registered with bangfu.audit.labels when the app is ready)."""
    return {f"case.{name}": move.label for name, move in TRANSITIONS.items()}


def state_label(state: str) -> str:
    return S(state).label if state in S.values else state


def check_move(state: str, name: str) -> Move:
    """The move, or a Chinese refusal naming the current state and the states it could be made from."""
    move = TRANSITIONS[name]
    if state not in move.sources:
        allowed = "、".join(state_label(s) for s in S.values if s in move.sources)
        raise ValidationFailed(
            f"档案当前状态为「{state_label(state)}」,不能{move.label}(仅在「{allowed}」状态下可以)",
            field="state", extra={"state": state, "move": name},
        )
    return move


def moves_from(state: str) -> list[str]:
    """The moves that may be made from `state`, whoever makes them (who may: `selectors.allowed_moves`)."""
    return [name for name, move in TRANSITIONS.items() if state in move.sources]
