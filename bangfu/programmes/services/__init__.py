"""Use cases of programmes and rounds (one function per action, audit row in the same transaction)."""

from .programmes import clean_account, payee_get, payee_reveal_account, payee_set, programme_create
from .reconcile import round_bank_file, round_reconcile, round_record_delivery
from .rounds import (
    line_adjust,
    round_approve,
    round_create,
    round_discard,
    round_prepare,
    round_reject,
    round_submit,
)

__all__ = ["clean_account", "line_adjust", "payee_get", "payee_reveal_account", "payee_set", "programme_create",
           "round_approve", "round_bank_file", "round_create", "round_discard", "round_prepare", "round_reconcile",
           "round_record_delivery", "round_reject", "round_submit"]
