"""Changing one's own password, audited like every other change (the site mounts no other auth views)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.db import transaction
from django.urls import reverse_lazy

from bangfu.audit.services import audit_log
from bangfu.policy.regions import PROVINCE


class PasswordChange(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        user = self.request.user
        with transaction.atomic():
            response = super().form_valid(form)
            audit_log(actor=user, action="user.password_change", object_type="user", object_id=user.pk,
                      area_path=user.organisation.path if user.organisation_id else f"{PROVINCE}/",
                      after={"username": user.username})
        return response
