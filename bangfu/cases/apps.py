"""App configuration of cases."""

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "bangfu.cases"
    verbose_name = "建档与帮扶"

    def ready(self) -> None:
        from bangfu.audit.labels import ACTION_LABELS
        from bangfu.registry import states
        from bangfu.registry.selectors import TARGET_SETS

        from .targets import helped, relapsed
        from .workflow import ARCHIVED_STATES, IN_ARCHIVE, INACTIVE_STATES, CaseState, audit_labels

        ACTION_LABELS.register(audit_labels)
        states.register(choices=CaseState.choices, initial=CaseState.DRAFT, archived=ARCHIVED_STATES,
                        inactive=INACTIVE_STATES, in_archive=IN_ARCHIVE)
        TARGET_SETS["helped"] = lambda *, user, path, value: helped(user=user, path=path, year=value)
        TARGET_SETS["relapsed"] = lambda *, user, path, value: relapsed(user=user, path=path, year=value)
