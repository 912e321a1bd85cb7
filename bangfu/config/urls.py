"""URL routes: login, the admin, the JSON API under /api/v1/ (docs at /api/docs)."""

from django.contrib import admin
from django.urls import include, path

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
