"""URL routes: login, the admin, the JSON API under /api/v1/ (docs at /api/docs)."""

from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.views import defaults

from bangfu.accounts.views import PasswordChange, PasswordChangeDone

from .api import api

admin.site.site_header = admin.site.site_title = "帮扶 · 城市困难职工帮扶系统"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The web interface; listed first so that its login (lockout in Chinese) and logout serve /accounts/.
    path("", include("bangfu.web.urls")),
    # Only the password change of Django's auth views, audited; no e-mail reset (users are created
    # and reset by their administrators).
    path("accounts/password_change/", PasswordChange.as_view(), name="password_change"),
    path("accounts/password_change/done/", PasswordChangeDone.as_view(), name="password_change_done"),
    path("api/", api.urls),
]


def not_found(request, exception):
    """A URL no route matches: JSON under /api/ (as every API answer is, and as the schema declares), else the
    site's Chinese 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "未找到该地址或对象"}, status=404)
    return defaults.page_not_found(request, exception)


handler404 = not_found
