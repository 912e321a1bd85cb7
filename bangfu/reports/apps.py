from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bangfu.reports"
    verbose_name = "统计报表与标准调整测算"
