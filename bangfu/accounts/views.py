"""Changing one's own password, in the site's layout and audited like every other change (the site mounts no
other auth views: users are created and reset by their administrators)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.urls import reverse_lazy

from bangfu.audit.services import audit_log
from bangfu.policy.regions import PROVINCE

from .services import user_password_changed


class ChinesePasswordChangeForm(PasswordChangeForm):
    """Django's form, with its labels and messages in Chinese whatever the locale, and Bootstrap's inputs."""

    error_messages = {
        "password_incorrect": "原密码不正确,请重新输入。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"old_password": "原密码", "new_password1": "新密码", "new_password2": "再次输入新密码"}
        for name, field in self.fields.items():
            field.label = labels[name]
            field.widget.attrs["class"] = "form-control"
        self.fields["new_password2"].help_text = ""


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "web/password_change.html"
    form_class = ChinesePasswordChangeForm
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        user = self.request.user
        with transaction.atomic():
            response = super().form_valid(form)
            user_password_changed(user=user)
            audit_log(actor=user, action="user.password_change", object_type="user", object_id=user.pk,
                      area_path=user.organisation.path if user.organisation_id else f"{PROVINCE}/",
                      after={"username": user.username})
        return response


class PasswordChangeDone(auth_views.PasswordChangeDoneView):
    template_name = "web/password_change_done.html"
