"""The exchange app: imports, department data, verification reports, identification and alerts."""

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "bangfu.exchange"
    verbose_name = "数据交换与核对"

    def ready(self) -> None:
        from bangfu.cases.reviews import identification_register
        from bangfu.cases.services import archive_check_register

        from .identification import as_identified
        from .services import archive_check

        archive_check_register(archive_check)
        identification_register(as_identified)
