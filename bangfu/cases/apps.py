"""App configuration of cases."""

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "bangfu.cases"
    verbose_name = "建档与帮扶"
