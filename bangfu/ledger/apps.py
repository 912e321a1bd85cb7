"""App configuration of ledger."""

from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "bangfu.ledger"
    verbose_name = "帮扶资金台账"

    def ready(self) -> None:
        from bangfu.cases.targets import help_source_register

        from .selectors import households_paid

        help_source_register(households_paid)
