"""The roles of staff (the permission table of `access` is keyed by them)."""

from django.db import models


class Role(models.TextChoices):
    CASEWORKER = "caseworker", "经办人"
    REVIEWER = "reviewer", "审核人"
    ADMIN = "admin", "管理员"
    AUDITOR = "auditor", "审计"
    DEPARTMENT_OFFICER = "department_officer", "部门数据专员"
