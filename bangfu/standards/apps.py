"""The standards app."""

from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "bangfu.standards"
    verbose_name = "政策标准"
    default_auto_field = "django.db.models.BigAutoField"
