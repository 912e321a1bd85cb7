"""URL routes: the admin, the JSON API under /api/v1/ (docs at /api/docs)."""

from django.contrib import admin
from django.urls import path

from .api import api

admin.site.site_header = admin.site.site_title = "帮扶 · 城市困难职工帮扶系统"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
