"""Login (with django-axes' lockout shown in Chinese) and logout."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST


class ChineseAuthenticationForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。请注意区分大小写。",
        "inactive": "该账号已停用,请联系管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-lg"


def lockout_context(request) -> dict:
    """What the lockout page says; the same keys as django-axes gives an AXES_LOCKOUT_TEMPLATE."""
    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    return {"failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_hours": cooloff if isinstance(cooloff, int | float) else None,
            "username": request.POST.get("username", "")}


class Login(LoginView):
    template_name = "web/login.html"
    authentication_form = ChineseAuthenticationForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("web:home")

    def form_invalid(self, form):
        if getattr(self.request, "axes_locked_out", False):
            # Axes' own lockout page is English; this one says it in Chinese, with the same status.
            self.request.axes_locked_out = False
            return render(self.request, "web/locked_out.html", lockout_context(self.request),
                          status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429))
        return super().form_invalid(form)


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("web:login")
