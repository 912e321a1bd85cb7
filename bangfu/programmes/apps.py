from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "bangfu.programmes"
    label = "programmes"
    verbose_name = "帮扶项目与发放批次"
    default_auto_field = "django.db.models.BigAutoField"
