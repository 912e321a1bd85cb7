"""URL routes: login, the admin, the JSON API under /api/v1/ (docs at /api/docs)."""

from django.contrib import admin
from django.urls import include, path

from .api import api

admin.site.site_header = admin.site.site_title = "帮扶 · 城市困难职工帮扶系统"

urlpatterns = [
    path("admin/", admin.site.urls),
    # The web interface; listed first so that its login (lockout in Chinese) and logout serve /accounts/.
    path("", include("bangfu.web.urls")),
    # Login and logout (the web interface restyles these templates).
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", api.urls),
]
