"""App configuration of registry."""

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "bangfu.registry"
    verbose_name = "困难职工档案"
