"""Pages for auditors (the audit log) and administrators (users: create, deactivate)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bangfu.accounts import selectors as account_selectors
from bangfu.accounts import services as account_services
from bangfu.accounts.access import MANAGE_USERS, VIEW_AUDIT
from bangfu.audit.presenters import present
from bangfu.audit.selectors import AUDIT_ORDER, audit_list
from bangfu.common.errors import NotFound, ValidationFailed
from bangfu.common.paging import keyset_page

from ..access import is_htmx, page, pager_query
from ..forms.filters import AuditFilterForm
from ..forms.other import UserForm

AUDIT_PER_PAGE = 50


@page(VIEW_AUDIT)
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    result = keyset_page(audit_list(user=request.user, **form.filters()).select_related("actor"), order=AUDIT_ORDER,
                         page=form.page_number(), per_page=AUDIT_PER_PAGE, after=request.GET.get("after"),
                         before=request.GET.get("before"), count=False)
    # Actions, objects and data in Chinese (bangfu.audit.presenters); the codes stay beside them for filtering.
    context = {"form": form, "entries": present(result.items), "result": result, "query": pager_query(request)}
    return render(request, "web/audit/_results.html" if is_htmx(request) else "web/audit/list.html", context)


@page(MANAGE_USERS)
def user_list(request):
    form = UserForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = account_services.user_create(
                actor=request.user, username=data["username"], password=data["password"],
                organisation=form.organisations[data["organisation"]], role=data["role"],
                full_name=data["full_name"], department=data["department"])
        except ValidationFailed as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已创建用户{created.username}。")
            return redirect("web:user_list")
    users = account_selectors.user_list(user=request.user)
    return render(request, "web/users/list.html", {"form": form, "users": users})


@require_POST
@page(MANAGE_USERS)
def user_deactivate(request, pk: int):
    target = account_selectors.user_list(user=request.user).filter(pk=pk).first()
    if target is None:
        raise NotFound("未找到该用户")
    try:
        account_services.user_deactivate(actor=request.user, user=target)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已停用用户{target.username}。")
    return redirect("web:user_list")


@require_POST
@page(MANAGE_USERS)
def user_password_reset(request, pk: int):
    """The temporary password is shown on this page once (never put in a message or a cookie)."""
    target = account_selectors.user_list(user=request.user).filter(pk=pk).first()
    if target is None:
        raise NotFound("未找到该用户")
    try:
        temporary = account_services.user_password_reset(actor=request.user, user=target)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return redirect("web:user_list")
    return render(request, "web/users/password_reset.html", {"target": target, "temporary": temporary})
