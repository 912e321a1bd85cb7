"""Template helpers: role checks for menus, masked ID numbers, Chinese labels, money in yuan."""

from __future__ import annotations

import functools
import json
from decimal import Decimal

from django import template
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe

from bangfu.accounts import access
from bangfu.accounts.organisations import division_name
from bangfu.common.ids import mask_id_number
from bangfu.registry import choices as c
from bangfu.registry.presenters import health_text

from ..forms.base import select_html

register = template.Library()
CAUSES = dict(c.Cause.choices)


@register.simple_tag(takes_context=True)
def may(context, action: str) -> bool:
    return access.may(context["request"].user, getattr(access, action.upper()))


@register.simple_tag(takes_context=True)
def nav_menu(context, section: str) -> str:
    """The main menu's links (web/_nav.html) for the page's `section`: the same HTML for every user with the same
    permissions, so rendered once per process for each section, set of permissions and address prefix (its fifteen
    reversed addresses and conditions were a fifth of a small page's CPU; issue 19). Nothing else of the user may go
    into it."""
    user = context["request"].user
    return _nav_menu(get_script_prefix(), section, *(access.may(user, action) for action in _NAV_ACTIONS),
                     access.is_department_officer(user))


_NAV_ACTIONS = (access.VIEW, access.ADD, access.VIEW_AUDIT, access.MANAGE_USERS)


@functools.lru_cache(maxsize=256)  # sections × the roles' permissions: a few dozen
def _nav_menu(prefix: str, section: str, can_view: bool, can_add: bool, can_audit: bool, can_users: bool,
              department_officer: bool) -> str:
    return mark_safe(render_to_string("web/_nav.html", {
        "nav": section, "can_view": can_view, "can_add": can_add, "can_audit": can_audit, "can_users": can_users,
        "department_officer": department_officer}).strip())


@register.simple_tag
def pk_url(name: str, pk) -> str:
    """`{% url name pk %}` for an address whose only argument is an integer id (a household's, an alert's): the pattern
    reversed once per process and address prefix, the id put in its place (a list reversed it once per row: a tenth
    of the household list's and the start page's CPU; issue 19). The same text as `{% url %}`."""
    return _pk_pattern(get_script_prefix(), name).replace(_PK_MARK, str(int(pk)))


_PK_MARK = "9081726354"  # digits no address of the site holds otherwise


@functools.lru_cache(maxsize=64)
def _pk_pattern(prefix: str, name: str) -> str:
    address = reverse(name, args=[int(_PK_MARK)])
    if address.count(_PK_MARK) != 1:
        raise ValueError(f"{name}: not an address of one id")
    return address


@register.filter
def person(user) -> str:
    """A Chinese name reads family name first: 张敏, not Django's "敏 张"."""
    return f"{user.last_name}{user.first_name}" or user.username


@register.filter
def masked(number: str) -> str:
    return mask_id_number(number or "")


@register.filter
def causes(codes) -> str:
    return "、".join(CAUSES.get(x, x) for x in codes or []) or "—"


@register.filter
def region(code: str) -> str:
    return division_name(code) if code else ""


@register.filter
def yuan(amount) -> str:
    """1000 → 1,000.00 元; none → 按规定 (the policy sets no sum, or a local figure decides)."""
    if amount is None or amount == "":
        return "按规定"
    return f"{Decimal(str(amount)):,.2f} 元"


@register.filter
def health(member) -> str:
    """A member's 健康状况, each fact once (`registry.presenters.health_text`)."""
    return health_text(member)


@register.filter
def yes_no(value) -> str:
    return "是" if value else "否"


@register.filter
def as_json(value) -> str:
    if value in (None, {}, []):
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def normalize(number) -> str:
    """A parameter's value as people write it: 0.5283, 900, 1.5 (no float noise, no trailing zeros)."""
    if number is None or number == "":
        return ""
    text = format(Decimal(str(number)).normalize(), "f")
    return text


@register.filter
def parameter_label(name: str) -> str:
    from bangfu.standards.selectors import parameter_description

    return parameter_description(name)


@register.filter
def benefit_title(code: str) -> str:
    """A benefit by its title (第14条 义务教育家庭经济困难学生生活补助), never its code: reports speak Chinese."""
    from bangfu.policy.rules import RULES

    return next((rule.title for rule in RULES if rule.code == str(code)), str(code))


@register.filter
def region_label(code: str) -> str:
    from bangfu.standards.selectors import region_name

    return region_name(code)


SECTIONS = {"standard_list": "standards", "standard_detail": "standards", "home": "home", "household_create": "new", "audit_log": "audit", "user_list": "users",
            "union_ledger": "ledger", "ledger_requests": "ledger", "budget_set": "ledger", "targets": "targets", "plan_detail": "households",
            "imports": "exchange", "job_detail": "exchange", "department_data": "exchange",
            "verification_report": "households", "alert_list": "alerts", "programme_list": "programmes",
            "programme_detail": "programmes", "round_detail": "programmes", "household_payee": "households"}


@register.filter
def section(url_name: str | None) -> str:
    """Which menu entry a page belongs to."""
    return SECTIONS.get(url_name or "", "households" if (url_name or "").startswith(("household", "member")) else "")


@register.filter
def quick_select(field) -> str:
    """A <select> rendered in Python: Django renders each option through a template, slow for long lists (a province's
    unions: hundreds). Each text escaped as format_html would (html.escape, what Django's escape runs; safe text as it
    is): `select_html`."""
    current = "" if field.value() in (None, "") else str(field.value())
    attrs = flatatt({**field.field.widget.attrs, "id": field.auto_id})
    return select_html(field.html_name, attrs, field.field.choices, current)


@functools.cache
def _labels(model, name: str) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


@register.filter
def display(instance, name: str) -> str:
    """`instance.get_<name>_display()`, the field's choices read once per process: Django normalises them again on
    every call, a list page calls it once per row (issue 19). A value not among the choices shows as it is."""
    value = getattr(instance, name)
    return _labels(instance._meta.model, name).get(value, value)
