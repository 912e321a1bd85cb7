"""App configuration of the demo (its management commands)."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "bangfu.demo"
    verbose_name = "演示数据"
