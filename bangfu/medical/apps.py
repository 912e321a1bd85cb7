from django.apps import AppConfig


class MedicalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bangfu.medical"
    verbose_name = "医疗费用结算"
