"""App configuration of registry."""

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "bangfu.registry"
    verbose_name = "困难职工档案"

    def ready(self) -> None:
        from bangfu.audit.presenters import VALUE_CHOICES

        from .choices import Category, Cause

        VALUE_CHOICES.update(category=dict(Category.choices), previous_category=dict(Category.choices),
                             cause=dict(Cause.choices), hardship_causes=dict(Cause.choices))
