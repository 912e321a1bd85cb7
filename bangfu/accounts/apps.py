"""App configuration of accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bangfu.accounts"
    verbose_name = "机构与用户"
