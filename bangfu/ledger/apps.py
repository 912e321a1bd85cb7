"""App configuration of ledger."""

from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "bangfu.ledger"
    verbose_name = "帮扶资金台账"
