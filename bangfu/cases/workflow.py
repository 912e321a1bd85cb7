"""The transition table of a case, in one place: which move is allowed from which state, and who may make it."""

from __future__ import annotations

from dataclasses import dataclass

from bangfu.common.errors import ValidationFailed
from bangfu.registry.choices import Status

S = Status


@dataclass(frozen=True)
class Move:
    label: str  # Chinese, for messages: "不能{label}"
    sources: frozenset[str]
    target: str | None  # None: the case stays in its state (a record, not a move)
    approval: bool = False  # an approval: a county reviewer, never the one who proposed it (four eyes)


TRANSITIONS: dict[str, Move] = {
    "submit": Move("提交申请", frozenset({S.DRAFT}), S.SUBMITTED),
    "start_verification": Move("开始核查", frozenset({S.SUBMITTED}), S.VERIFYING),
    "record_visit": Move("登记入户核查", frozenset({S.VERIFYING}), None),
    "start_notice": Move("开始公示", frozenset({S.VERIFYING}), S.PUBLIC_NOTICE),
    "archive": Move("审批建档", frozenset({S.PUBLIC_NOTICE}), S.ARCHIVED, approval=True),
    "refuse": Move("不予建档", frozenset({S.SUBMITTED, S.VERIFYING, S.PUBLIC_NOTICE}), S.REFUSED, approval=True),
    "start_help": Move("开始帮扶", frozenset({S.ARCHIVED}), S.HELPING),
    "start_review": Move("开始复核", frozenset({S.ARCHIVED, S.HELPING}), S.REVIEW),
    "complete_review": Move("完成复核并继续帮扶", frozenset({S.REVIEW}), S.HELPING),
    "exit": Move("脱困退出", frozenset({S.REVIEW}), S.EXITED, approval=True),
    "relieve": Move("解困(转入社会救助)", frozenset({S.REVIEW}), S.RELIEVED, approval=True),
}


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


def allowed_moves(state: str) -> list[str]:
    """The moves that may be made from `state` (for the interface's buttons)."""
    return [name for name, move in TRANSITIONS.items() if state in move.sources]
