"""App configuration of cases."""

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "bangfu.cases"
    verbose_name = "建档与帮扶"

    def ready(self) -> None:
        from bangfu.audit.labels import ACTION_LABELS

        from .workflow import audit_labels

        ACTION_LABELS.register(audit_labels)
