from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bangfu.reports"
    verbose_name = "统计报表与标准调整测算"

    def ready(self) -> None:
        from bangfu.cases.targets import against_dibao
        from bangfu.registry.selectors import TARGET_SETS

        from .snapshots import below_dibao_households

        # the household list behind the targets' below-低保 figure: the ids stored like the figures
        TARGET_SETS["dibao"] = lambda *, user, path, value: against_dibao(side=value,
                                                                          below=below_dibao_households(path=path))
