"""The exchange app: imports, department data, verification reports, identification and alerts."""

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "bangfu.exchange"
    verbose_name = "数据交换与核对"
