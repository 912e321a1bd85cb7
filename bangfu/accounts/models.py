"""The union hierarchy, users with one role each, and hashed API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from bangfu.common.roles import Role


class OrgLevel(models.TextChoices):
    PROVINCE = "province", "省总工会"
    CITY = "city", "市总工会"
    COUNTY = "county", "县(市、区)总工会"
    GRASSROOTS = "grassroots", "基层工会"


class GrassrootsKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业工会"
    STREET = "street", "街道工会"
    COMMUNITY = "community", "社区工会"


class Organisation(models.Model):
    """A union. `path` is a materialised path ("320000/320100/320102/…/"): a subtree is one prefix query."""

    code = models.CharField("机构代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=16, choices=OrgLevel.choices)
    kind = models.CharField("基层工会类型", max_length=16, choices=GrassrootsKind.choices, blank=True)
    division_code = models.CharField("行政区划代码", max_length=6, db_index=True)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    path = models.CharField(max_length=255, unique=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "工会组织"
        ordering = ["path"]
        indexes = [models.Index(fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="grassroots", kind__in=GrassrootsKind.values) | (~Q(level="grassroots") & Q(kind="")),
                name="org_kind_only_for_grassroots",
            ),
            # An empty path would be a prefix of every path: its users would see the whole province.
            models.CheckConstraint(condition=~Q(path=""), name="org_path_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, other: Organisation) -> bool:
        return other.path.startswith(self.path)


class Department(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", "民政"
    HUMAN_RESOURCES = "human_resources", "人力资源社会保障"
    MEDICAL_SECURITY = "medical_security", "医保"
    HEALTH = "health", "卫生健康"
    EDUCATION = "education", "教育"
    HOUSING = "housing", "住房城乡建设"
    DISABLED_FEDERATION = "disabled_federation", "残联"
    MARKET_REGULATION = "market_regulation", "市场监管"


class User(AbstractUser):
    """A member of staff: one organisation, one role; a department data officer also has a department."""

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="users", verbose_name="所属工会"
    )
    role = models.CharField("角色", max_length=32, choices=Role.choices, blank=True)
    department = models.CharField("部门", max_length=32, choices=Department.choices, blank=True)
    # Set when an administrator resets the password: the user chooses their own at the next login.
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=Q(role="department_officer", department__in=Department.values)
                | (~Q(role="department_officer") & Q(department="")),
                name="user_department_only_for_officers",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """A Chinese name reads family name first: 张敏, not Django's "敏 张"."""
        return f"{self.last_name}{self.first_name}".strip()


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored: the token itself is shown once, when it is created."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = verbose_name_plural = "API令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"
